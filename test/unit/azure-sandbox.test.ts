// The Azure sandbox through the official clients: @azure/identity's ClientSecretCredential against
// the Entra endpoints, and @azure/arm-compute / arm-network / arm-resources-subscriptions against
// Resource Manager, over HTTPS with the test certificate as the only trusted CA.

import https from 'node:https';
import { ComputeManagementClient } from '@azure/arm-compute';
import { NetworkManagementClient } from '@azure/arm-network';
import { SubscriptionClient } from '@azure/arm-resources-subscriptions';
import type { AccessToken, TokenCredential } from '@azure/core-auth';
import { RestError } from '@azure/core-rest-pipeline';
import { AuthenticationRequiredError, ClientSecretCredential, CredentialUnavailableError } from '@azure/identity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAzureServices, tokensIssued } from '../../src/sandbox/azure/index.js';
import type { Estate, EstateResource } from '../../src/sandbox/estate/types.js';
import { SandboxServer } from '../../src/sandbox/server/server.js';
import { azureEstate, CLIENT_ID, CLIENT_SECRET, SUB_A, SUB_B, TENANT, testTls } from '../fixtures/azure-estate.js';

const PAGE = 4;

let server: SandboxServer;
let origin: string;
let ca: string;
let estate: Estate;

function credential(secret = CLIENT_SECRET, tenant = TENANT): ClientSecretCredential {
  return new ClientSecretCredential(tenant, CLIENT_ID, secret, {
    authorityHost: origin,
    disableInstanceDiscovery: true,
    tlsOptions: { ca },
    retryOptions: { maxRetries: 0 },
  });
}

function clientOptions() {
  return { endpoint: origin, tlsOptions: { ca }, retryOptions: { maxRetries: 0 } };
}

function compute(sub: string, cred: TokenCredential = credential()) {
  return new ComputeManagementClient(cred, sub, { ...clientOptions(), credentials: { scopes: [`${origin}/.default`] } });
}

function network(sub: string, cred: TokenCredential = credential()) {
  return new NetworkManagementClient(cred, sub, clientOptions());
}

interface WireBody {
  error?: { code: string; message: string };
  error_codes?: number[];
}

/** A plain HTTPS GET trusting only the test CA: for what the SDKs will not send. */
function rawGet(
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Record<string, unknown>; body: WireBody }> {
  return new Promise((resolve, reject) => {
    const request = https.request(new URL(path, origin), { ca, headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body: text ? (JSON.parse(text) as WireBody) : {} });
      });
    });
    request.on('error', reject);
    request.end();
  });
}

function expected(kind: EstateResource['kind'], sub: string): EstateResource[] {
  return estate.resources.filter((r) => r.kind === kind && r.account === sub);
}

async function pages<T>(iterator: AsyncIterableIterator<T[]>): Promise<T[][]> {
  const out: T[][] = [];
  for await (const page of iterator) out.push(page);
  return out;
}

beforeAll(async () => {
  estate = azureEstate();
  const tls = testTls();
  ca = tls.caPem;
  const pageSizes = {
    'Microsoft.Compute/virtualMachines': PAGE,
    'Microsoft.Compute/disks': PAGE,
    'Microsoft.Compute/snapshots': PAGE,
    'Microsoft.Network/networkSecurityGroups': 1,
    'Microsoft.Network/publicIPAddresses': PAGE,
    'Microsoft.Network/networkInterfaces': PAGE,
    subscriptions: 1,
  } as const;
  server = new SandboxServer(estate, createAzureServices({ pageSizes }));
  origin = await server.listen({ tls: { key: tls.keyPem, cert: tls.certPem } });
});

afterAll(async () => {
  await server.close();
});

