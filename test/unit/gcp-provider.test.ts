// The GCP provider against the sandbox: scopes, every kind paged to the end through the real
// @google-cloud/compute clients, normalization checked record by record against the estate,
// relations, --raw, cancellation, error classes and `config test`'s credential check.

import { generateKeyPairSync } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IngressRule, Resource } from '../../src/model/resource.js';
import { endpointOptions } from '../../src/providers/gcp/clients.js';
import { checkGcpCredentials, createGcpProvider, resolveGcpRelations } from '../../src/providers/gcp/index.js';
import type { CloudProvider, Scope } from '../../src/providers/types.js';
import { generateEstate } from '../../src/sandbox/estate/generate.js';
import type { Estate, EstateResource, GcpFirewall } from '../../src/sandbox/estate/types.js';
import { googleError } from '../../src/sandbox/gcp/google-errors.js';
import { buildGcpEstate, type GcpSandbox, startGcpSandbox } from './gcp-fixture.js';

let estate: Estate;
let sandbox: GcpSandbox;
const signal = new AbortController().signal;
const opened: { close(): Promise<void> }[] = [];

beforeAll(async () => {
  // 300 instances per zone: instances, disks and snapshots take two pages of 500.
  estate = buildGcpEstate(300);
  sandbox = await startGcpSandbox(estate);
});

afterAll(async () => {
  await Promise.all(opened.map((provider) => provider.close()));
  await sandbox?.close();
});

function provider(projects: string[] | undefined = ['acme-prod', 'acme-staging'], keyFile = sandbox.keyFile, env: NodeJS.ProcessEnv = {}) {
  const created = createGcpProvider({ keyFile, endpoint: sandbox.origin, ...(projects ? { projects } : {}) }, env, {
    callTimeoutMs: 10_000,
  });
  opened.push(created);
  return created;
}

/** What the engine does: every kind in every scope, page by page to the end. */
async function listEverything(
  gcp: CloudProvider,
  scopes: Scope[],
  raw = false,
): Promise<{ resources: Resource[]; pages: Map<string, number> }> {
  const resources: Resource[] = [];
  const pages = new Map<string, number>();
  for (const spec of gcp.kinds) {
    for (const scope of scopes) {
      let token: string | undefined;
      do {
        const page = await spec.listPage(scope, token, { signal, raw });
        resources.push(...page.resources);
        pages.set(spec.kind, (pages.get(spec.kind) ?? 0) + 1);
        token = page.next;
      } while (token);
    }
  }
  return { resources, pages };
}

