// The Azure provider's changes face (optimize --apply and undo) against the sandbox's Resource
// Manager: a VM deallocated and started again, an unassociated public IP deleted, each followed
// by the SDK's poller to the end, with the estate following; an associated address is refused
// with ARM's code; every request is one of the RBAC operations the catalog declares.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AzureSettings } from '../../src/config/profile.js';
import type { ChangeRequest } from '../../src/model/change.js';
import { azurePermissions, createAzureProvider } from '../../src/providers/azure/index.js';
import type { CloudProvider } from '../../src/providers/types.js';
import { createAzureServices } from '../../src/sandbox/azure/index.js';
import type { AzurePublicIp, AzureVm, EstateResource } from '../../src/sandbox/estate/types.js';
import { SandboxServer } from '../../src/sandbox/server/server.js';
import { EstateStore } from '../../src/sandbox/server/store.js';
import { azureEstate, CLIENT_ID, CLIENT_SECRET, SUB_A, TENANT, testTls } from '../fixtures/azure-estate.js';

let server: SandboxServer;
let store: EstateStore;
let provider: CloudProvider;
let dir: string;
const signal = new AbortController().signal;

beforeAll(async () => {
  const tls = testTls();
  dir = mkdtempSync(join(tmpdir(), 'guardian-azure-apply-'));
  writeFileSync(join(dir, 'ca.pem'), tls.caPem);
  store = new EstateStore(azureEstate({ vms: 8 }), { settleMs: 20 });
  server = new SandboxServer(store, createAzureServices());
  const origin = await server.listen({ tls: { key: tls.keyPem, cert: tls.certPem } });
  const settings: AzureSettings = {
    auth: 'client-secret',
    tenantId: TENANT,
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    endpoint: origin,
    authorityHost: origin,
    caFile: join(dir, 'ca.pem'),
  };
  provider = createAzureProvider(settings, {});
});

afterAll(async () => {
  await provider?.close?.();
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

const records = <K extends EstateResource['kind']>(kind: K) =>
  (store.index.byAccount.get(`${kind}|${SUB_A}`) ?? []) as Extract<EstateResource, { kind: K }>[];
const change = (op: ChangeRequest['op'], r: EstateResource) =>
  provider.changes!({ op, cloud: 'azure', account: r.account, region: r.region, id: r.id }, { signal });

describe('the Azure changes face', () => {
  it('deallocates a running VM and starts it again, each to the end of its long-running operation', async () => {
    const vm = records('azure.compute.vm').find((v) => v.spec.powerState === 'running') as AzureVm;
    expect(await change('stop-instance', vm)).toEqual({ state: 'deallocated' });
    expect(vm.spec.powerState).toBe('deallocated');
    expect(await change('start-instance', vm)).toEqual({ state: 'running' });
    expect(vm.spec.powerState).toBe('running');
  });

  it('deletes an unassociated public IP and is refused one in use with ARM’s code', async () => {
    const ips = records('azure.network.public-ip');
    const spare = ips.find((ip) => !ip.spec.vmId) as AzurePublicIp;
    const used = ips.find((ip) => ip.spec.vmId) as AzurePublicIp;
    await change('release-address', spare);
    expect(store.get(spare.id)).toBeUndefined();
    const refused = await change('release-address', used).catch((error: unknown) => provider.classify(error));
    expect(refused).toMatchObject({ code: 'PublicIPAddressCannotBeDeleted' });
    expect(store.get(used.id)).toBe(used);
  });

  it('declares the RBAC operations it calls', () => {
    expect([...azurePermissions().faces.changes].sort()).toEqual([
      'Microsoft.Compute/virtualMachines/deallocate/action',
      'Microsoft.Compute/virtualMachines/start/action',
      'Microsoft.Network/publicIPAddresses/delete',
    ]);
  });
});