describe('Entra ID token endpoint', () => {
  it('issues a token to ClientSecretCredential for the sandbox ARM audience and MSAL caches it', async () => {
    const cred = credential();
    const before = tokensIssued(server.state);
    const token = await cred.getToken(`${origin}/.default`);
    expect(token.token.split('.')).toHaveLength(3);
    expect(token.expiresOnTimestamp).toBeGreaterThan(Date.now());
    await cred.getToken(`${origin}/.default`);
    expect(tokensIssued(server.state)).toBe(before + 1);
  });

  it('refuses a wrong client secret with AADSTS7000215 (401 invalid_client)', async () => {
    const error = await credential('not-the-secret')
      .getToken(`${origin}/.default`)
      .catch((e: unknown) => e);
    // MSAL's ServerError reaches callers as identity's AuthenticationRequiredError, as with Entra.
    expect(error).toBeInstanceOf(AuthenticationRequiredError);
    expect((error as Error).message).toMatch(/^invalid_client: .*AADSTS7000215: Invalid client secret provided/s);
  });

  it('refuses an unknown tenant: its OpenID configuration is a 400 AADSTS90002, so MSAL cannot resolve endpoints', async () => {
    const tenant = '00000000-0000-4000-8000-000000000000';
    const error = await credential(CLIENT_SECRET, tenant)
      .getToken(`${origin}/.default`)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CredentialUnavailableError);
    expect((error as Error).message).toContain('endpoints_resolution_error');
    const discovery = await rawGet(`/${tenant}/v2.0/.well-known/openid-configuration`);
    expect(discovery.status).toBe(400);
    expect(discovery.body.error_codes).toEqual([90002]);
  });

  it('refuses a resource that is not Resource Manager with AADSTS500011', async () => {
    const error = await credential()
      .getToken('https://vault.azure.net/.default')
      .catch((e: unknown) => e);
    expect(String((error as Error).message)).toContain('AADSTS500011');
  });
});

describe('Resource Manager authentication and request checks', () => {
  it('answers 401 InvalidAuthenticationToken to a token it did not issue', async () => {
    const forged: TokenCredential = {
      getToken: async (): Promise<AccessToken> => ({ token: 'eyJ.forged.token', expiresOnTimestamp: Date.now() + 3_600_000 }),
    };
    const error = await network(SUB_A, forged)
      .networkSecurityGroups.listAll()
      .next()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RestError);
    expect((error as RestError).statusCode).toBe(401);
    expect((error as RestError).code).toBe('InvalidAuthenticationToken');
  });

  it('answers 401 AuthenticationFailed without an Authorization header', async () => {
    const response = await rawGet(`/subscriptions/${SUB_A}/providers/Microsoft.Compute/disks?api-version=2025-01-02`);
    expect(response.status).toBe(401);
    expect(response.body.error?.code).toBe('AuthenticationFailed');
    expect(String(response.headers['www-authenticate'])).toContain('Bearer authorization_uri=');
  });

  it('requires api-version like ARM (400 MissingApiVersionParameter)', async () => {
    const { token } = (await credential().getToken(`${origin}/.default`))!;
    const response = await rawGet(`/subscriptions/${SUB_A}/providers/Microsoft.Compute/disks`, { authorization: `Bearer ${token}` });
    expect(response.status).toBe(400);
    expect(response.body).toEqual({
      error: {
        code: 'MissingApiVersionParameter',
        message: 'The api-version query parameter (?api-version=) is required for all requests.',
      },
    });
  });

  it('accepts the api-versions each resource type has, older clients’ included, and refuses the rest as ARM does', async () => {
    const { token } = (await credential().getToken(`${origin}/.default`))!;
    const get = (path: string, version: string) => rawGet(`${path}?api-version=${version}`, { authorization: `Bearer ${token}` });
    const vms = `/subscriptions/${SUB_A}/providers/Microsoft.Compute/virtualMachines`;
    for (const [path, version] of [
      [vms, '2022-08-01'],
      [`/subscriptions/${SUB_A}/providers/Microsoft.Compute/disks`, '2022-07-02'],
      [`/subscriptions/${SUB_A}/providers/Microsoft.Network/networkSecurityGroups`, '2022-07-01'],
      ['/subscriptions', '2021-01-01'],
    ]) {
      expect((await get(path, version)).status, `${path} ${version}`).toBe(200);
    }
    const future = await get(vms, '2099-01-01');
    expect(future.status).toBe(400);
    expect(future.body.error?.code).toBe('NoRegisteredProviderFound');
    expect(future.body.error?.message).toMatch(
      /^No registered resource provider found for location \* and API version '2099-01-01' for type 'virtualMachines'\. The supported api-versions are '2015-05-01-preview, .*2022-08-01, .*2026-03-01'\.$/,
    );
    // A version the disks provider has is not one virtualMachines has.
    expect((await get(vms, '2025-01-02')).status).toBe(400);
    // Cost Management's query has its own versions: the SDK's passes on to the method check, 2099 does not.
    const query = `/subscriptions/${SUB_A}/providers/Microsoft.CostManagement/query`;
    expect((await get(query, '2022-10-01')).status).toBe(405);
    const futureQuery = await get(query, '2099-01-01');
    expect(futureQuery.status).toBe(400);
    expect(futureQuery.body.error?.code).toBe('NoRegisteredProviderFound');
    expect(futureQuery.body.error?.message).toContain('2022-10-01');
    const subscriptions = await get('/subscriptions', '2099-01-01');
    expect(subscriptions.body.error?.code).toBe('InvalidApiVersionParameter');
    expect(subscriptions.body.error?.message).toContain('2021-01-01');
    expect(subscriptions.body.error?.message).toContain('2022-12-01');
  });

  it('answers a resource type it does not serve with ARM’s InvalidResourceType, which the SDK reads as a RestError', async () => {
    const { token } = (await credential().getToken(`${origin}/.default`))!;
    const response = await rawGet(`/subscriptions/${SUB_A}/providers/Microsoft.Storage/storageAccounts?api-version=2023-05-01`, {
      authorization: `Bearer ${token}`,
    });
    expect(response.status).toBe(404);
    expect(response.body.error?.code).toBe('InvalidResourceType');
    expect(String(response.headers['content-type'])).toContain('application/json');
  });

  it('answers 404 SubscriptionNotFound for a subscription the tenant does not have', async () => {
    const error = await compute('99999999-9999-4999-8999-999999999999')
      .disks.list()
      .next()
      .catch((e: unknown) => e);
    expect((error as RestError).statusCode).toBe(404);
    expect((error as RestError).code).toBe('SubscriptionNotFound');
  });
});

