// guardian config policy: the printed documents, and the AWS policy enforced. The sandbox refuses
// every request whose IAM action (read from the request, src/sandbox/aws/iam.ts) the policy does
// not allow, in each protocol's own error: a principal granted exactly the generated policy can
// run discover fully, and one missing an action gets a denied row in config test.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { accessDenied, iamActionOf } from '../../src/sandbox/aws/iam.js';
import { services } from '../../src/sandbox/aws/index.js';
import { generateEstate } from '../../src/sandbox/estate/generate.js';
import type { Estate } from '../../src/sandbox/estate/types.js';
import { SandboxServer } from '../../src/sandbox/server/server.js';

let root: string;
let env: NodeJS.ProcessEnv;
let estate: Estate;
let server: SandboxServer;
/** What the principal is allowed; undefined: everything. */
let allowed: Set<string> | undefined;
const refused: string[] = [];

function guardian(args: string[]) {
  return execa(process.execPath, ['dist/bin/guardian.js', ...args], { reject: false, env, extendEnv: false, stdin: 'ignore' });
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'guardian-policy-'));
  // Today: config test's costs probe asks Cost Explorer for yesterday, which the sandbox bills only up to its day.
  estate = generateEstate({ seed: 42, size: 300, now: new Date().toISOString().slice(0, 10) });
  server = new SandboxServer(estate, services);
  const endpoint = await server.listen();
  server.intercept((req) => {
    const action = iamActionOf(req);
    if (!allowed || (action && allowed.has(action))) return undefined;
    refused.push(action ?? `${req.method} ${req.url.pathname}`);
    return accessDenied(req, action ?? 'unknown', 'arn:aws:iam::000000000000:user/guardian-sandbox');
  });
  const management = estate.aws.accounts.find((account) => account.management)!;
  await writeFile(
    join(root, 'credentials'),
    `[mgmt]\naws_access_key_id = ${management.accessKeyId}\naws_secret_access_key = ${management.secretAccessKey}\n`,
  );
  env = {
    PATH: process.env.PATH,
    HOME: root,
    NO_COLOR: '1',
    GUARDIAN_CONFIG_DIR: join(root, 'config'),
    GUARDIAN_DATA_DIR: join(root, 'data'),
    AWS_SHARED_CREDENTIALS_FILE: join(root, 'credentials'),
    AWS_CONFIG_FILE: join(root, 'none'),
    AWS_REGION: 'us-east-1',
  };
  for (const [key, value] of [
    ['aws.profiles', 'mgmt'],
    ['aws.endpoint', endpoint],
    ['aws.assumeRole', estate.aws.organizationRole],
    ['aws.regions', 'us-east-1,eu-west-1'],
  ]) {
    const set = await guardian(['config', 'set', key, value, '--profile', 'org']);
    expect(set.exitCode, set.stderr).toBe(0);
  }
});

afterAll(async () => {
  await server?.close();
  if (root) await rm(root, { recursive: true, force: true });
});

async function policyActions(extra: string[] = []): Promise<{ read: string[]; all: Set<string> }> {
  const result = await guardian(['config', 'policy', 'aws', '--profile', 'org', '--json', ...extra]);
  expect(result.exitCode, result.stderr).toBe(0);
  const document = JSON.parse(result.stdout) as { Statement: { Action: string[]; Resource: string | string[] }[] };
  return { read: document.Statement[0].Action, all: new Set(document.Statement.flatMap((statement) => statement.Action)) };
}

