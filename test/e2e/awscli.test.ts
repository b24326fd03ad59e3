// A second, independent client must agree with the SDK: the AWS CLI (Debian's awscli, installed
// by scripts/ci-apt.sh) run against the sandbox returns what the manifest says.

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { services } from '../../src/sandbox/aws/index.js';
import { generateEstate } from '../../src/sandbox/estate/generate.js';
import type { AwsAccount, Estate } from '../../src/sandbox/estate/types.js';
import { buildManifest, type SandboxManifest } from '../../src/sandbox/manifest.js';
import { SandboxServer } from '../../src/sandbox/server/server.js';

// Prefer Debian's package (what CI installs) over any other `aws` earlier on PATH.
const AWS = existsSync('/usr/bin/aws') ? '/usr/bin/aws' : 'aws';
const awsCli = spawnSync(AWS, ['--version'], { encoding: 'utf8' });
const haveAwsCli = awsCli.status === 0;
if (!haveAwsCli) console.warn('skipping the awscli checks: `aws` is not on PATH (scripts/ci-apt.sh installs Debian’s awscli)');

let server: SandboxServer;
let origin: string;
let estate: Estate;
let manifest: SandboxManifest;
let home: string;

async function aws(account: AwsAccount, region: string, args: string[]): Promise<Record<string, unknown>> {
  const result = await execa(AWS, [...args, '--endpoint-url', origin, '--region', region, '--output', 'json'], {
    env: {
      PATH: process.env.PATH,
      HOME: home,
      AWS_ACCESS_KEY_ID: account.accessKeyId,
      AWS_SECRET_ACCESS_KEY: account.secretAccessKey,
      AWS_CONFIG_FILE: path.join(home, 'no-config'),
      AWS_SHARED_CREDENTIALS_FILE: path.join(home, 'no-credentials'),
      AWS_PAGER: '',
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_MAX_ATTEMPTS: '1',
    },
    extendEnv: false,
  });
  return JSON.parse(result.stdout) as Record<string, unknown>;
}

/** The account × region of an account with the most instances, so the check is not trivially empty. */
function busiest(account: AwsAccount): string {
  const regions = manifest.counts.byAccount[account.id].byRegion;
  return Object.keys(regions).sort((a, b) => (regions[b]['aws.ec2.instance'] ?? 0) - (regions[a]['aws.ec2.instance'] ?? 0))[0];
}

const idsIn = (kind: string, account: string, region: string) =>
  estate.resources.filter((r) => r.kind === kind && r.account === account && r.region === region).map((r) => r.id);

beforeAll(async () => {
  estate = generateEstate({ seed: 42, size: 2000, now: '2026-01-15' });
  manifest = buildManifest(estate);
  server = new SandboxServer(estate, services);
  origin = await server.listen();
  home = await mkdtemp(path.join(tmpdir(), 'guardian-awscli-'));
});

afterAll(async () => {
  await server?.close();
  if (home) await rm(home, { recursive: true, force: true });
});