describe('Resource Manager lists, page by page through nextLink', () => {
  it('lists subscriptions (one per page) with SubscriptionClient', async () => {
    const client = new SubscriptionClient(credential(), clientOptions());
    const all = await pages(client.subscriptions.list().byPage());
    expect(all).toHaveLength(2);
    expect(all.flat().map((s) => [s.subscriptionId, s.displayName, s.state, s.tenantId])).toEqual([
      [SUB_A, 'Production', 'Enabled', TENANT],
      [SUB_B, 'Development', 'Enabled', TENANT],
    ]);
    const one = await client.subscriptions.get(SUB_B);
    expect(one.displayName).toBe('Development');
    const locations = [];
    for await (const location of client.subscriptions.listLocations(SUB_A)) locations.push(location.name);
    expect(locations).toEqual(['westeurope', 'eastus']);
  });

  it('lists every VM of a subscription with power state (statusOnly=true)', async () => {
    const all = await pages(compute(SUB_A).virtualMachines.listAll({ statusOnly: 'true' }).byPage());
    const want = expected('azure.compute.vm', SUB_A);
    expect(all.length).toBe(Math.ceil(want.length / PAGE));
    expect(all.slice(0, -1).every((page) => page.length === PAGE)).toBe(true);
    const vms = all.flat();
    expect(vms.map((vm) => vm.id)).toEqual(want.map((r) => r.id));
    for (const vm of vms) {
      const record = want.find((r) => r.id === vm.id)!;
      if (record.kind !== 'azure.compute.vm') throw new Error('kind');
      expect(vm.hardwareProfile?.vmSize).toBe(record.spec.vmSize);
      expect(vm.instanceView?.statuses?.map((s) => s.code)).toContain(`PowerState/${record.spec.powerState}`);
      expect(vm.storageProfile?.osDisk?.managedDisk?.id).toBe(record.spec.osDiskId);
      expect(vm.networkProfile?.networkInterfaces?.[0].id).toBe(record.spec.nicId);
      expect(vm.timeCreated?.toISOString()).toBe(record.createdAt);
    }
  });

  it('resumes a listing from a continuation token (the nextLink) and refuses a stale one', async () => {
    const client = compute(SUB_A);
    const first = await client.disks.list().byPage().next();
    const token = (first.value as { continuationToken?: string }).continuationToken;
    expect(token).toMatch(
      new RegExp(`^${origin}/subscriptions/${SUB_A}/providers/Microsoft.Compute/disks\\?api-version=2025-01-02&\\$skiptoken=`),
    );
    const rest = await pages(client.disks.list().byPage({ continuationToken: token }));
    expect([...first.value, ...rest.flat()].map((d) => d.id)).toEqual(expected('azure.compute.disk', SUB_A).map((r) => r.id));
    const stale = await client.disks
      .list()
      .byPage({
        continuationToken: `${origin}/subscriptions/${SUB_A}/providers/Microsoft.Compute/disks?api-version=2025-01-02&$skiptoken=bad`,
      })
      .next()
      .catch((e: unknown) => e);
    expect((stale as RestError).statusCode).toBe(400);
  });

  it('lists disks and snapshots with their ARM properties', async () => {
    const client = compute(SUB_A);
    const disks = (await pages(client.disks.list().byPage())).flat();
    expect(disks.length).toBe(expected('azure.compute.disk', SUB_A).length);
    const cmk = disks.find((d) => d.encryption?.type === 'EncryptionAtRestWithCustomerKey');
    expect(cmk?.encryption?.diskEncryptionSetId).toContain('/diskEncryptionSets/');
    const unattached = disks.filter((d) => d.diskState === 'Unattached');
    expect(unattached.every((d) => d.managedBy === undefined)).toBe(true);
    const snapshotPages = await pages(client.snapshots.list().byPage());
    expect(snapshotPages.length).toBeGreaterThan(1);
    const snapshots = snapshotPages.flat();
    expect(snapshots.map((s) => s.creationData?.sourceResourceId)).toEqual(
      expected('azure.compute.snapshot', SUB_A).map((r) => (r.kind === 'azure.compute.snapshot' ? r.spec.sourceDiskId : '')),
    );
  });

  it('lists NSGs with their rules, public IPs and NICs with arm-network', async () => {
    const client = network(SUB_A);
    const nsgPages = await pages(client.networkSecurityGroups.listAll().byPage());
    expect(nsgPages.length).toBe(expected('azure.network.nsg', SUB_A).length);
    const nsg = nsgPages[0][0];
    expect(nsg.securityRules?.find((r) => r.name === 'allow-ssh')).toMatchObject({
      access: 'Allow',
      direction: 'Inbound',
      destinationPortRange: '22',
      priority: 110,
    });
    expect(nsg.defaultSecurityRules?.map((r) => r.name)).toContain('DenyAllInBound');
    const ips = (await pages(client.publicIPAddresses.listAll().byPage())).flat();
    expect(ips.map((ip) => ip.id)).toEqual(expected('azure.network.public-ip', SUB_A).map((r) => r.id));
    expect(ips.find((ip) => ip.ipConfiguration)?.ipConfiguration?.id).toMatch(/networkInterfaces\/.+\/ipConfigurations\/ipconfig1$/);
    const nics = (await pages(client.networkInterfaces.listAll().byPage())).flat();
    expect(nics.length).toBe(expected('azure.compute.vm', SUB_A).length);
    expect(nics[0].virtualMachine?.id).toBe(expected('azure.compute.vm', SUB_A)[0].id);
  });

  it('keeps subscriptions apart', async () => {
    const vms = (await pages(compute(SUB_B).virtualMachines.listAll().byPage())).flat();
    expect(vms.map((vm) => vm.id)).toEqual(expected('azure.compute.vm', SUB_B).map((r) => r.id));
    expect(vms.every((vm) => vm.instanceView === undefined)).toBe(true);
  });
});

