// The AWS provider against the sandbox through the real SDK clients: scopes, every kind paged to
// the end, normalization checked against the estate records, and credential failures as data.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Resource } from '../../src/model/resource.js';
import { checkAwsCredentials, createAwsProvider } from '../../src/providers/aws/index.js';
import type { CloudProvider, Page, Scope } from '../../src/providers/types.js';
import { services } from '../../src/sandbox/aws/index.js';
import { generateEstate } from '../../src/sandbox/estate/generate.js';
import type { AwsAccount, Estate, EstateResource } from '../../src/sandbox/estate/types.js';
import { FaultInjector } from '../../src/sandbox/server/faults.js';
import { SandboxServer } from '../../src/sandbox/server/server.js';
import { buildAwsEstate } from './aws-fixture.js';

let server: SandboxServer;
let endpoint: string;
let estate: Estate;
let dir: string;
let env: NodeJS.ProcessEnv;

const signal = new AbortController().signal;

/**
 * What the engine does, minus concurrency: every kind in every scope, page by page, retrying a page
 * the provider classifies as throttled, transient or timed out (when `retries` allows).
 */
async function discover(provider: CloudProvider, regions?: string[], raw = false, retries = 0) {
  const listing = await provider.listScopes({ signal, regions });
  const resources: Resource[] = [];
  const requests = new Map<string, number>();
  let pages = 0;
  let retried = 0;
  for (const scope of listing.scopes) {
    for (const spec of provider.kinds.filter((kind) => kind.scopeType === scope.type)) {
      let token: string | undefined;
      do {
        let page: Page | undefined;
        for (let attempt = 0; !page; attempt++) {
          try {
            page = await spec.listPage(scope, token, {
              signal,
              raw,
              onRequest: (service) => requests.set(service, (requests.get(service) ?? 0) + 1),
            });
          } catch (error) {
            const { class: cls } = provider.classify(error);
            if (attempt >= retries || !['throttle', 'transient', 'timeout'].includes(cls)) throw error;
            retried++;
            await new Promise((resolve) => setTimeout(resolve, 20 * attempt));
          }
        }
        pages++;
        resources.push(...page.resources);
        token = page.next;
      } while (token);
    }
  }
  return { listing, resources, requests, pages, retried };
}

const countKey = (r: { kind: string; account: string; region: string }) => `${r.kind} ${r.account} ${r.region}`;
function counts(items: { kind: string; account: string; region: string }[]): Record<string, number> {
  const result: Record<string, number> = {};
  for (const item of items) result[countKey(item)] = (result[countKey(item)] ?? 0) + 1;
  return result;
}

function byId(resources: Resource[]): Map<string, Resource> {
  return new Map(resources.map((r) => [r.id, r]));
}