describe.skipIf(!haveAwsCli)(`awscli (${awsCli.stdout?.trim() || awsCli.stderr?.trim() || 'absent'}) against the sandbox`, () => {
  // Each CLI start costs seconds of Python import time, so the checks keep invocations few.
  it('sts get-caller-identity names the account the keys belong to', { timeout: 180_000 }, async () => {
    for (const account of estate.aws.accounts.slice(0, 2)) {
      const identity = await aws(account, 'us-east-1', ['sts', 'get-caller-identity']);
      expect(identity.Account).toBe(account.id);
      expect(String(identity.Arn)).toContain(account.id);
    }
  });

  it('ec2 describe-instances returns the manifest’s instances, also when paging through small pages', { timeout: 180_000 }, async () => {
    for (const account of [estate.aws.accounts.find((a) => a.management)!]) {
      const region = busiest(account);
      const expected = manifest.counts.byAccount[account.id].byRegion[region]['aws.ec2.instance'] ?? 0;
      const answer = (await aws(account, region, ['ec2', 'describe-instances'])) as {
        Reservations: { Instances: { InstanceId: string }[] }[];
      };
      const ids = answer.Reservations.flatMap((r) => r.Instances.map((i) => i.InstanceId));
      expect(ids).toHaveLength(expected);
      expect(ids).toEqual(idsIn('aws.ec2.instance', account.id, region));
      const paged = (await aws(account, region, ['ec2', 'describe-instances', '--page-size', '5'])) as typeof answer;
      expect(paged.Reservations.flatMap((r) => r.Instances.map((i) => i.InstanceId))).toEqual(ids);
    }
  });

  it('ec2 describe-volumes returns the manifest’s volumes', { timeout: 180_000 }, async () => {
    for (const account of estate.aws.accounts.filter((a) => !a.management).slice(0, 1)) {
      const region = busiest(account);
      const expected = manifest.counts.byAccount[account.id].byRegion[region]['aws.ec2.volume'] ?? 0;
      const answer = (await aws(account, region, ['ec2', 'describe-volumes'])) as { Volumes: { VolumeId: string }[] };
      expect(answer.Volumes).toHaveLength(expected);
      expect(answer.Volumes.map((v) => v.VolumeId)).toEqual(idsIn('aws.ec2.volume', account.id, region));
    }
  });

  it('refuses the right key id with a wrong secret: SignatureDoesNotMatch from STS, AuthFailure from EC2', {
    timeout: 180_000,
  }, async () => {
    const wrongSecret = { ...estate.aws.accounts[0], secretAccessKey: `${estate.aws.accounts[0].secretAccessKey.slice(0, -1)}0` };
    await expect(aws(wrongSecret, 'us-east-1', ['sts', 'get-caller-identity'])).rejects.toMatchObject({
      stderr: expect.stringContaining('SignatureDoesNotMatch'),
    });
    await expect(aws(wrongSecret, 'us-east-1', ['ec2', 'describe-regions'])).rejects.toMatchObject({
      stderr: expect.stringContaining('AuthFailure'),
    });
  });

  it('signs S3 calls as the sandbox checks them (botocore’s payload hash over plain HTTP)', { timeout: 180_000 }, async () => {
    const account = estate.aws.accounts[0];
    const answer = (await aws(account, 'us-east-1', ['s3api', 'list-buckets'])) as { Buckets: { Name: string }[] };
    const expected = estate.resources.filter((r) => r.kind === 'aws.s3.bucket' && r.account === account.id).map((r) => r.name);
    expect(answer.Buckets.map((b) => b.Name).sort()).toEqual([...expected].sort());
  });

  it('ce get-cost-and-usage-with-resources gives each resource’s bill of the last 14 days as the manifest has it', {
    timeout: 180_000,
  }, async () => {
    const account = estate.aws.accounts.find((a) => a.management)!;
    const member = estate.aws.accounts.find((a) => !a.management)!;
    const region = busiest(member);
    const { start, end } = manifest.resourceBilling.window;
    const request = [
      'ce',
      'get-cost-and-usage-with-resources',
      '--time-period',
      `Start=${start},End=${end}`,
      '--granularity',
      'DAILY',
      '--metrics',
      'UnblendedCost',
      '--filter',
      JSON.stringify({
        And: [
          { Dimensions: { Key: 'SERVICE', Values: ['EC2 - Other'] } },
          { Dimensions: { Key: 'LINKED_ACCOUNT', Values: [member.id] } },
          { Dimensions: { Key: 'REGION', Values: [region] } },
        ],
      }),
      '--group-by',
      'Type=DIMENSION,Key=RESOURCE_ID',
    ];
    type Answer = {
      ResultsByTime: { Groups: { Keys: string[]; Metrics: { UnblendedCost: { Amount: string } } }[] }[];
      NextPageToken?: string;
    };
    const sums = new Map<string, number>();
    const days = new Set<string>();
    let token: string | undefined;
    let pages = 0;
    do {
      const answer = (await aws(account, 'us-east-1', [...request, ...(token ? ['--next-page-token', token] : [])])) as Answer & {
        ResultsByTime: { TimePeriod: { Start: string } }[];
      };
      pages += 1;
      for (const day of answer.ResultsByTime) {
        days.add(day.TimePeriod.Start);
        for (const group of day.Groups)
          sums.set(group.Keys[0], (sums.get(group.Keys[0]) ?? 0) + Number(group.Metrics.UnblendedCost.Amount));
      }
      token = answer.NextPageToken;
    } while (token && pages < 20);
    expect(token).toBeUndefined();
    expect(days.size).toBe(14);
    const expected = estate.resources
      .filter((r) => (r.kind === 'aws.ec2.volume' || r.kind === 'aws.ec2.snapshot') && r.account === member.id && r.region === region)
      .map((r) => r.id);
    expect([...sums.keys()].sort()).toEqual(expected.filter((id) => manifest.resourceBilling.billed[id] > 0).sort());
    for (const [id, amount] of sums) expect(amount, id).toBeCloseTo(manifest.resourceBilling.billed[id], 6);
    // An older start is refused with the API's own message.
    await expect(
      aws(account, 'us-east-1', [
        'ce',
        'get-cost-and-usage-with-resources',
        '--time-period',
        `Start=2025-12-01,End=${end}`,
        '--granularity',
        'DAILY',
        '--filter',
        JSON.stringify({ Dimensions: { Key: 'SERVICE', Values: ['EC2 - Other'] } }),
        '--group-by',
        'Type=DIMENSION,Key=RESOURCE_ID',
      ]),
    ).rejects.toMatchObject({ stderr: expect.stringContaining('Start date is more than 14 days ago') });
  });

  it('reports a service the sandbox does not serve as that protocol’s own error, not invalid XML', { timeout: 180_000 }, async () => {
    const account = estate.aws.accounts[0];
    await expect(aws(account, 'us-east-1', ['sqs', 'list-queues'])).rejects.toMatchObject({
      stderr: expect.stringContaining('(InvalidAction)'),
    });
    await expect(aws(account, 'us-east-1', ['dynamodb', 'list-tables'])).rejects.toMatchObject({
      stderr: expect.stringContaining('(UnknownOperationException)'),
    });
  });

  it('answers unknown keys with the real AuthFailure error', { timeout: 180_000 }, async () => {
    const stranger = { ...estate.aws.accounts[0], accessKeyId: 'AKIAUNKNOWN000000000' };
    await expect(aws(stranger, 'us-east-1', ['ec2', 'describe-instances'])).rejects.toMatchObject({
      stderr: expect.stringContaining('AuthFailure'),
    });
  });
});
