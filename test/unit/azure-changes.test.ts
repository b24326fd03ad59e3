// Resource Manager's mutating calls through the official clients (@azure/arm-compute and
// @azure/arm-network, with their long-running-operation pollers) against the sandbox: deletes
// and VM power actions are followed through Azure-AsyncOperation until they settle, the estate
// and the manifest follow, and refusals carry ARM's own codes.

import { ComputeManagementClient } from '@azure/arm-compute';
import { NetworkManagementClient } from '@azure/arm-network';
import { RestError } from '@azure/core-rest-pipeline';
import { ClientSecretCredential } from '@azure/identity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAzureServices } from '../../src/sandbox/azure/index.js';
import type { AzureDisk, AzurePublicIp, AzureVm, EstateResource } from '../../src/sandbox/estate/types.js';
import { buildManifest } from '../../src/sandbox/manifest.js';
import { SandboxServer } from '../../src/sandbox/server/server.js';
import { EstateStore } from '../../src/sandbox/server/store.js';
import { azureEstate, CLIENT_ID, CLIENT_SECRET, SUB_A, TENANT, testTls } from '../fixtures/azure-estate.js';

let server: SandboxServer;
let store: EstateStore;
let origin: string;
let ca: string;

/** Poll often: the sandbox settles each change after 20 ms. */
const POLL = { updateIntervalInMs: 5 };

function credential(): ClientSecretCredential {
  return new ClientSecretCredential(TENANT, CLIENT_ID, CLIENT_SECRET, {
    authorityHost: origin,
    disableInstanceDiscovery: true,
    tlsOptions: { ca },
    retryOptions: { maxRetries: 0 },
  });
}
const options = () => ({ endpoint: origin, tlsOptions: { ca }, retryOptions: { maxRetries: 0 } });
const compute = () => new ComputeManagementClient(credential(), SUB_A, { ...options(), credentials: { scopes: [`${origin}/.default`] } });
const network = () => new NetworkManagementClient(credential(), SUB_A, options());

const records = <K extends EstateResource['kind']>(kind: K) =>
  (store.index.byAccount.get(`${kind}|${SUB_A}`) ?? []) as Extract<EstateResource, { kind: K }>[];
const groupOf = (id: string) => /\/resourceGroups\/([^/]+)\//i.exec(id)?.[1] ?? '';
const nameOf = (id: string) => id.slice(id.lastIndexOf('/') + 1);

async function restError(promise: Promise<unknown>): Promise<{ code?: string; statusCode?: number }> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof RestError) return { code: error.code, statusCode: error.statusCode };
    throw error;
  }
  throw new Error('expected the call to fail');
}

beforeAll(async () => {
  const tls = testTls();
  ca = tls.caPem;
  store = new EstateStore(azureEstate({ vms: 8 }), { settleMs: 20 });
  server = new SandboxServer(store, createAzureServices());
  origin = await server.listen({ tls: { key: tls.keyPem, cert: tls.certPem } });
});

afterAll(async () => {
  await server.close();
});

describe('Resource Manager changes through the Azure SDKs', () => {
  it('deallocates a running VM through the poller, and starts it again', async () => {
    const vm = records('azure.compute.vm').find((v) => v.spec.powerState === 'running') as AzureVm;
    const client = compute();
    const poller = await client.virtualMachines.beginDeallocate(groupOf(vm.id), vm.name, POLL);
    // Until a request comes after the change has settled, the VM is on its way (the poller has not polled yet).
    expect(vm.spec.powerState).toBe('deallocating');
    await poller.pollUntilDone();
    const after = await client.virtualMachines.instanceView(groupOf(vm.id), vm.name);
    expect(after.statuses?.map((s) => s.code)).toContain('PowerState/deallocated');
    await client.virtualMachines.beginStartAndWait(groupOf(vm.id), vm.name, POLL);
    expect(vm.spec.powerState).toBe('running');
    await client.virtualMachines.beginPowerOffAndWait(groupOf(vm.id), vm.name, POLL);
    expect(vm.spec.powerState).toBe('stopped');
  });

  it('deletes an unattached disk and refuses an attached one with OperationNotAllowed', async () => {
    const disks = records('azure.compute.disk');
    const attached = disks.find((d) => d.spec.managedBy) as AzureDisk;
    const orphan = disks.find((d) => !d.spec.managedBy) as AzureDisk;
    const client = compute();
    expect(await restError(client.disks.beginDeleteAndWait(groupOf(attached.id), attached.name, POLL))).toEqual({
      code: 'OperationNotAllowed',
      statusCode: 409,
    });
    await client.disks.beginDeleteAndWait(groupOf(orphan.id), orphan.name, POLL);
    expect(store.get(orphan.id)).toBeUndefined();
    expect(await restError(client.disks.get(groupOf(orphan.id), orphan.name))).toMatchObject({ code: 'ResourceNotFound', statusCode: 404 });
    expect(buildManifest(store.estate).planted['volume-unattached']).not.toContain(orphan.id);
  });

  it('changes a disk’s SKU with PATCH and creates one with PUT that the listing then shows', async () => {
    const client = compute();
    const orphan = records('azure.compute.disk').find((d) => !d.spec.managedBy && d.spec.sku !== 'StandardSSD_LRS') as AzureDisk;
    const updated = await client.disks.beginUpdateAndWait(groupOf(orphan.id), orphan.name, { sku: { name: 'StandardSSD_LRS' } }, POLL);
    expect(updated.sku?.name).toBe('StandardSSD_LRS');
    const created = await client.disks.beginCreateOrUpdateAndWait(
      groupOf(orphan.id),
      'restored-disk',
      { location: orphan.region, sku: { name: 'Standard_LRS' }, diskSizeGB: 64, creationData: { createOption: 'Empty' } },
      POLL,
    );
    expect(created).toMatchObject({ name: 'restored-disk', diskSizeGB: 64, diskState: 'Unattached' });
    const listed: string[] = [];
    for await (const disk of client.disks.listByResourceGroup(groupOf(orphan.id))) listed.push(disk.name ?? '');
    expect(listed).toContain('restored-disk');
  });

  it('deletes an unassociated public IP, refuses an associated one with PublicIPAddressCannotBeDeleted, and recreates it with PUT', async () => {
    const ips = records('azure.network.public-ip');
    const used = ips.find((ip) => ip.spec.vmId) as AzurePublicIp;
    const spare = ips.find((ip) => !ip.spec.vmId) as AzurePublicIp;
    const client = network();
    expect(await restError(client.publicIPAddresses.beginDeleteAndWait(groupOf(used.id), used.name, POLL))).toEqual({
      code: 'PublicIPAddressCannotBeDeleted',
      statusCode: 400,
    });
    await client.publicIPAddresses.beginDeleteAndWait(groupOf(spare.id), spare.name, POLL);
    expect(store.get(spare.id)).toBeUndefined();
    const again = await client.publicIPAddresses.beginCreateOrUpdateAndWait(
      groupOf(spare.id),
      nameOf(spare.id),
      { location: spare.region, sku: { name: 'Standard' }, publicIPAllocationMethod: 'Static' },
      POLL,
    );
    expect(again).toMatchObject({ name: spare.name, publicIPAllocationMethod: 'Static', provisioningState: 'Succeeded' });
    expect(buildManifest(store.estate).planted['address-unassociated']).toContain(again.id);
  });
});