function expectNormalized(found: Map<string, Resource>, record: EstateResource): void {
  const r = found.get(record.id);
  expect(r, record.id).toBeDefined();
  if (!r) return;
  expect(r.account).toBe(record.account);
  expect(r.region).toBe(record.region);
  if (record.createdAt && r.createdAt) expect(Date.parse(r.createdAt)).toBe(Date.parse(record.createdAt));
  const { Name: _name, ...tags } = r.tags;
  expect(tags).toEqual(Object.fromEntries(Object.entries(record.tags).filter(([key]) => key !== 'Name')));
  switch (record.kind) {
    case 'aws.ec2.instance':
      expect(r.name).toBe(record.name);
      expect(r.state).toBe(record.spec.state);
      expect(r.attributes).toMatchObject({
        instanceType: record.spec.instanceType,
        imdsV1Allowed: record.spec.httpTokens === 'optional',
        privateIp: record.spec.privateIp,
      });
      expect(r.attributes.publicIp).toBe(record.spec.publicIp);
      expect(r.relations).toEqual([
        { type: 'in-network', target: record.spec.vpcId },
        ...record.spec.securityGroupIds.map((target) => ({ type: 'protected-by', target })),
      ]);
      break;
    case 'aws.ec2.volume':
      expect(r.attributes).toMatchObject({
        sizeGb: record.spec.sizeGb,
        volumeType: record.spec.volumeType,
        encrypted: record.spec.encrypted,
      });
      expect(r.state).toBe(record.spec.state);
      expect(r.relations).toEqual(record.spec.attachedInstanceId ? [{ type: 'attached-to', target: record.spec.attachedInstanceId }] : []);
      break;
    case 'aws.ec2.snapshot':
      expect(r.attributes).toMatchObject({ sizeGb: record.spec.sizeGb, encrypted: record.spec.encrypted, public: record.spec.public });
      expect(r.relations).toEqual([{ type: 'snapshot-of', target: record.spec.volumeId }]);
      break;
    case 'aws.ec2.security-group': {
      expect(r.name).toBe(record.spec.groupName);
      expect(r.attributes.isDefault).toBe(record.spec.isDefault);
      const expected = record.spec.ingress.flatMap((rule) => {
        const protocol = rule.protocol === '-1' ? 'all' : rule.protocol;
        const ports = rule.protocol === 'tcp' || rule.protocol === 'udp' ? { fromPort: rule.fromPort, toPort: rule.toPort } : {};
        return [...rule.cidrs, ...rule.ipv6Cidrs, ...rule.groups].map((source) => ({ protocol, ...ports, source, action: 'allow' }));
      });
      expect(r.attributes.ingress).toEqual(expected);
      expect(r.relations).toEqual([{ type: 'in-network', target: record.spec.vpcId }]);
      break;
    }
    case 'aws.ec2.address':
      expect(r.attributes.publicIp).toBe(record.spec.publicIp);
      expect(r.relations).toEqual(record.spec.instanceId ? [{ type: 'associated-with', target: record.spec.instanceId }] : []);
      break;
    case 'aws.ec2.vpc':
      expect(r.attributes).toMatchObject({ cidr: record.spec.cidr, isDefault: record.spec.isDefault });
      break;
    case 'aws.ec2.image':
      expect(r.name).toBe(record.name);
      expect(r.attributes.public).toBe(record.spec.public);
      break;
    case 'aws.rds.instance':
      expect(r.name).toBe(record.spec.identifier);
      expect(r.attributes).toMatchObject({
        instanceType: record.spec.instanceClass,
        engine: record.spec.engine,
        encrypted: record.spec.storageEncrypted,
        public: record.spec.publiclyAccessible,
        backupRetentionDays: record.spec.backupRetentionDays,
        deletionProtection: record.spec.deletionProtection,
        multiAz: record.spec.multiAz,
        storageGb: record.spec.storageGb,
      });
      expect(r.relations).toEqual(record.spec.vpcSecurityGroupIds.map((target) => ({ type: 'protected-by', target })));
      break;
    case 'aws.s3.bucket':
      expect(r.name).toBe(record.name);
      expect(r.attributes).toMatchObject({
        publicAccessBlock: record.spec.publicAccessBlock !== undefined,
        defaultEncryption: record.spec.encryption !== undefined,
        versioning: record.spec.versioning,
      });
      expect(r.attributes.encryptionAlgorithm).toBe(record.spec.encryption);
      break;
    case 'aws.elbv2.load-balancer':
      expect(r.name).toBe(record.name);
      expect(r.attributes).toMatchObject({ scheme: record.spec.scheme, lbType: record.spec.type });
      expect(r.attributes.listeners).toEqual(
        record.spec.listeners.map((l) => ({ protocol: l.protocol, port: l.port, ...(l.sslPolicy ? { sslPolicy: l.sslPolicy } : {}) })),
      );
      expect(r.relations).toEqual([
        { type: 'in-network', target: record.spec.vpcId },
        ...(record.spec.type === 'application' ? record.spec.securityGroupIds : []).map((target) => ({ type: 'protected-by', target })),
      ]);
      break;
    default:
      throw new Error(`unexpected ${record.kind}`);
  }
}