describe('guardian config policy against a principal granted exactly that policy', () => {
  it('prints an AssumeRole statement on the organisation role beside the read statement', async () => {
    const result = await guardian(['config', 'policy', 'aws', '--profile', 'org']);
    expect(result.exitCode, result.stderr).toBe(0);
    const document = JSON.parse(result.stdout);
    expect(document.Version).toBe('2012-10-17');
    expect(document.Statement[1]).toMatchObject({
      Action: ['sts:AssumeRole'],
      Resource: `arn:aws:iam::*:role/${estate.aws.organizationRole}`,
    });
  });

  it('lets discover list every AWS kind in every account with nothing refused', { timeout: 120_000 }, async () => {
    allowed = (await policyActions()).all;
    refused.length = 0;
    try {
      const result = await guardian(['discover', '--profile', 'org', '--provider', 'aws', '--json', '--no-save', '--strict']);
      expect(result.exitCode, result.stderr).toBe(0);
      const snapshot = JSON.parse(result.stdout);
      expect(snapshot.errors).toEqual([]);
      expect(refused).toEqual([]);
      // The posture a denied sub-call would leave unknown is known for every bucket.
      const buckets = snapshot.resources.filter((r: { kind: string }) => r.kind === 'aws.s3.bucket');
      expect(buckets.length).toBeGreaterThan(0);
      for (const bucket of buckets) expect(bucket.attributes.versioning, bucket.name).not.toBeUndefined();
    } finally {
      allowed = undefined;
    }
  });

  it('gives config test a denied row naming the missing action, and exit 3', { timeout: 120_000 }, async () => {
    const { all } = await policyActions();
    all.delete('ec2:DescribeVolumes');
    allowed = all;
    try {
      const result = await guardian(['config', 'test', '--profile', 'org', '--json']);
      expect(result.exitCode, result.stderr).toBe(3);
      const body = JSON.parse(result.stdout);
      const failed = body.checks.filter((check: { ok: boolean }) => !check.ok);
      expect(failed).toEqual([
        expect.objectContaining({
          subject: 'mgmt: aws.ec2.volume',
          permissions: ['ec2:DescribeVolumes'],
          message: expect.stringMatching(/^UnauthorizedOperation: .* — needs ec2:DescribeVolumes$/),
        }),
      ]);
      expect(result.stderr).toMatch(/aws\.ec2\.volume/);
    } finally {
      allowed = undefined;
    }
  });

  it('with --with changes lets optimize --apply delete a volume after its snapshot and undo recreate it, with nothing refused', {
    timeout: 180_000,
  }, async () => {
    const journal = join(root, 'policy-apply.jsonl');
    const planned = await guardian(['optimize', '--profile', 'org', '--provider', 'aws', '--rules', 'AWS-COST-005', '--json']);
    expect(planned.exitCode, planned.stderr).toBe(0);
    const item = (JSON.parse(planned.stdout) as { plan: { id: string; action: string }[] }).plan.find((r) => r.action === 'delete-volume')!;
    const { all } = await policyActions(['--with', 'changes']);
    // The default policy stays read-only: the changes come only with --with changes.
    expect([...(await policyActions()).all].filter((action) => /Delete|Create|Stop|Release|Modify/.test(action))).toEqual([]);
    allowed = all;
    refused.length = 0;
    try {
      const apply = await guardian([
        'optimize',
        '--profile',
        'org',
        '--provider',
        'aws',
        '--rules',
        'AWS-COST-005',
        '--apply',
        item.id,
        '--yes',
        '--journal',
        journal,
      ]);
      expect(apply.exitCode, apply.stderr).toBe(0);
      const undo = await guardian(['optimize', 'undo', journal, '--profile', 'org', '--json']);
      expect(undo.exitCode, undo.stderr).toBe(0);
      expect(JSON.parse(undo.stdout).items).toMatchObject([{ id: item.id, status: 'undone' }]);
      expect(refused).toEqual([]);
    } finally {
      allowed = undefined;
    }
  });

  it('prints the GCP role as YAML gcloud reads, and the Azure role with a documented placeholder', async () => {
    const gcp = await guardian(['config', 'policy', 'gcp', '--with', 'metrics']);
    expect(gcp.exitCode, gcp.stderr).toBe(0);
    const role = parse(gcp.stdout);
    expect(role).toMatchObject({ stage: 'GA', title: expect.any(String), description: expect.any(String) });
    expect(role.includedPermissions).toContain('compute.instances.list');
    expect(role.includedPermissions).toContain('monitoring.timeSeries.list');
    expect(role.includedPermissions).not.toContain('bigquery.jobs.create');
    const azure = await guardian(['config', 'policy', 'azure', '--json']);
    expect(azure.exitCode, azure.stderr).toBe(0);
    expect(JSON.parse(azure.stdout)).toMatchObject({
      IsCustom: true,
      NotActions: [],
      AssignableScopes: ['/subscriptions/<subscription-id>'],
    });
    expect(azure.stderr).toMatch(/replace \/subscriptions\/<subscription-id>/);
  });

  it('refuses an unknown cloud, face or kind with one line and exit 2', async () => {
    for (const args of [['nope'], ['aws', '--with', 'cost'], ['gcp', '--kind', 'aws.ec2']]) {
      const result = await guardian(['config', 'policy', ...args]);
      expect(result.exitCode, args.join(' ')).toBe(2);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stdout).toBe('');
    }
  });
});
