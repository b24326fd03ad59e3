// The Azure provider's changes face (optimize --apply and undo) against the sandbox's Resource
// Manager: a VM deallocated and started again, an unassociated public IP deleted, each followed
// by the SDK's poller to the end, with the estate following; an associated address is refused
// with ARM's code; an unattached disk copied to a snapshot (Creating until ARM's operation
// settles, then Succeeded), deleted, and made again from the snapshot; every request is one of
// the RBAC operations the catalog declares.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AzureSettings } from '../../src/config/profile.js';
import type { ChangeRequest } from '../../src/model/change.js';
import { azurePermissions, createAzureProvider } from '../../src/providers/azure/index.js';
import type { CloudProvider } from '../../src/providers/types.js';
import { armOperation } from '../../src/sandbox/azure/front-door.js';
import { createAzureServices } from '../../src/sandbox/azure/index.js';
import type { AzureDisk, AzurePublicIp, AzureSnapshot, AzureVm, EstateResource } from '../../src/sandbox/estate/types.js';
import { SandboxServer } from '../../src/sandbox/server/server.js';
import { EstateStore } from '../../src/sandbox/server/store.js';
import { azureEstate, CLIENT_ID, CLIENT_SECRET, SUB_A, TENANT, testTls } from '../fixtures/azure-estate.js';

let server: SandboxServer;
let store: EstateStore;
let provider: CloudProvider;
let dir: string;
const signal = new AbortController().signal;
/** The RBAC operation of every request that reached Resource Manager (not the token endpoint). */
const operations = new Set<string>();

beforeAll(async () => {
  const tls = testTls();
  dir = mkdtempSync(join(tmpdir(), 'guardian-azure-apply-'));
  writeFileSync(join(dir, 'ca.pem'), tls.caPem);
  store = new EstateStore(azureEstate({ vms: 8 }), { settleMs: 20 });
  server = new SandboxServer(store, createAzureServices());
  server.intercept((req) => {
    if (req.url.pathname.includes('/subscriptions/')) operations.add(armOperation(req) ?? `unknown ${req.method} ${req.url.pathname}`);
    return undefined;
  });
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

  it('snapshots an unattached disk, waits for the copy to succeed, deletes the disk and makes it again from the snapshot', async () => {
    const disk = records('azure.compute.disk').find((d) => d.spec.diskState === 'Unattached') as AzureDisk;
    const snapshotName = `${disk.name}-guardian-00000000`;
    const made = await provider.changes!(
      { op: 'create-snapshot', cloud: 'azure', account: disk.account, region: disk.region, id: disk.id, snapshotName },
      { signal },
    );
    expect(made).toEqual({ id: disk.id.replace(/disks\/[^/]+$/, `snapshots/${snapshotName}`), state: 'pending' });
    // Nothing has settled it yet: the copy is under way until ARM's operation succeeds.
    const snapshot = store.get(made.id!) as AzureSnapshot;
    expect(snapshot.spec).toMatchObject({ provisioningState: 'Creating', sourceDiskId: disk.id, sizeGb: disk.spec.sizeGb });
    expect(snapshot.tags).toEqual({ 'guardian:optimize': disk.id });
    let state: string | undefined;
    for (let i = 0; i < 200 && state !== 'completed'; i++) {
      state = (await change('snapshot-state', snapshot)).state;
      if (state !== 'completed') expect(state).toBe('pending');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(state).toBe('completed');
    await change('delete-volume', disk);
    expect(store.get(disk.id)).toBeUndefined();
    const again = await provider.changes!(
      {
        op: 'create-volume',
        cloud: 'azure',
        account: disk.account,
        region: disk.region,
        id: snapshot.id,
        name: disk.name,
        volumeType: disk.spec.sku,
        tags: { team: 'data' },
      },
      { signal },
    );
    expect(again).toEqual({ id: disk.id, state: 'Unattached' });
    expect(store.get(disk.id)).toMatchObject({ spec: { sizeGb: disk.spec.sizeGb, sku: disk.spec.sku }, tags: { team: 'data' } });
  });

  it('refuses a snapshot of a disk that does not exist, with ARM’s error', async () => {
    const disk = records('azure.compute.disk')[0];
    const missing = disk.id.replace(/disks\/[^/]+$/, 'disks/no-such-disk');
    const refused = await provider.changes!(
      { op: 'create-snapshot', cloud: 'azure', account: disk.account, region: disk.region, id: missing, snapshotName: 'x-guardian' },
      { signal },
    ).catch((error: unknown) => provider.classify(error));
    expect(refused).toMatchObject({ code: 'NotFound' });
  });

  it('sent only the RBAC operations the catalog declares for changes, reads and sign-in aside', () => {
    const declared = new Set(azurePermissions().faces.changes);
    const changes = [...operations].filter((op) => !op.endsWith('/read') && !op.includes('/operations/'));
    expect(changes.filter((op) => !declared.has(op))).toEqual([]);
    for (const op of [
      'Microsoft.Compute/virtualMachines/deallocate/action',
      'Microsoft.Compute/virtualMachines/start/action',
      'Microsoft.Network/publicIPAddresses/delete',
      'Microsoft.Compute/snapshots/write',
      'Microsoft.Compute/disks/delete',
      'Microsoft.Compute/disks/write',
    ])
      expect(declared.has(op), op).toBe(true);
    expect(declared.has('Microsoft.Compute/snapshots/read')).toBe(true);
  });
});
