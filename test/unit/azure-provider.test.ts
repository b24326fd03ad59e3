// The Azure provider end to end against the Azure sandbox over HTTPS: the profile's client
// secret, authority host, endpoint and CA file; every kind paged through with continuation tokens
// and normalized into Resources that match the estate's records; failures classified.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AzureSettings } from '../../src/config/profile.js';
import type { Resource, ResourceKind } from '../../src/model/resource.js';
import { checkAzureCredentials, createAzureProvider } from '../../src/providers/azure/index.js';
import type { CloudProvider, Scope } from '../../src/providers/types.js';
import { createAzureServices } from '../../src/sandbox/azure/index.js';
import { generateEstate } from '../../src/sandbox/estate/generate.js';
import type { Estate, EstateResource, EstateResourceOf } from '../../src/sandbox/estate/types.js';
import { SandboxServer } from '../../src/sandbox/server/server.js';
import { azureEstate, CLIENT_ID, CLIENT_SECRET, SUB_A, SUB_B, TENANT, testTls } from '../fixtures/azure-estate.js';

let server: SandboxServer;
let origin: string;
let estate: Estate;
let dir: string;
let settings: AzureSettings;
const requests: string[] = [];

beforeAll(async () => {
  estate = azureEstate({ vms: 23 });
  const tls = testTls();
  dir = mkdtempSync(join(tmpdir(), 'guardian-azure-provider-'));
  writeFileSync(join(dir, 'ca.pem'), tls.caPem);
  const pageSizes = {
    'Microsoft.Compute/virtualMachines': 5,
    'Microsoft.Compute/disks': 6,
    'Microsoft.Compute/snapshots': 4,
    'Microsoft.Network/networkSecurityGroups': 1,
    'Microsoft.Network/publicIPAddresses': 3,
    'Microsoft.Network/networkInterfaces': 4,
  } as const;
  server = new SandboxServer(estate, createAzureServices({ pageSizes }));
  origin = await server.listen({ tls: { key: tls.keyPem, cert: tls.certPem } });
  settings = {
    auth: 'client-secret',
    tenantId: TENANT,
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    endpoint: origin,
    authorityHost: origin,
    caFile: join(dir, 'ca.pem'),
  };
  server.intercept((req) => {
    requests.push(req.url.pathname);
    return undefined;
  });
});

afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

const signal = () => new AbortController().signal;

async function listAll(
  provider: CloudProvider,
  scope: Scope,
  kind: ResourceKind,
  raw = false,
): Promise<{ resources: Resource[]; pages: number }> {
  const spec = provider.kinds.find((k) => k.kind === kind)!;
  const resources: Resource[] = [];
  let token: string | undefined;
  let pages = 0;
  do {
    const page = await spec.listPage(scope, token, { signal: signal(), raw });
    resources.push(...page.resources);
    token = page.next;
    pages += 1;
  } while (token);
  return { resources, pages };
}

function records<K extends EstateResource['kind']>(kind: K, sub: string): EstateResourceOf<K>[] {
  return estate.resources.filter((r): r is EstateResourceOf<K> => r.kind === kind && r.account === sub);
}