describe('Resource Manager single resources and resource groups', () => {
  const groupOf = (id: string) => /\/resourceGroups\/([^/]+)\//i.exec(id)![1];

  it('gets one VM, with $expand=instanceView, and its instanceView', async () => {
    const record = expected('azure.compute.vm', SUB_A)[0];
    if (record.kind !== 'azure.compute.vm') throw new Error('kind');
    const client = compute(SUB_A);
    const vm = await client.virtualMachines.get(groupOf(record.id), record.name);
    expect(vm.id).toBe(record.id);
    expect(vm.hardwareProfile?.vmSize).toBe(record.spec.vmSize);
    expect(vm.instanceView).toBeUndefined();
    const expanded = await client.virtualMachines.get(groupOf(record.id), record.name, { expand: 'instanceView' });
    expect(expanded.instanceView?.statuses?.map((s) => s.code)).toContain(`PowerState/${record.spec.powerState}`);
    const view = await client.virtualMachines.instanceView(groupOf(record.id), record.name);
    expect(view.computerName).toBe(record.name);
    expect(view.statuses?.map((s) => s.code)).toEqual(['ProvisioningState/succeeded', `PowerState/${record.spec.powerState}`]);
  });

  it('gets one disk, NSG, public IP and NIC, and answers a missing one with ResourceNotFound', async () => {
    const disk = expected('azure.compute.disk', SUB_A)[0];
    expect((await compute(SUB_A).disks.get(groupOf(disk.id), disk.name)).id).toBe(disk.id);
    const nsg = expected('azure.network.nsg', SUB_A)[0];
    expect((await network(SUB_A).networkSecurityGroups.get(groupOf(nsg.id), nsg.name)).id).toBe(nsg.id);
    const ip = expected('azure.network.public-ip', SUB_A)[0];
    expect((await network(SUB_A).publicIPAddresses.get(groupOf(ip.id), ip.name)).id).toBe(ip.id);
    const vm = expected('azure.compute.vm', SUB_A)[0];
    if (vm.kind !== 'azure.compute.vm') throw new Error('kind');
    const nicName = vm.spec.nicId.slice(vm.spec.nicId.lastIndexOf('/') + 1);
    expect((await network(SUB_A).networkInterfaces.get(groupOf(vm.spec.nicId), nicName)).id).toBe(vm.spec.nicId);
    const missing = await compute(SUB_A)
      .disks.get(groupOf(disk.id), 'no-such-disk')
      .catch((e: unknown) => e);
    expect((missing as RestError).statusCode).toBe(404);
    expect((missing as RestError).code).toBe('ResourceNotFound');
    const noGroup = await compute(SUB_A)
      .disks.get('no-such-group', disk.name)
      .catch((e: unknown) => e);
    expect((noGroup as RestError).code).toBe('ResourceGroupNotFound');
  });

  it('lists a resource group’s VMs and disks, and nothing of the other groups', async () => {
    const vms = expected('azure.compute.vm', SUB_A);
    const group = groupOf(vms[0].id);
    const inGroup = (await pages(compute(SUB_A).virtualMachines.list(group).byPage())).flat();
    expect(inGroup.map((vm) => vm.id)).toEqual(vms.filter((r) => groupOf(r.id).toLowerCase() === group.toLowerCase()).map((r) => r.id));
    const disks = expected('azure.compute.disk', SUB_A);
    const diskGroup = groupOf(disks[0].id);
    const groupDisks = (await pages(compute(SUB_A).disks.listByResourceGroup(diskGroup).byPage())).flat();
    expect(groupDisks.map((d) => d.id)).toEqual(
      disks.filter((r) => groupOf(r.id).toLowerCase() === diskGroup.toLowerCase()).map((r) => r.id),
    );
    expect(groupDisks.length).toBeLessThanOrEqual(disks.length);
  });
});