async function badKeyFile(): Promise<string> {
  const good = JSON.parse(await readFile(sandbox.keyFile, 'utf8'));
  const { privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  const path = join(dirname(sandbox.keyFile), 'unregistered.json');
  await writeFile(path, JSON.stringify({ ...good, private_key: privateKey }), { mode: 0o600 });
  return path;
}

/** The firewall rules an estate record should flatten into. */
function expectedIngress(firewall: GcpFirewall): IngressRule[] {
  if (firewall.spec.direction !== 'INGRESS' || firewall.spec.disabled) return [];
  const sources = firewall.spec.sourceRanges.length > 0 ? firewall.spec.sourceRanges : ['0.0.0.0/0'];
  return firewall.spec.allowed.flatMap((entry) => {
    const ranges = (entry.ports ?? []).map((port) => {
      const [from, to] = port.split('-').map(Number);
      return { fromPort: from, toPort: to ?? from };
    });
    return (ranges.length > 0 ? ranges : [{}]).flatMap((range) =>
      sources.map((source) => ({
        protocol: entry.IPProtocol.toLowerCase(),
        ...range,
        source,
        action: 'allow' as const,
        priority: firewall.spec.priority,
      })),
    );
  });
}

/** The Resource a provider must produce for an estate record (selfLinks aside). */
function expectedResource(record: EstateResource, all: EstateResource[]): Partial<Resource> {
  const common = {
    cloud: 'gcp' as const,
    kind: record.kind,
    id: record.id,
    name: record.name,
    account: record.account,
    region: record.region,
    createdAt: record.createdAt,
    tags: record.tags,
  };
  switch (record.kind) {
    case 'gcp.compute.instance': {
      const firewalls = all.filter(
        (candidate): candidate is GcpFirewall =>
          candidate.kind === 'gcp.compute.firewall' &&
          candidate.account === record.account &&
          candidate.spec.network === record.spec.network &&
          candidate.spec.direction === 'INGRESS' &&
          !candidate.spec.disabled &&
          (candidate.spec.targetTags.length === 0 || candidate.spec.targetTags.some((tag) => record.spec.networkTags.includes(tag))),
      );
      return {
        ...common,
        state: record.spec.status,
        attributes: expect.objectContaining({
          instanceType: record.spec.machineType,
          publicIp: record.spec.natIp,
          privateIp: record.spec.internalIp,
          serialPortEnabled: record.spec.serialPortEnabled,
          projectSshKeysBlocked: record.spec.blockProjectSshKeys,
          serviceAccount: record.spec.serviceAccountEmail || undefined,
          serviceAccountScopes: record.spec.serviceAccountEmail ? record.spec.scopes : undefined,
          networkTags: record.spec.networkTags,
        }),
        relations: expect.arrayContaining([
          expect.objectContaining({ type: 'in-network' }),
          ...firewalls.map((firewall) => ({ type: 'protected-by', target: firewall.id })),
        ]),
      };
    }
    case 'gcp.compute.disk':
      return {
        ...common,
        state: record.spec.status,
        attributes: expect.objectContaining({
          sizeGb: record.spec.sizeGb,
          volumeType: record.spec.type,
          encrypted: true,
          cmek: record.spec.kmsKeyName !== undefined,
        }),
        relations: record.spec.users.map((target) => ({ type: 'attached-to', target })),
      };
    case 'gcp.compute.snapshot':
      return {
        ...common,
        state: record.spec.status,
        attributes: expect.objectContaining({
          sizeGb: record.spec.diskSizeGb,
          storageBytes: record.spec.storageBytes,
          encrypted: true,
          cmek: record.spec.kmsKeyName !== undefined,
        }),
        relations: [{ type: 'snapshot-of', target: record.spec.sourceDiskId }],
      };
    case 'gcp.compute.firewall':
      return {
        ...common,
        // Compute Engine firewall rules have no labels field, so estate tags cannot come back.
        tags: {},
        state: record.spec.disabled ? 'disabled' : 'enabled',
        attributes: expect.objectContaining({
          ingress: expectedIngress(record),
          priority: record.spec.priority,
          direction: record.spec.direction,
          targetTags: record.spec.targetTags,
        }),
      };
    case 'gcp.compute.address':
      return {
        ...common,
        state: record.spec.status,
        attributes: expect.objectContaining({
          addressType: record.spec.addressType,
          ...(record.spec.addressType === 'EXTERNAL' ? { publicIp: record.spec.address } : { privateIp: record.spec.address }),
        }),
        relations: record.spec.users.map((target) => ({ type: 'associated-with', target })),
      };
    default:
      throw new Error(`not a GCP record: ${record.kind}`);
  }
}

describe('scopes', () => {
  it('lists one account scope per configured project and reports an unknown one as not found', async () => {
    const gcp = provider(['acme-prod', 'acme-staging', 'acme-gone']);
    const listing = await gcp.listScopes({ signal });
    expect(listing.scopes.map((scope) => [scope.type, scope.account, scope.region])).toEqual([
      ['account', 'acme-prod', 'global'],
      ['account', 'acme-staging', 'global'],
    ]);
    expect(listing.failures).toEqual([
      {
        cloud: 'gcp',
        account: 'acme-gone',
        error: { class: 'not-found', code: 'NOT_FOUND', message: "The resource 'projects/acme-gone' was not found" },
      },
    ]);
  });

  it('says to set gcp.projects when none is configured', async () => {
    const listing = await provider([]).listScopes({ signal });
    expect(listing.scopes).toEqual([]);
    expect(listing.failures[0].error.message).toMatch(/set gcp\.projects/);
  });

  it('reports a key the token endpoint refuses as an auth failure for every project', async () => {
    const listing = await provider(['acme-prod', 'acme-staging'], await badKeyFile()).listScopes({ signal });
    expect(listing.scopes).toEqual([]);
    expect(listing.failures.map((failure) => [failure.account, failure.error.class, failure.error.code])).toEqual([
      ['acme-prod', 'auth', 'invalid_grant'],
      ['acme-staging', 'auth', 'invalid_grant'],
    ]);
  });

  it('reports an unreadable key file as an auth failure naming the file', async () => {
    const listing = await provider(['acme-prod'], '/nonexistent/key.json').listScopes({ signal });
    expect(listing.failures[0].error).toMatchObject({ class: 'auth' });
    expect(listing.failures[0].error.message).toContain('/nonexistent/key.json');
  });
});

describe('listing', () => {
  let resources: Resource[];
  let pages: Map<string, number>;

  beforeAll(async () => {
    const gcp = provider();
    const listing = await gcp.listScopes({ signal });
    ({ resources, pages } = await listEverything(gcp, listing.scopes));
    resolveGcpRelations(resources);
  });

  it('pages through every kind, multi-page where the project holds more than 500', () => {
    const gcpRecords = estate.resources.filter((record) => record.kind.startsWith('gcp.'));
    expect(resources.length).toBe(gcpRecords.length);
    expect(new Set(resources.map((resource) => resource.id)).size).toBe(resources.length);
    // acme-prod: 600 instances/disks/snapshots → 2 pages; acme-staging: 1 page each.
    expect(Object.fromEntries(pages)).toEqual({
      'gcp.compute.instance': 3,
      'gcp.compute.disk': 3,
      'gcp.compute.address': 2,
      'gcp.compute.snapshot': 3,
      'gcp.compute.firewall': 2,
    });
  });

  it('normalizes every record into what the estate says, relations resolved to ids', () => {
    const byId = new Map(resources.map((resource) => [resource.id, resource]));
    const mismatched = estate.resources.filter((record) => {
      try {
        expect(byId.get(record.id)).toMatchObject(expectedResource(record, estate.resources));
        return false;
      } catch {
        return true;
      }
    });
    // Report the first mismatch in full rather than hundreds of diffs.
    if (mismatched.length > 0) expect(byId.get(mismatched[0].id)).toMatchObject(expectedResource(mismatched[0], estate.resources));
  });

  it('flattens a firewall into one ingress rule per protocol, port range and source', () => {
    const firewall = resources.find((resource) => resource.name === 'allow-ssh-world')!;
    expect(firewall.attributes.ingress).toEqual([
      { protocol: 'tcp', fromPort: 22, toPort: 22, source: '0.0.0.0/0', action: 'allow', priority: 1000 },
      { protocol: 'tcp', fromPort: 8000, toPort: 8080, source: '0.0.0.0/0', action: 'allow', priority: 1000 },
      { protocol: 'icmp', source: '0.0.0.0/0', action: 'allow', priority: 1000 },
    ]);
  });

  it('leaves out the SDK object unless asked', () => {
    expect(resources.every((resource) => resource.raw === undefined)).toBe(true);
  });
});

describe('per page behaviour', () => {
  it('keeps the SDK object with raw', async () => {
    const gcp = provider();
    const [scope] = (await gcp.listScopes({ signal })).scopes;
    const firewalls = gcp.kinds.find((spec) => spec.kind === 'gcp.compute.firewall')!;
    const page = await firewalls.listPage(scope, undefined, { signal, raw: true });
    expect(page.resources[0].raw).toMatchObject({ kind: 'compute#firewall', name: 'allow-ssh-world', sourceRanges: ['0.0.0.0/0'] });
    expect(Object.keys(page.resources[0].raw as object).some((key) => key.startsWith('_'))).toBe(false);
  });

  it('narrows zonal and regional resources to the requested regions', async () => {
    const gcp = provider(['acme-prod']);
    const [scope] = (await gcp.listScopes({ regions: ['europe-west1'], signal })).scopes;
    const { resources } = await listEverything(gcp, [scope]);
    const regional = resources.filter((resource) => resource.region !== 'global');
    expect(regional.length).toBeGreaterThan(0);
    expect(regional.every((resource) => resource.region.startsWith('europe-west1'))).toBe(true);
  });

  it('counts each API request and abandons a call when the signal aborts', async () => {
    const gcp = provider(['acme-prod']);
    const [scope] = (await gcp.listScopes({ signal })).scopes;
    const instances = gcp.kinds.find((spec) => spec.kind === 'gcp.compute.instance')!;
    const requests: string[] = [];
    await instances.listPage(scope, undefined, { signal, raw: false, onRequest: (service) => requests.push(service) });
    expect(requests).toEqual(['compute']);

    let release: () => void = () => {};
    sandbox.server.intercept(() => new Promise((resolve) => (release = () => resolve(undefined))));
    try {
      const controller = new AbortController();
      const pending = instances.listPage(scope, undefined, { signal: controller.signal, raw: false });
      setTimeout(() => controller.abort(), 50);
      await expect(pending).rejects.toThrow();
    } finally {
      sandbox.server.intercept(() => undefined);
      release();
    }
  });

  it('classifies Compute’s 403 rateLimitExceeded as throttling and 403 forbidden as denied', async () => {
    const gcp = provider(['acme-prod']);
    const [scope] = (await gcp.listScopes({ signal })).scopes;
    const disks = gcp.kinds.find((spec) => spec.kind === 'gcp.compute.disk')!;
    const answers = [
      googleError(403, 'Rate Limit Exceeded', { reason: 'rateLimitExceeded', domain: 'usageLimits' }),
      googleError(403, "Required 'compute.disks.list' permission for 'projects/acme-prod'", { reason: 'forbidden' }),
    ];
    sandbox.server.intercept((_req, service) => (service.name === 'gcp.compute' ? answers.shift() : undefined));
    try {
      const throttled = await disks.listPage(scope, undefined, { signal, raw: false }).catch((error) => error);
      expect(gcp.classify(throttled)).toMatchObject({ class: 'throttle', code: 'PERMISSION_DENIED' });
      const denied = await disks.listPage(scope, undefined, { signal, raw: false }).catch((error) => error);
      expect(gcp.classify(denied)).toMatchObject({
        class: 'denied',
        code: 'PERMISSION_DENIED',
        message: "Required 'compute.disks.list' permission for 'projects/acme-prod'",
      });
    } finally {
      sandbox.server.intercept(() => undefined);
    }
  });
});

describe('credentials', () => {
  it('finds GOOGLE_APPLICATION_CREDENTIALS in the env it is given', async () => {
    const gcp = createGcpProvider(
      { endpoint: sandbox.origin, projects: ['acme-prod'] },
      { GOOGLE_APPLICATION_CREDENTIALS: sandbox.keyFile },
    );
    opened.push(gcp);
    expect((await gcp.listScopes({ signal })).scopes.map((scope) => scope.account)).toEqual(['acme-prod']);
  });

  it("falls back to gcloud's application_default_credentials.json under CLOUDSDK_CONFIG", async () => {
    const configDir = join(dirname(sandbox.keyFile), 'gcloud');
    await mkdir(configDir, { recursive: true });
    await writeFile(join(configDir, 'application_default_credentials.json'), await readFile(sandbox.keyFile));
    const report = await checkGcpCredentials({ endpoint: sandbox.origin, projects: ['acme-prod'] }, { CLOUDSDK_CONFIG: configDir });
    expect(report.ok).toBe(true);
    expect(report.source).toContain("gcloud's application default credentials");
  });

  it('reports exactly which project is unreachable and which key is refused', async () => {
    const report = await checkGcpCredentials(
      { keyFile: sandbox.keyFile, endpoint: sandbox.origin, projects: ['acme-prod', 'acme-gone'] },
      {},
    );
    expect(report).toMatchObject({ ok: false, principal: estate.gcp.serviceAccountEmail });
    // Each reachable project is followed by one probe per spec, naming the spec's IAM permissions.
    const kinds = createGcpProvider({ projects: [] }, {}).kinds;
    expect(report.checks.map((check) => [check.subject, check.ok])).toEqual([
      ['credential', true],
      ['acme-prod', true],
      ...kinds.map((spec) => [`acme-prod: ${spec.kind}`, true]),
      ['acme-gone', false],
    ]);
    for (const spec of kinds)
      expect(report.checks.find((c) => c.subject === `acme-prod: ${spec.kind}`)?.permissions).toEqual(spec.permissions);
    expect(report.checks.find((c) => c.subject === 'acme-gone')?.message).toMatch(/project acme-gone was not found/);
    const refused = await checkGcpCredentials({ keyFile: await badKeyFile(), endpoint: sandbox.origin, projects: ['acme-prod'] }, {});
    expect(refused.ok).toBe(false);
    expect(refused.checks).toEqual([
      { subject: 'credential', ok: false, message: expect.stringMatching(/no access token from .*Invalid JWT Signature/) },
    ]);
  });

  it('turns an endpoint URL into gax host, port and protocol', () => {
    expect(endpointOptions('http://127.0.0.1:4567')).toEqual({ apiEndpoint: '127.0.0.1', port: 4567, protocol: 'http' });
    expect(endpointOptions('compute-private.p.googleapis.com')).toEqual({
      apiEndpoint: 'compute-private.p.googleapis.com',
      port: 443,
      protocol: 'https',
    });
    expect(endpointOptions(undefined)).toEqual({});
  });
});

describe.each([
  { seed: 7, size: 12_000 },
  { seed: 3, size: 400 },
])('against the generated estate (seed $seed, size $size)', ({ seed, size }) => {
  let generated: Estate;
  let generatedSandbox: GcpSandbox;

  beforeAll(async () => {
    generated = generateEstate({ seed, size, now: '2026-01-15' });
    generatedSandbox = await startGcpSandbox(generated);
  });

  afterAll(async () => {
    await generatedSandbox?.close();
  });

  it('lists every GCP record of every project exactly once, normalized as the estate says', async () => {
    const gcp = createGcpProvider(
      {
        keyFile: generatedSandbox.keyFile,
        endpoint: generatedSandbox.origin,
        projects: generated.gcp.projects.map((project) => project.id),
      },
      {},
    );
    opened.push(gcp);
    const listing = await gcp.listScopes({ signal });
    expect(listing.failures).toEqual([]);
    const { resources } = await listEverything(gcp, listing.scopes);
    resolveGcpRelations(resources);
    const records = generated.resources.filter((record) => record.kind.startsWith('gcp.'));
    const count = (items: { kind: string; account: string }[]) =>
      items.reduce<Record<string, number>>((counts, item) => {
        const key = `${item.account} ${item.kind}`;
        counts[key] = (counts[key] ?? 0) + 1;
        return counts;
      }, {});
    expect(count(resources)).toEqual(count(records));
    expect(new Set(resources.map((resource) => resource.id)).size).toBe(records.length);
    const byId = new Map(resources.map((resource) => [resource.id, resource]));
    const mismatched = records.filter((record) => {
      try {
        expect(byId.get(record.id)).toMatchObject(expectedResource(record, records));
        return false;
      } catch {
        return true;
      }
    });
    expect(mismatched.map((record) => record.name)).toEqual([]);
  });
});

describe('without any credential', () => {
  it('says which credentials it looked for', async () => {
    const home = dirname(sandbox?.keyFile ?? '/tmp/none');
    const report = await checkGcpCredentials({ projects: ['acme-prod'] }, { HOME: join(home, 'empty-home') });
    expect(report.ok).toBe(false);
    expect(report.checks[0].message).toMatch(/no GCP credentials found/);
  });
});