describe('Azure provider against the sandbox', () => {
  let provider: CloudProvider;
  let scopes: Scope[];

  beforeAll(async () => {
    provider = createAzureProvider(settings, {});
    const listing = await provider.listScopes({ signal: signal() });
    expect(listing.failures).toEqual([]);
    scopes = listing.scopes;
  });

  it('lists one global account scope per subscription the credential sees', () => {
    expect(scopes.map((s) => [s.cloud, s.type, s.account, s.region, s.label])).toEqual([
      ['azure', 'account', SUB_A, 'global', `azure ${SUB_A} (Production)`],
      ['azure', 'account', SUB_B, 'global', `azure ${SUB_B} (Development)`],
    ]);
    expect(provider.kinds.map((k) => [k.kind, k.scopeType])).toEqual([
      ['azure.compute.vm', 'account'],
      ['azure.compute.disk', 'account'],
      ['azure.compute.snapshot', 'account'],
      ['azure.network.nsg', 'account'],
      ['azure.network.public-ip', 'account'],
    ]);
  });

  it('pages through every kind of every subscription and finds exactly the estate', async () => {
    for (const scope of scopes) {
      for (const kind of provider.kinds.map((k) => k.kind)) {
        const { resources, pages } = await listAll(provider, scope, kind);
        const want = estate.resources.filter((r) => r.kind === kind && r.account === scope.account);
        expect(
          resources.map((r) => r.id),
          `${kind} in ${scope.account}`,
        ).toEqual(want.map((r) => r.id));
        if (scope.account === SUB_A) expect(pages, kind).toBeGreaterThan(1);
        for (const r of resources) {
          expect(r).toMatchObject({ cloud: 'azure', kind, account: scope.account });
          const record = want.find((w) => w.id === r.id)!;
          expect([r.name, r.region, r.tags]).toEqual([record.name, record.region, record.tags]);
          expect(r.raw).toBeUndefined();
        }
      }
    }
  });

  it('normalizes VMs: size, power state, managed disks, private and public IP, NSG', async () => {
    const { resources } = await listAll(provider, scopes[0], 'azure.compute.vm');
    const ips = new Map(records('azure.network.public-ip', SUB_A).map((ip) => [ip.id, ip]));
    for (const vm of records('azure.compute.vm', SUB_A)) {
      const r = resources.find((x) => x.id === vm.id)!;
      expect(r.state).toBe(vm.spec.powerState);
      expect(r.createdAt).toBe(vm.createdAt);
      expect(r.attributes).toMatchObject({
        instanceType: vm.spec.vmSize,
        managedDisks: vm.spec.osDiskId !== undefined,
        privateIp: vm.spec.privateIp,
        osType: vm.spec.osType,
        resourceGroup: vm.spec.resourceGroup,
      });
      expect(r.attributes.publicIp).toBe(vm.spec.publicIpId ? ips.get(vm.spec.publicIpId)!.spec.ipAddress : undefined);
      expect(r.relations).toEqual(vm.spec.nsgId ? [{ type: 'protected-by', target: vm.spec.nsgId }] : []);
    }
  });

  it('normalizes disks and snapshots: size, SKU, keys, network access, attachment and source', async () => {
    const disks = (await listAll(provider, scopes[0], 'azure.compute.disk')).resources;
    for (const disk of records('azure.compute.disk', SUB_A)) {
      const r = disks.find((x) => x.id === disk.id)!;
      expect(r.state).toBe(disk.spec.diskState);
      expect(r.attributes).toMatchObject({
        sizeGb: disk.spec.sizeGb,
        volumeType: disk.spec.sku,
        encrypted: true,
        cmek: disk.spec.encryptionType === 'EncryptionAtRestWithCustomerKey',
        networkAccessPolicy: disk.spec.networkAccessPolicy,
        public: disk.spec.networkAccessPolicy === 'AllowAll' && disk.spec.publicNetworkAccess === 'Enabled',
      });
      expect(r.relations).toEqual(disk.spec.managedBy ? [{ type: 'attached-to', target: disk.spec.managedBy }] : []);
    }
    const snapshots = (await listAll(provider, scopes[0], 'azure.compute.snapshot')).resources;
    for (const snapshot of records('azure.compute.snapshot', SUB_A)) {
      const r = snapshots.find((x) => x.id === snapshot.id)!;
      expect(r.createdAt).toBe(snapshot.createdAt);
      expect(r.attributes).toMatchObject({
        sizeGb: snapshot.spec.sizeGb,
        cmek: snapshot.spec.encryptionType === 'EncryptionAtRestWithCustomerKey',
        networkAccessPolicy: snapshot.spec.networkAccessPolicy,
        public: snapshot.spec.networkAccessPolicy === 'AllowAll',
        incremental: snapshot.spec.incremental,
      });
      expect(r.relations).toEqual([{ type: 'snapshot-of', target: snapshot.spec.sourceDiskId }]);
    }
  });

  it('flattens NSG rules into ingress with action, priority, ports and the default rules', async () => {
    const nsgs = (await listAll(provider, scopes[0], 'azure.network.nsg')).resources;
    const open = nsgs.find((n) => n.name === 'nsg-web-westeurope')!;
    expect(open.attributes.ingress).toEqual([
      { protocol: 'tcp', fromPort: 443, toPort: 443, source: 'Internet', action: 'allow', priority: 100 },
      { protocol: 'tcp', fromPort: 22, toPort: 22, source: '*', action: 'allow', priority: 110 },
      { protocol: 'udp', fromPort: 8000, toPort: 8100, source: '10.0.0.0/8', action: 'allow', priority: 200 },
      { protocol: 'all', fromPort: 23, toPort: 23, source: '*', action: 'deny', priority: 300 },
      { protocol: 'all', source: 'VirtualNetwork', action: 'allow', priority: 65000 },
      { protocol: 'all', source: 'AzureLoadBalancer', action: 'allow', priority: 65001 },
      { protocol: 'all', source: '*', action: 'deny', priority: 65500 },
    ]);
    const closed = nsgs.find((n) => n.name === 'nsg-web-eastus')!;
    expect((closed.attributes.ingress ?? []).some((rule) => rule.fromPort === 22)).toBe(false);
  });

  it('normalizes public IPs: allocation, address and the VM they are associated with', async () => {
    const ips = (await listAll(provider, scopes[0], 'azure.network.public-ip')).resources;
    for (const ip of records('azure.network.public-ip', SUB_A)) {
      const r = ips.find((x) => x.id === ip.id)!;
      expect(r.attributes.addressType).toBe(ip.spec.allocation);
      expect(r.state).toBe(ip.spec.vmId ? 'associated' : 'unassociated');
      // An unassociated Dynamic address has no IP, as in Azure.
      expect(r.attributes.publicIp).toBe(ip.spec.allocation === 'Static' || ip.spec.vmId ? ip.spec.ipAddress : undefined);
      expect(r.relations).toEqual(ip.spec.vmId ? [{ type: 'associated-with', target: ip.spec.vmId }] : []);
    }
  });

  it('keeps the SDK object with --raw', async () => {
    const spec = provider.kinds.find((k) => k.kind === 'azure.compute.disk')!;
    const page = await spec.listPage(scopes[1], undefined, { signal: signal(), raw: true });
    expect((page.resources[0].raw as { id: string; diskSizeGB: number }).id).toBe(page.resources[0].id);
    expect((page.resources[0].raw as { diskSizeGB: number }).diskSizeGB).toBe(page.resources[0].attributes.sizeGb);
  });

  it('narrows subscription-wide lists to --region locations', async () => {
    const listing = await provider.listScopes({ regions: ['eastus'], signal: signal() });
    const { resources } = await listAll(provider, listing.scopes[0], 'azure.compute.vm');
    expect(resources.map((r) => r.id)).toEqual(
      records('azure.compute.vm', SUB_A)
        .filter((r) => r.region === 'eastus')
        .map((r) => r.id),
    );
  });

  it('counts each API request it makes through onRequest', async () => {
    const fresh = createAzureProvider(settings, {});
    const listing = await fresh.listScopes({ signal: signal() });
    const services: string[] = [];
    await fresh.kinds[0].listPage(listing.scopes[1], undefined, { signal: signal(), raw: false, onRequest: (s) => services.push(s) });
    expect(services.sort()).toEqual(['compute', 'network', 'network']);
  });
});

