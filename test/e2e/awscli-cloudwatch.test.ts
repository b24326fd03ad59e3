// The AWS CLI (Debian's awscli 2.9, which speaks CloudWatch's query protocol) and the JS SDK
// (AWS JSON 1.0) must get the same GetMetricData answer from the sandbox, point for point.

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CloudWatchClient, GetMetricDataCommand, type MetricDataQuery, type MetricDataResult } from '@aws-sdk/client-cloudwatch';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { services } from '../../src/sandbox/aws/index.js';
import { generateEstate } from '../../src/sandbox/estate/generate.js';
import type { AwsAccount, Ec2Instance, Estate, RdsInstance } from '../../src/sandbox/estate/types.js';
import { SandboxServer } from '../../src/sandbox/server/server.js';

const AWS = existsSync('/usr/bin/aws') ? '/usr/bin/aws' : 'aws';
const awsCli = spawnSync(AWS, ['--version'], { encoding: 'utf8' });
const haveAwsCli = awsCli.status === 0;
if (!haveAwsCli) console.warn('skipping the awscli CloudWatch check: `aws` is not on PATH (scripts/ci-apt.sh installs Debian’s awscli)');

let server: SandboxServer;
let origin: string;
let estate: Estate;
let home: string;

beforeAll(async () => {
  estate = generateEstate({ seed: 42, size: 2000, now: '2026-01-15' });
  server = new SandboxServer(estate, services);
  origin = await server.listen();
  home = await mkdtemp(path.join(tmpdir(), 'guardian-awscli-cw-'));
});

afterAll(async () => {
  await server?.close();
  if (home) await rm(home, { recursive: true, force: true });
});

type Result = { Id: string; Timestamps: number[]; Values: number[]; StatusCode?: string };

/** Results merged by Id (both clients may split a query over pages), timestamps as epoch ms. */
function merged(results: { Id?: string; Timestamps?: (Date | string)[]; Values?: number[] }[]): Map<string, Result> {
  const byId = new Map<string, Result>();
  for (const r of results) {
    const entry = byId.get(r.Id ?? '') ?? { Id: r.Id ?? '', Timestamps: [], Values: [] };
    entry.Timestamps.push(...(r.Timestamps ?? []).map((t) => new Date(t).getTime()));
    entry.Values.push(...(r.Values ?? []));
    byId.set(entry.Id, entry);
  }
  return byId;
}

describe.skipIf(!haveAwsCli)(`awscli (${awsCli.stdout?.trim() || 'absent'}) cloudwatch get-metric-data`, () => {
  it('agrees with the SDK to the point, through the CLI’s own pagination', { timeout: 180_000 }, async () => {
    const account: AwsAccount = estate.aws.accounts.find((a) => a.management)!;
    const mine = estate.resources.filter((r) => r.account === account.id);
    const region = (mine.find((r) => r.kind === 'aws.rds.instance' && (r as RdsInstance).spec.status === 'available') ?? mine[0]).region;
    const instances = mine.filter(
      (r): r is Ec2Instance => r.kind === 'aws.ec2.instance' && r.region === region && r.spec.state === 'running',
    );
    const databases = mine.filter((r): r is RdsInstance => r.kind === 'aws.rds.instance' && r.region === region);
    expect(instances.length).toBeGreaterThan(1);
    const queries: MetricDataQuery[] = [
      ...instances.slice(0, 3).flatMap((instance, i) =>
        (['CPUUtilization', 'NetworkIn'] as const).map((name, j) => ({
          Id: `ec2_${i}_${j}`,
          MetricStat: {
            Metric: { Namespace: 'AWS/EC2', MetricName: name, Dimensions: [{ Name: 'InstanceId', Value: instance.id }] },
            Period: 300,
            Stat: j === 0 ? 'p95' : 'Average',
          },
        })),
      ),
      ...databases.slice(0, 1).map((db) => ({
        Id: 'rds_0',
        MetricStat: {
          Metric: {
            Namespace: 'AWS/RDS',
            MetricName: 'FreeStorageSpace',
            Dimensions: [{ Name: 'DBInstanceIdentifier', Value: db.spec.identifier }],
          },
          Period: 3600,
          Stat: 'Minimum',
        },
      })),
    ];
    const start = new Date(Date.parse(estate.now) - 2 * 86_400_000);
    const end = new Date(estate.now);

    const sdk = new CloudWatchClient({
      region,
      endpoint: origin,
      credentials: { accessKeyId: account.accessKeyId, secretAccessKey: account.secretAccessKey },
      maxAttempts: 1,
    });
    const sdkResults: MetricDataResult[] = [];
    let token: string | undefined;
    do {
      const page = await sdk.send(
        new GetMetricDataCommand({ MetricDataQueries: queries, StartTime: start, EndTime: end, NextToken: token }),
      );
      sdkResults.push(...(page.MetricDataResults ?? []));
      token = page.NextToken;
    } while (token);
    sdk.destroy();

    const file = path.join(home, 'queries.json');
    await writeFile(file, JSON.stringify(queries));
    const cli = await execa(
      AWS,
      [
        'cloudwatch',
        'get-metric-data',
        '--metric-data-queries',
        `file://${file}`,
        '--start-time',
        start.toISOString(),
        '--end-time',
        end.toISOString(),
        // MaxDatapoints per request: the CLI follows NextToken itself.
        '--page-size',
        '500',
        '--endpoint-url',
        origin,
        '--region',
        region,
        '--output',
        'json',
      ],
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
    const cliResults = (JSON.parse(cli.stdout) as { MetricDataResults: { Id: string; Timestamps: string[]; Values: number[] }[] })
      .MetricDataResults;

    const fromSdk = merged(sdkResults);
    const fromCli = merged(cliResults);
    expect([...fromCli.keys()].sort()).toEqual(queries.map((q) => q.Id).sort());
    for (const id of fromSdk.keys()) {
      expect(fromSdk.get(id)!.Values.length, id).toBeGreaterThan(0);
      expect(fromCli.get(id)!.Timestamps, id).toEqual(fromSdk.get(id)!.Timestamps);
      expect(fromCli.get(id)!.Values, id).toEqual(fromSdk.get(id)!.Values);
    }
  });
});