beforeAll(async () => {
  estate = buildAwsEstate({ instances: 1234, rdsInstances: 45, buckets: 150, loadBalancers: 60 });
  server = new SandboxServer(estate, services);
  endpoint = await server.listen();
  dir = await mkdtemp(path.join(tmpdir(), 'guardian-aws-'));
  const [management, prod] = estate.aws.accounts;
  await writeFile(
    path.join(dir, 'credentials'),
    [
      `[mgmt]\naws_access_key_id = ${management.accessKeyId}\naws_secret_access_key = ${management.secretAccessKey}\n`,
      `[prod]\naws_access_key_id = ${prod.accessKeyId}\naws_secret_access_key = ${prod.secretAccessKey}\n`,
      `[revoked]\naws_access_key_id = AKIAREVOKED000000000\naws_secret_access_key = nope\n`,
    ].join('\n'),
  );
  await writeFile(path.join(dir, 'config'), '[profile mgmt]\nregion = us-east-1\n');
  env = { AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'credentials'), AWS_CONFIG_FILE: path.join(dir, 'config'), AWS_REGION: 'us-east-1' };
});

afterAll(async () => {
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('AWS provider', () => {
  let organization: ReturnType<typeof discover> | undefined;
  const discoverOrganization = () => {
    organization ??= discover(createAwsProvider({ profiles: ['mgmt'], assumeRole: estate.aws.organizationRole, endpoint }, env));
    return organization;
  };

  it('discovers every kind in every member account and region of the organization, matching the estate', async () => {
    const { listing, resources, requests } = await discoverOrganization();
    expect(listing.failures).toEqual([]);
    const accounts = estate.aws.accounts;
    expect(listing.scopes.filter((s) => s.type === 'account').map((s) => s.account)).toEqual(accounts.map((a) => a.id));
    // Every default region (us-east-1, us-west-2, eu-west-1 here) and the opt-in ones each account enabled.
    const enabled = (a: AwsAccount) => estate.aws.allRegions.filter((r) => r !== 'ap-east-1' || a.regions.includes(r));
    expect(listing.scopes.filter((s) => s.type === 'region').map((s) => `${s.account} ${s.region}`)).toEqual(
      accounts.flatMap((a) => enabled(a).map((r) => `${a.id} ${r}`)),
    );
    // Counts by kind × account × region equal the estate's, with nothing duplicated.
    expect(counts(resources)).toEqual(counts(estate.resources));
    expect(new Set(resources.map((r) => `${r.account}/${r.id}`)).size).toBe(resources.length);
    // S3 posture costs four calls per bucket on top of the listing pages.
    const buckets = estate.resources.filter((r) => r.kind === 'aws.s3.bucket');
    // One listing chain per account × enabled region, of pages of 50.
    const listingPages = accounts
      .flatMap((a) => enabled(a).map((region) => buckets.filter((b) => b.account === a.id && b.region === region).length))
      .reduce((sum, n) => sum + Math.max(1, Math.ceil(n / 50)), 0);
    expect(requests.get('s3')).toBe(buckets.length * 4 + listingPages);
  });

  it('normalizes attributes, tags and relations as the estate records them', async () => {
    const { resources } = await discoverOrganization();
    const found = byId(resources);
    for (const record of estate.resources) expectNormalized(found, record);
    expect(resources.every((r) => r.raw === undefined)).toBe(true);
  });

  for (const [seed, size] of [
    [42, 2000],
    [7, 600],
  ] as const) {
    it(`discovers a generated estate (seed ${seed}, size ${size}) exactly`, async () => {
      const generated = generateEstate({ seed, size, now: '2026-01-15' });
      const sandbox = new SandboxServer(generated, services);
      const origin = await sandbox.listen();
      try {
        const management = generated.aws.accounts.find((a) => a.management)!;
        const provider = createAwsProvider(
          { assumeRole: generated.aws.organizationRole, endpoint: origin },
          { AWS_ACCESS_KEY_ID: management.accessKeyId, AWS_SECRET_ACCESS_KEY: management.secretAccessKey, AWS_REGION: 'us-east-1' },
        );
        const { listing, resources } = await discover(provider);
        expect(listing.failures).toEqual([]);
        const records = generated.resources.filter((r) => r.kind.startsWith('aws.'));
        expect(counts(resources)).toEqual(counts(records));
        const found = byId(resources);
        for (const record of records) expectNormalized(found, record);
      } finally {
        await sandbox.close();
      }
    });
  }

  it('loses and duplicates nothing under throttling, 5 % server errors and connection resets', async () => {
    const injector = new FaultInjector({ seed: 3, errorRate: 0.05, resetRate: 0.03, throttle: { capacity: 40, refillPerSecond: 200 } });
    server.intercept(injector.intercept);
    try {
      const provider = createAwsProvider({ profiles: ['mgmt'], assumeRole: estate.aws.organizationRole, endpoint }, env);
      const { listing, resources, retried } = await discover(provider, undefined, false, 8);
      expect(listing.failures).toEqual([]);
      expect(counts(resources)).toEqual(counts(estate.resources));
      expect(new Set(resources.map((r) => `${r.account}/${r.id}`)).size).toBe(resources.length);
      const found = byId(resources);
      for (const record of estate.resources) expectNormalized(found, record);
      expect(injector.stats.serverErrors + injector.stats.resets + injector.stats.throttled).toBeGreaterThan(50);
      expect(retried).toBeGreaterThan(0);
    } finally {
      server.intercept(() => undefined);
    }
  });

  it('keeps a region outage to that region’s scopes: S3 elsewhere still lists, the held call times out', async () => {
    const injector = new FaultInjector({ seed: 1, outages: ['eu-west-1'] });
    server.intercept(injector.intercept);
    try {
      const provider = createAwsProvider({ profiles: ['mgmt'], endpoint }, env, { callTimeoutMs: 300 });
      const listing = await provider.listScopes({ signal });
      const buckets = provider.kinds.find((k) => k.kind === 'aws.s3.bucket')!;
      const east = listing.scopes.find((s) => s.region === 'us-east-1')!;
      const west = listing.scopes.find((s) => s.region === 'eu-west-1')!;
      const page = await buckets.listPage(east, undefined, { signal, raw: false });
      expect(page.resources.map((r) => r.name)).toEqual(
        estate.resources
          .filter((r) => r.kind === 'aws.s3.bucket' && r.account === east.account && r.region === 'us-east-1')
          .map((r) => r.name)
          .slice(0, 50),
      );
      const error = await buckets.listPage(west, undefined, { signal, raw: false }).then(
        () => undefined,
        (e: unknown) => provider.classify(e),
      );
      expect(error?.class).toBe('timeout');
    } finally {
      injector.release();
      server.intercept(() => undefined);
    }
  });

  it('confirms each public snapshot from its createVolumePermission, even against a store that ignores RestorableByUserIds', async () => {
    const provider = createAwsProvider({ profiles: ['mgmt'], endpoint }, env);
    const listing = await provider.listScopes({ signal, regions: ['us-east-1'] });
    const scope = listing.scopes.find((s) => s.type === 'region') as Scope;
    const spec = provider.kinds.find((k) => k.kind === 'aws.ec2.snapshot')!;
    const truth = estate.resources.filter((r) => r.kind === 'aws.ec2.snapshot' && r.account === scope.account && r.region === 'us-east-1');
    const publicIds = truth.filter((r) => r.kind === 'aws.ec2.snapshot' && r.spec.public).map((r) => r.id);
    expect(publicIds.length).toBeGreaterThan(0);
    expect(publicIds.length).toBeLessThan(truth.length);
    const read = async () => {
      const calls: string[] = [];
      const page = await spec.listPage(scope, undefined, { signal, raw: false, onRequest: (service) => void calls.push(service) });
      return { publicOnes: page.resources.filter((r) => r.attributes.public === true).map((r) => r.id), calls: calls.length };
    };
    // Listing + filtered listing + one attribute call per public snapshot.
    const faithful = await read();
    expect(faithful.publicOnes).toEqual(publicIds);
    expect(faithful.calls).toBe(2 + publicIds.length);
    // An emulator that drops the filter answers every snapshot as restorable by all.
    server.intercept((req, service, ctx) => {
      const form = new URLSearchParams(req.body.toString('utf8'));
      if (req.aws?.service !== 'ec2' || !form.has('RestorableBy.1')) return undefined;
      form.delete('RestorableBy.1');
      return service.handle({ ...req, body: Buffer.from(form.toString()) }, ctx);
    });
    try {
      const fooled = await read();
      expect(fooled.publicOnes).toEqual(publicIds);
      expect(fooled.calls).toBe(2 + truth.length);
    } finally {
      server.intercept(() => undefined);
    }
  });

  it('keeps the SDK object with raw', async () => {
    const provider = createAwsProvider({ profiles: ['prod'], endpoint }, env);
    const listing = await provider.listScopes({ signal, regions: ['eu-west-1'] });
    const scope = listing.scopes.find((s) => s.type === 'region') as Scope;
    const spec = provider.kinds.find((k) => k.kind === 'aws.ec2.instance')!;
    const page = await spec.listPage(scope, undefined, { signal, raw: true });
    expect(page.resources[0].raw).toMatchObject({ InstanceId: page.resources[0].id });
  });

  it('covers several named profiles without an organization role, restricted by accounts and regions', async () => {
    const [management, prod] = estate.aws.accounts;
    const both = await createAwsProvider({ profiles: ['mgmt', 'prod'], endpoint }, env).listScopes({ signal });
    expect([...new Set(both.scopes.map((s) => s.account))]).toEqual([management.id, prod.id]);
    const narrowed = createAwsProvider({ profiles: ['mgmt', 'prod'], accounts: [prod.id], regions: ['eu-west-1'], endpoint }, env);
    const { listing, resources } = await discover(narrowed);
    expect(listing.scopes.map((s) => s.label)).toEqual([`aws ${prod.id} global`, `aws ${prod.id} eu-west-1`]);
    const expected = estate.resources.filter((r) => r.account === prod.id && r.region === 'eu-west-1');
    expect(counts(resources)).toEqual(counts(expected));
  });

  it('reports a profile whose keys are refused as an auth scope failure naming the profile, and keeps the others', async () => {
    const provider = createAwsProvider({ profiles: ['revoked', 'prod', 'missing'], endpoint }, env);
    const listing = await provider.listScopes({ signal });
    expect(listing.scopes.length).toBeGreaterThan(0);
    const revoked = listing.failures.find((f) => f.account === 'revoked');
    expect(revoked?.error).toMatchObject({ class: 'auth', code: 'InvalidClientTokenId' });
    expect(revoked?.error.message).toContain('revoked');
    const missing = listing.failures.find((f) => f.account === 'missing');
    expect(missing?.error.class).toBe('auth');
  });

  it('reports a refused AssumeRole as that account’s failure', async () => {
    const provider = createAwsProvider({ profiles: ['mgmt'], assumeRole: 'NoSuchRole', endpoint }, env);
    const listing = await provider.listScopes({ signal });
    expect(listing.failures.map((f) => [f.account, f.error.class, f.error.code])).toEqual([
      [estate.aws.accounts[1].id, 'denied', 'AccessDenied'],
      [estate.aws.accounts[2].id, 'denied', 'AccessDenied'],
    ]);
    expect(new Set(listing.scopes.map((s) => s.account))).toEqual(new Set([estate.aws.accounts[0].id]));
  });

  it('takes keys from the environment and the endpoint from AWS_ENDPOINT_URL', async () => {
    const [management] = estate.aws.accounts;
    const provider = createAwsProvider(
      {},
      {
        AWS_ACCESS_KEY_ID: management.accessKeyId,
        AWS_SECRET_ACCESS_KEY: management.secretAccessKey,
        AWS_ENDPOINT_URL: endpoint,
        AWS_REGION: 'eu-west-1',
      },
    );
    const listing = await provider.listScopes({ signal, regions: ['eu-west-1'] });
    expect(listing.failures).toEqual([]);
    expect(listing.scopes.map((s) => s.label)).toEqual([`aws ${management.id} global`, `aws ${management.id} eu-west-1`]);
  });

  it('classifies throttling, server errors, resets and auth failures the engine can act on', async () => {
    const provider = createAwsProvider({ profiles: ['mgmt'], endpoint }, env);
    const listing = await provider.listScopes({ signal, regions: ['us-east-1'] });
    const scope = listing.scopes.find((s) => s.type === 'region')!;
    const spec = provider.kinds.find((k) => k.kind === 'aws.ec2.volume')!;
    const attempt = async () => {
      try {
        await spec.listPage(scope, undefined, { signal, raw: false });
        return undefined;
      } catch (error) {
        return provider.classify(error);
      }
    };
    try {
      server.intercept((req, service) => service.faultResponse(req, 'throttle'));
      expect(await attempt()).toMatchObject({ class: 'throttle', code: 'RequestLimitExceeded' });
      server.intercept((req, service) => service.faultResponse(req, 'server-error'));
      expect(await attempt()).toMatchObject({ class: 'transient', code: 'InternalError' });
      server.intercept(() => 'reset');
      expect((await attempt())?.class).toBe('transient');
    } finally {
      server.intercept(() => undefined);
    }
    expect(await attempt()).toBeUndefined();
    expect(provider.classify(Object.assign(new Error('x'), { name: 'UnauthorizedOperation' })).class).toBe('denied');
    expect(provider.classify(Object.assign(new Error('x'), { name: 'ExpiredToken' })).class).toBe('auth');
    expect(provider.classify(Object.assign(new Error('x'), { name: 'TimeoutError' })).class).toBe('timeout');
    expect(provider.classify(Object.assign(new Error('x'), { name: 'OptInRequired' })).class).toBe('denied');
  });

  it('checks each profile’s credentials and permissions for config test', async () => {
    const results = await checkAwsCredentials(
      { profiles: ['mgmt', 'revoked', 'missing'], assumeRole: estate.aws.organizationRole, endpoint },
      env,
    );
    expect(results[0]).toMatchObject({ profile: 'mgmt', ok: true, account: estate.aws.accounts[0].id });
    // One probe per scope step and per spec, each naming the spec's own permissions.
    const provider = createAwsProvider({ profiles: ['mgmt'], endpoint }, env);
    expect(results[0].checks.map((c) => [c.subject, c.ok])).toEqual([
      ['sts:GetCallerIdentity', true],
      ['ec2:DescribeRegions', true],
      ...provider.kinds.map((spec) => [spec.kind, true]),
      ['organizations:ListAccounts', true],
      [`sts:AssumeRole ${estate.aws.organizationRole} in ${estate.aws.accounts[1].id}`, true],
    ]);
    for (const spec of provider.kinds)
      expect(results[0].checks.find((c) => c.subject === spec.kind)?.permissions).toEqual(spec.permissions);
    // Each probe is one first page at the smallest size the API takes (EC2 5 — reservations, the
    // fixture's instances launched in pairs —, RDS 20, ELBv2 and S3 1), not a listing.
    const seenOf = (kind: string) => results[0].seen.filter((r) => r.kind === kind).length;
    expect(seenOf('aws.ec2.instance')).toBeGreaterThan(0);
    expect(seenOf('aws.ec2.instance')).toBeLessThanOrEqual(10);
    expect(seenOf('aws.ec2.volume')).toBeLessThanOrEqual(5);
    expect(seenOf('aws.rds.instance')).toBeLessThanOrEqual(20);
    expect(seenOf('aws.elbv2.load-balancer')).toBeLessThanOrEqual(1);
    expect(seenOf('aws.s3.bucket')).toBeLessThanOrEqual(1);
    expect(results[1]).toMatchObject({ profile: 'revoked', ok: false });
    expect(results[1].problem).toContain('InvalidClientTokenId');
    expect(results[2]).toMatchObject({ profile: 'missing', ok: false });
    expect(results[2].problem).toMatch(/no usable credentials/);
    const member = await checkAwsCredentials({ profiles: ['prod'], assumeRole: estate.aws.organizationRole, endpoint }, env);
    expect(member[0].checks.find((c) => c.subject === 'organizations:ListAccounts')).toMatchObject({
      ok: false,
      code: 'AccessDeniedException',
    });
  });
});
