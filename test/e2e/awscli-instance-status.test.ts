// awscli, an independent client, reads the sandbox's EC2 DescribeInstanceStatus (the query
// protocol, parsed by botocore) and finds the manifest's scheduled maintenance events: codes,
// windows, the filters on event codes, IncludeAllInstances, and the [Completed] history.

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

const AWS = existsSync('/usr/bin/aws') ? '/usr/bin/aws' : 'aws';
const awsCli = spawnSync(AWS, ['--version'], { encoding: 'utf8' });
const haveAwsCli = awsCli.status === 0;
if (!haveAwsCli) console.warn('skipping the awscli checks: `aws` is not on PATH (scripts/ci-apt.sh installs Debian’s awscli)');

let server: SandboxServer;
let origin: string;
let estate: Estate;
let manifest: SandboxManifest;
let home: string;

interface Status {
  InstanceId: string;
  InstanceState: { Name: string };
  Events?: { Code: string; Description: string; NotBefore: string; NotAfter?: string; InstanceEventId: string }[];
}

async function describe_(account: AwsAccount, region: string, args: string[]): Promise<Status[]> {
  const result = await execa(
    AWS,
    ['ec2', 'describe-instance-status', ...args, '--endpoint-url', origin, '--region', region, '--output', 'json'],
    {
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
    },
  );
  return (JSON.parse(result.stdout) as { InstanceStatuses: Status[] }).InstanceStatuses;
}

beforeAll(async () => {
  estate = generateEstate({ seed: 42, size: 2000, now: '2026-01-15' });
  manifest = buildManifest(estate);
  server = new SandboxServer(estate, services);
  origin = await server.listen();
  home = await mkdtemp(path.join(tmpdir(), 'guardian-awscli-status-'));
});

afterAll(async () => {
  await server?.close();
  if (home) await rm(home, { recursive: true, force: true });
});

describe.skipIf(!haveAwsCli)('aws ec2 describe-instance-status against the sandbox', () => {
  it('lists the manifest’s scheduled events of a region, filtered by event code, paging through small pages', {
    timeout: 180_000,
  }, async () => {
    expect(manifest.maintenance.length).toBeGreaterThan(0);
    const planted = manifest.maintenance[0];
    const instance = estate.resources.find((r) => r.id === planted.id)!;
    const account = estate.aws.accounts.find((a) => a.id === instance.account)!;
    const expected = manifest.maintenance.filter((m) => {
      const r = estate.resources.find((x) => x.id === m.id)!;
      return r.account === instance.account && r.region === instance.region;
    });
    const codes = 'instance-reboot,system-reboot,system-maintenance,instance-retirement,instance-stop';
    // awscli follows NextToken itself; --page-size makes it page.
    const statuses = await describe_(account, instance.region, [
      '--include-all-instances',
      '--filters',
      `Name=event.code,Values=${codes}`,
      '--page-size',
      '5',
    ]);
    const upcoming = statuses.flatMap((s) =>
      (s.Events ?? [])
        .filter((e) => !e.Description.startsWith('[Completed]'))
        .map((e) => ({ id: s.InstanceId, code: e.Code, notBefore: e.NotBefore, notAfter: e.NotAfter })),
    );
    expect(upcoming.map((e) => e.id).sort()).toEqual(expected.map((m) => m.id).sort());
    for (const event of upcoming) {
      const truth = expected.find((m) => m.id === event.id)!;
      expect(event.code).toBe(truth.code);
      expect(Date.parse(event.notBefore)).toBe(Date.parse(truth.notBefore));
      if (truth.notAfter) expect(Date.parse(event.notAfter!)).toBe(Date.parse(truth.notAfter));
    }
    const one = await describe_(account, instance.region, ['--instance-ids', planted.id]);
    expect(one).toHaveLength(1);
    expect(one[0].InstanceState.Name).toBe('running');
    expect(one[0].Events?.some((e) => e.Code === planted.code && /^instance-event-[0-9a-f]+$/.test(e.InstanceEventId))).toBe(true);
  });

  it('answers EC2’s own error for an unknown instance id', { timeout: 120_000 }, async () => {
    const account = estate.aws.accounts[0];
    const run = await execa(
      AWS,
      ['ec2', 'describe-instance-status', '--instance-ids', 'i-0000000000000dead', '--endpoint-url', origin, '--region', 'us-east-1'],
      {
        reject: false,
        env: {
          PATH: process.env.PATH,
          HOME: home,
          AWS_ACCESS_KEY_ID: account.accessKeyId,
          AWS_SECRET_ACCESS_KEY: account.secretAccessKey,
          AWS_CONFIG_FILE: path.join(home, 'no-config'),
          AWS_SHARED_CREDENTIALS_FILE: path.join(home, 'no-credentials'),
          AWS_EC2_METADATA_DISABLED: 'true',
          AWS_MAX_ATTEMPTS: '1',
        },
        extendEnv: false,
      },
    );
    expect(run.exitCode).not.toBe(0);
    expect(run.stderr).toMatch(/InvalidInstanceID\.NotFound/);
  });
});