describe('Resource Manager injected faults', () => {
  it('throttles with 429, Retry-After and the resource provider error code', async () => {
    const client = compute(SUB_A);
    await client.disks.list().next(); // token acquired before the interceptor is installed
    server.intercept((req, service) => (service.name === 'azure.arm' ? service.faultResponse(req, 'throttle', 7) : undefined));
    try {
      const error = (await client.disks
        .list()
        .next()
        .catch((e: unknown) => e)) as RestError;
      expect(error.statusCode).toBe(429);
      expect(error.code).toBe('TooManyRequests');
      expect(error.response?.headers.get('retry-after')).toBe('7');
      const networkError = (await network(SUB_A)
        .publicIPAddresses.listAll()
        .next()
        .catch((e: unknown) => e)) as RestError;
      expect(networkError.statusCode).toBe(429);
      expect(networkError.code).toBe('SubscriptionRequestsThrottled');
    } finally {
      server.intercept(() => undefined);
    }
  });

  it('answers server errors with the ARM error envelope', async () => {
    const client = compute(SUB_A);
    await client.disks.list().next();
    server.intercept((req, service) => (service.name === 'azure.arm' ? service.faultResponse(req, 'server-error') : undefined));
    try {
      const error = (await client.virtualMachines
        .listAll()
        .next()
        .catch((e: unknown) => e)) as RestError;
      expect(error.statusCode).toBe(500);
      expect(error.code).toBe('InternalServerError');
    } finally {
      server.intercept(() => undefined);
    }
  });

  it('counts a subscription-wide list against the subscription, region global', () => {
    const arm = createAzureServices().find(
      (service) =>
        service.name === 'azure.arm' &&
        service.matches({ method: 'GET', url: new URL(`${origin}/subscriptions`), headers: {}, body: Buffer.alloc(0) }),
    )!;
    const req = {
      method: 'GET',
      url: new URL(`${origin}/subscriptions/${SUB_A}/providers/Microsoft.Network/publicIPAddresses?api-version=2025-05-01`),
      headers: {},
      body: Buffer.alloc(0),
    };
    expect(arm.scope(req, { estate } as never)).toEqual({ account: SUB_A, region: 'global' });
  });
});