describe('Azure provider scopes and failures', () => {
  it('reports a named subscription that does not exist as a failed scope and keeps the others', async () => {
    const missing = '99999999-9999-4999-8999-999999999999';
    const provider = createAzureProvider({ ...settings, subscriptions: [SUB_B, missing] }, {});
    const listing = await provider.listScopes({ signal: signal() });
    expect(listing.scopes.map((s) => s.account)).toEqual([SUB_B]);
    expect(listing.failures).toEqual([
      { cloud: 'azure', account: missing, error: expect.objectContaining({ class: 'not-found', code: 'SubscriptionNotFound' }) },
    ]);
  });

  it('classifies a wrong client secret as an auth failure that says why', async () => {
    const provider = createAzureProvider({ ...settings, clientSecret: 'wrong' }, {});
    const listing = await provider.listScopes({ signal: signal() });
    expect(listing.scopes).toEqual([]);
    expect(listing.failures).toHaveLength(1);
    expect(listing.failures[0].error).toMatchObject({ class: 'auth', code: 'AADSTS7000215' });
    expect(listing.failures[0].error.message).toContain('the client secret is wrong');
  });

  it('takes the Azure SDK default chain from AZURE_* environment variables (auth default)', async () => {
    // DefaultAzureCredential reads the process environment itself, as it does for every Azure tool.
    const vars = { AZURE_TENANT_ID: TENANT, AZURE_CLIENT_ID: CLIENT_ID, AZURE_CLIENT_SECRET: CLIENT_SECRET, AZURE_AUTHORITY_HOST: origin };
    const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
    Object.assign(process.env, vars);
    try {
      const provider = createAzureProvider({ auth: 'default', endpoint: origin, caFile: settings.caFile }, { ...vars });
      const listing = await provider.listScopes({ signal: signal() });
      expect(listing.failures).toEqual([]);
      expect(listing.scopes.map((s) => s.account)).toEqual([SUB_A, SUB_B]);
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  });

  it('refuses an incomplete client-secret profile before any call (ConfigError)', () => {
    expect(() => createAzureProvider({ auth: 'client-secret', tenantId: TENANT, clientId: CLIENT_ID }, {})).toThrow(
      /needs a client secret/,
    );
    // The environment's AZURE_CLIENT_SECRET completes it, as it does for the Azure SDK.
    expect(() =>
      createAzureProvider({ auth: 'client-secret', tenantId: TENANT, clientId: CLIENT_ID }, { AZURE_CLIENT_SECRET: 'x' }),
    ).not.toThrow();
  });

  it('fails TLS without the CA file instead of trusting the endpoint blindly', async () => {
    const { caFile: _, ...untrusted } = settings;
    const provider = createAzureProvider(untrusted, {});
    const listing = await provider.listScopes({ signal: signal() });
    expect(listing.scopes).toEqual([]);
    expect(listing.failures[0].error.class).toBe('auth');
    expect(listing.failures[0].error.message).toMatch(/presented a TLS certificate this machine does not trust/);
  });

  it('treats Entra faults (a 503 discovery document, a reset token request) as retryable, and recovers', async () => {
    for (const fault of ['server-error', 'reset'] as const) {
      const provider = createAzureProvider(settings, {});
      let hits = 0;
      server.intercept((req, service) => {
        if (service.name !== 'azure.entra') return undefined;
        const target = fault === 'server-error' ? req.url.pathname.endsWith('/openid-configuration') : req.url.pathname.endsWith('/token');
        if (!target || hits > 0) return undefined;
        hits += 1;
        return fault === 'reset' ? 'reset' : service.faultResponse(req, 'server-error');
      });
      try {
        const failed = await provider.listScopes({ signal: signal() });
        expect(failed.scopes, fault).toEqual([]);
        expect(failed.failures[0].error.class, fault).toBe('transient');
        const retried = await provider.listScopes({ signal: signal() });
        expect(
          retried.scopes.map((s) => s.account),
          fault,
        ).toEqual([SUB_A, SUB_B]);
      } finally {
        server.intercept(() => undefined);
      }
    }
  });

  it('classifies throttling with Retry-After, server errors, resets and aborts', async () => {
    const provider = createAzureProvider(settings, {});
    const [scope] = (await provider.listScopes({ signal: signal() })).scopes;
    const disks = provider.kinds.find((k) => k.kind === 'azure.compute.disk')!;
    const attempt = async (fault: 'throttle' | 'server-error' | 'reset') => {
      server.intercept((req, service) => {
        if (service.name !== 'azure.arm' || !req.url.pathname.endsWith('/disks')) return undefined;
        return fault === 'reset' ? 'reset' : service.faultResponse(req, fault, 7);
      });
      try {
        return provider.classify(await disks.listPage(scope, undefined, { signal: signal(), raw: false }).catch((e: unknown) => e));
      } finally {
        server.intercept(() => undefined);
      }
    };
    expect(await attempt('throttle')).toMatchObject({ class: 'throttle', code: 'TooManyRequests', retryAfterMs: 7000 });
    expect(await attempt('server-error')).toMatchObject({ class: 'transient', code: 'InternalServerError' });
    expect(await attempt('reset')).toMatchObject({ class: 'transient' });
    const aborted = new AbortController();
    aborted.abort();
    const error = await disks.listPage(scope, undefined, { signal: aborted.signal, raw: false }).catch((e: unknown) => e);
    expect(provider.classify(error)).toMatchObject({ class: 'timeout', code: 'AbortError' });
    const vms = provider.kinds.find((k) => k.kind === 'azure.compute.vm')!;
    const timedOut = AbortSignal.abort(new DOMException('The operation timed out.', 'TimeoutError'));
    const vmError = await vms.listPage(scope, undefined, { signal: timedOut, raw: false }).catch((e: unknown) => e);
    expect(provider.classify(vmError)).toMatchObject({ class: 'timeout' });
  });

  it('resumes the NIC listing after a throttled page instead of starting over', async () => {
    const provider = createAzureProvider(settings, {});
    const [scope] = (await provider.listScopes({ signal: signal() })).scopes;
    const vms = provider.kinds.find((k) => k.kind === 'azure.compute.vm')!;
    const nicPages: string[] = [];
    let throttled = false;
    server.intercept((req, service) => {
      if (!req.url.pathname.endsWith('/networkInterfaces')) return undefined;
      const skip = req.url.searchParams.get('$skiptoken') ?? 'first';
      if (skip !== 'first' && !throttled) {
        throttled = true;
        return service.faultResponse(req, 'throttle', 1);
      }
      nicPages.push(skip);
      return undefined;
    });
    try {
      const failed = await vms.listPage(scope, undefined, { signal: signal(), raw: false }).catch((e: unknown) => e);
      expect(provider.classify(failed).class).toBe('throttle');
      const page = await vms.listPage(scope, undefined, { signal: signal(), raw: false });
      expect(page.resources).toHaveLength(5);
      // 23 VMs → 6 NIC pages of 4: each fetched once successfully, the first never again.
      expect(nicPages).toHaveLength(6);
      expect(new Set(nicPages).size).toBe(6);
    } finally {
      server.intercept(() => undefined);
    }
  });
});

describe('guardian config test for Azure', () => {
  it('reports the token and each subscription readable', async () => {
    const report = await checkAzureCredentials(settings, {});
    expect(report.ok).toBe(true);
    // Each subscription, then one probe per spec in it, naming the spec's RBAC operations.
    const kinds = createAzureProvider(settings, {}).kinds;
    expect(report.checks.map((s) => [s.subject, s.ok])).toEqual([
      ['token', true],
      ['subscriptions', true],
      ...[SUB_A, SUB_B].flatMap((sub) => [
        [`subscription ${sub}`, true],
        ...kinds.map((spec) => [`subscription ${sub}: ${spec.kind}`, true]),
      ]),
    ]);
    for (const spec of kinds) {
      expect(report.checks.find((c) => c.subject === `subscription ${SUB_A}: ${spec.kind}`)?.permissions).toEqual(spec.permissions);
    }
    expect(JSON.stringify(report)).not.toContain(CLIENT_SECRET);
  });

  it('says the secret is wrong, and which subscription is missing', async () => {
    const bad = await checkAzureCredentials({ ...settings, clientSecret: 'wrong' }, {});
    expect(bad.ok).toBe(false);
    expect(bad.checks).toEqual([
      expect.objectContaining({ subject: 'token', ok: false, message: expect.stringContaining('AADSTS7000215') }),
    ]);
    const missing = '99999999-9999-4999-8999-999999999999';
    const partial = await checkAzureCredentials({ ...settings, subscriptions: [SUB_A, missing] }, {});
    expect(partial.checks.filter((s) => !s.subject.includes(': ')).map((s) => [s.subject, s.ok])).toEqual([
      ['token', true],
      [`subscription ${missing}`, false],
      [`subscription ${SUB_A}`, true],
    ]);
    expect(partial.checks[1].message).toContain('does not exist or this identity has no role on it');
    const { caFile: _, ...untrusted } = settings;
    const tls = await checkAzureCredentials(untrusted, {});
    expect(tls.checks[0].message).toMatch(/presented a TLS certificate this machine does not trust \(\w+\); set azure.caFile/);
    const tenant = await checkAzureCredentials({ ...settings, tenantId: '00000000-0000-4000-8000-000000000000' }, {});
    expect(tenant.checks[0].message).toContain('answered 400: AADSTS90002');
    const incomplete = await checkAzureCredentials({ auth: 'client-secret', tenantId: TENANT }, {});
    expect(incomplete.checks).toEqual([
      expect.objectContaining({ subject: 'configuration', ok: false, message: expect.stringContaining('clientId') }),
    ]);
  });
});

describe('Azure provider over generated estates (ARM page sizes)', () => {
  for (const [seed, size] of [
    [3, 400],
    [11, 3000],
  ] as const) {
    it(`finds every Azure resource of seed ${seed} size ${size} once, with its planted conditions visible`, async () => {
      const generated = generateEstate({ seed, size, now: '2026-11-01' });
      const tls = testTls();
      const caDir = mkdtempSync(join(tmpdir(), 'guardian-azure-gen-'));
      writeFileSync(join(caDir, 'ca.pem'), tls.caPem);
      const sandbox = new SandboxServer(generated, createAzureServices());
      const at = await sandbox.listen({ tls: { key: tls.keyPem, cert: tls.certPem } });
      try {
        const { azure } = generated;
        const provider = createAzureProvider(
          {
            auth: 'client-secret',
            tenantId: azure.tenantId,
            clientId: azure.clientId,
            clientSecret: azure.clientSecret,
            endpoint: at,
            authorityHost: at,
            caFile: join(caDir, 'ca.pem'),
          },
          {},
        );
        const listing = await provider.listScopes({ signal: signal() });
        expect(listing.scopes.map((s) => s.account).sort()).toEqual(azure.subscriptions.map((s) => s.id).sort());
        const found = new Map<string, Resource>();
        let multiPage = false;
        for (const scope of listing.scopes) {
          for (const spec of provider.kinds) {
            const { resources, pages } = await listAll(provider, scope, spec.kind);
            multiPage ||= pages > 1;
            for (const r of resources) {
              expect(found.has(r.id), `duplicate ${r.id}`).toBe(false);
              found.set(r.id, r);
            }
          }
        }
        // ARM's own page sizes (50 VMs, 100 of the rest) split the larger estate's lists.
        if (size >= 3000) expect(multiPage).toBe(true);
        const want = generated.resources.filter((r) => r.kind.startsWith('azure.'));
        expect([...found.keys()].sort()).toEqual(want.map((r) => r.id).sort());
        const open = (r: Resource) =>
          (r.attributes.ingress ?? []).some(
            (rule) =>
              rule.action === 'allow' && ['*', 'Internet', '0.0.0.0/0'].includes(rule.source) && [22, 3389].includes(rule.fromPort ?? -1),
          );
        for (const record of want) {
          const r = found.get(record.id)!;
          expect([r.kind, r.account, r.region]).toEqual([record.kind, record.account, record.region]);
          switch (record.kind) {
            case 'azure.compute.vm':
              expect(r.state).toBe(record.spec.powerState);
              expect(r.attributes.managedDisks).toBe(!record.planted.includes('azure-vm-unmanaged-disks'));
              expect(r.attributes.publicIp !== undefined).toBe(record.planted.includes('azure-vm-public-ip'));
              expect(r.relations).toEqual(record.spec.nsgId ? [{ type: 'protected-by', target: record.spec.nsgId }] : []);
              break;
            case 'azure.compute.disk':
              expect(r.attributes.public).toBe(record.planted.includes('azure-disk-public-network'));
              expect(r.attributes.cmek).toBe(!record.planted.includes('azure-disk-no-cmk'));
              expect(r.relations.length).toBe(record.planted.includes('volume-unattached') ? 0 : 1);
              break;
            case 'azure.compute.snapshot':
              expect(r.relations).toEqual([{ type: 'snapshot-of', target: record.spec.sourceDiskId }]);
              break;
            case 'azure.network.nsg':
              expect(open(r)).toBe(record.planted.includes('nsg-open-admin-port'));
              break;
            case 'azure.network.public-ip':
              expect(r.state).toBe(record.planted.includes('address-unassociated') ? 'unassociated' : 'associated');
              expect(r.relations).toEqual(record.spec.vmId ? [{ type: 'associated-with', target: record.spec.vmId }] : []);
              break;
          }
        }
      } finally {
        await sandbox.close();
        rmSync(caDir, { recursive: true, force: true });
      }
    });
  }
});
