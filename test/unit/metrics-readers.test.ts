// The three metrics readers against the sandbox through the real clients (CloudWatch SDK, Azure
// Monitor SDK, Cloud Monitoring client in REST mode): every series equals the estate generator's
// values, a 500-query CloudWatch batch, pagination in each cloud, and what a cloud does not have.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MetricName, MetricQuery, MetricSeries, MetricStat, ResourceRef } from '../../src/model/metric.js';
import type { Cloud } from '../../src/model/resource.js';
import { planCloudWatch } from '../../src/providers/aws/cloudwatch.js';
import { createLocalProvider } from '../../src/providers/factory.js';
import { MAX_FILTER_URL_CHARS, planCloudMonitoring, timeSeriesRequest } from '../../src/providers/gcp/monitoring.js';
import type { CloudProvider } from '../../src/providers/types.js';
import { type Demo, startDemo } from '../../src/sandbox/demo.js';
import { metricSeries } from '../../src/sandbox/estate/metrics.js';
import type { EstateResource } from '../../src/sandbox/estate/types.js';

const NOW = '2026-03-01T00:00:00.000Z';
const NOW_MS = Date.parse(NOW);
const DAY_MS = 86_400_000;
const signal = new AbortController().signal;

let demo: Demo;
let dir: string;
const providers = new Map<Cloud, CloudProvider>();

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'guardian-metrics-'));
  demo = await startDemo({ seed: 11, size: 6000, now: NOW }, dir);
  for (const cloud of ['aws', 'azure', 'gcp'] as const) {
    const provider = await createLocalProvider(cloud, demo.profile, { ...process.env, ...demo.env }, { callTimeoutMs: 30_000 });
    providers.set(cloud, provider);
  }
}, 60_000);

afterAll(async () => {
  for (const provider of providers.values()) await provider.close?.();
  await demo?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

function refOf(resource: EstateResource): ResourceRef {
  const name = resource.kind === 'aws.rds.instance' ? resource.spec.identifier : resource.name;
  return {
    cloud: resource.kind.split('.')[0] as Cloud,
    kind: resource.kind,
    id: resource.id,
    name,
    account: resource.account,
    region: resource.region,
  };
}

function reporting(resource: EstateResource): boolean {
  const spec = resource.spec as { state?: string; powerState?: string; status?: string; metricProfile?: string };
  if (!spec.metricProfile) return false;
  return spec.state === 'running' || spec.powerState === 'running' || spec.status === 'RUNNING' || spec.status === 'available';
}

function machines(kind: EstateResource['kind'], count: number): EstateResource[] {
  return demo.sandbox.estate.resources.filter((r) => r.kind === kind && reporting(r)).slice(0, count);
}

/** The resources of the account × region that has the most of them. */
function busiestScope(resources: EstateResource[]): EstateResource[] {
  const groups = new Map<string, EstateResource[]>();
  for (const r of resources)
    groups.set(`${r.account}|${r.region.replace(/-[a-z]$/, '')}`, [
      ...(groups.get(`${r.account}|${r.region.replace(/-[a-z]$/, '')}`) ?? []),
      r,
    ]);
  return [...groups.values()].sort((a, b) => b.length - a.length)[0] ?? [];
}

/** Every batch of a query read to its last page, pages merged per resource × metric. */
async function read(cloud: Cloud, query: MetricQuery) {
  const provider = providers.get(cloud)!;
  const plan = await provider.metricPlan!(query, { signal });
  const merged = new Map<string, MetricSeries>();
  let calls = 0;
  for (const batch of plan.batches) {
    let token: string | undefined;
    do {
      const page = await provider.metrics!({ batch, token }, { signal });
      calls += 1;
      for (const series of page.series) {
        const key = `${series.resource.id}|${series.metric}`;
        const seen = merged.get(key);
        if (seen) seen.points.push(...series.points);
        else merged.set(key, { ...series, points: [...series.points] });
      }
      token = page.next;
    } while (token);
  }
  for (const series of merged.values()) series.points.sort((a, b) => (a[0] < b[0] ? -1 : 1));
  return { plan, series: [...merged.values()], calls };
}

const STAT: Record<MetricStat, 'avg' | 'max' | 'p95'> = { average: 'avg', maximum: 'max', p95: 'p95' };

/** What the generator says, in the cloud's own scale. */
function expected(resource: EstateResource, metric: MetricName, query: MetricQuery, scale: (v: number) => number = (v) => v) {
  const truth = metricSeries(demo.sandbox.estate.seed, demo.sandbox.estate.now, resource, metric as never, {
    startMs: Date.parse(query.start),
    endMs: Date.parse(query.end),
    periodSeconds: query.periodSeconds,
    stat: STAT[query.stat],
  });
  return truth.timestamps.map((t, i) => [new Date(t).toISOString(), scale(truth.values[i])]);
}

function query(
  resources: EstateResource[],
  metrics: MetricName[],
  days: number,
  stat: MetricStat = 'average',
  periodSeconds = 300,
): MetricQuery {
  return {
    resources: resources.map(refOf),
    metrics,
    start: new Date(NOW_MS - days * DAY_MS).toISOString(),
    end: new Date(NOW_MS).toISOString(),
    periodSeconds,
    stat,
  };
}

describe('CloudWatch GetMetricData through @aws-sdk/client-cloudwatch', () => {
  it('returns each EC2 and RDS series exactly as the generator has it, with CloudWatch names and units', async () => {
    const ec2 = machines('aws.ec2.instance', 3);
    const rds = machines('aws.rds.instance', 2);
    expect(ec2.length).toBe(3);
    expect(rds.length).toBeGreaterThan(0);
    const q = query(
      [...ec2, ...rds],
      ['cpu', 'network-in', 'network-out', 'disk-read-ops', 'disk-write-ops', 'db-connections', 'free-storage'],
      2,
    );
    const { series } = await read('aws', q);
    expect(series).toHaveLength(ec2.length * 5 + rds.length * 3);
    for (const s of series) {
      const record = demo.sandbox.estate.resources.find((r) => r.id === s.resource.id)!;
      expect(s.points, `${s.resource.id} ${s.metric}`).toEqual(expected(record, s.metric, q));
      expect(s.points.length).toBeGreaterThan(500);
    }
    const cpu = series.find((s) => s.resource.kind === 'aws.rds.instance' && s.metric === 'free-storage')!;
    expect(cpu).toMatchObject({ cloudMetric: 'FreeStorageSpace', unit: 'Bytes', periodSeconds: 300, stat: 'average' });
  });

  it('sends 500 queries in one request and follows NextToken past the 100,800-point page', async () => {
    const local = busiestScope(demo.sandbox.estate.resources.filter((r) => r.kind === 'aws.ec2.instance' && reporting(r))).slice(0, 100);
    expect(local.length).toBe(100);
    // 100 instances × 5 metrics = 500 queries; 14 days at 5 minutes is 4,032 points each.
    const q = query(local, ['cpu', 'network-in', 'network-out', 'disk-read-ops', 'disk-write-ops'], 14);
    const { plan, series, calls } = await read('aws', q);
    expect(plan.batches).toHaveLength(1);
    expect(plan.batches[0].items).toHaveLength(500);
    const points = series.reduce((sum, s) => sum + s.points.length, 0);
    expect(calls).toBe(Math.ceil(points / 100_800));
    expect(calls).toBeGreaterThan(1);
    for (const s of series.filter((_, i) => i % 37 === 0)) {
      const record = local.find((r) => r.id === s.resource.id)!;
      expect(s.points).toEqual(expected(record, s.metric, q));
    }
  });

  it('splits a larger request into batches of at most 500 queries', async () => {
    const local = busiestScope(demo.sandbox.estate.resources.filter((r) => r.kind === 'aws.ec2.instance')).slice(0, 101);
    const { plan } = await read('aws', query(local, ['cpu', 'network-in', 'network-out', 'disk-read-ops', 'disk-write-ops'], 0.01));
    expect(plan.batches.map((b) => b.items.length)).toEqual([500, 5]);
  });

  it('fills whole pages: 505 queries of a day go as 350 + 155 (two calls, not three), of 14 days as 500 + 5', async () => {
    const local = busiestScope(demo.sandbox.estate.resources.filter((r) => r.kind === 'aws.ec2.instance' && reporting(r))).slice(0, 101);
    const metrics: MetricName[] = ['cpu', 'network-in', 'network-out', 'disk-read-ops', 'disk-write-ops'];
    const day = await read('aws', query(local, metrics, 1));
    expect(day.plan.batches.map((b) => b.items.length)).toEqual([350, 155]);
    expect(day.calls).toBe(2);
    expect(planCloudWatch(query(local, metrics, 14)).batches.map((b) => b.items.length)).toEqual([500, 5]);
  });

  it('answers more than 500 queries with CloudWatch’s own error, and throttling as Throttling', async () => {
    const { CloudWatchClient, GetMetricDataCommand } = await import('@aws-sdk/client-cloudwatch');
    const account = demo.sandbox.estate.aws.accounts.find((a) => a.management)!;
    const client = new CloudWatchClient({
      region: 'us-east-1',
      endpoint: demo.sandbox.awsOrigin,
      credentials: { accessKeyId: account.accessKeyId, secretAccessKey: account.secretAccessKey },
      maxAttempts: 1,
    });
    const queries = Array.from({ length: 501 }, (_, i) => ({
      Id: `q${i}`,
      MetricStat: { Metric: { Namespace: 'AWS/EC2', MetricName: 'CPUUtilization' }, Period: 300, Stat: 'Average' },
    }));
    const refused = await client
      .send(new GetMetricDataCommand({ MetricDataQueries: queries, StartTime: new Date(NOW_MS - DAY_MS), EndTime: new Date(NOW_MS) }))
      .catch((error) => error);
    // The query-compatible code (x-amzn-query-error) selects the modelled exception, as against CloudWatch.
    expect(refused).toMatchObject({ name: 'InvalidParameterValueException', $metadata: { httpStatusCode: 400 } });
    expect(refused.message).toMatch(/must not have a size greater than 500/);
    const { cloudwatch } = await import('../../src/sandbox/aws/cloudwatch.js');
    const throttled = cloudwatch.faultResponse(
      {
        method: 'POST',
        url: new URL('http://x/'),
        headers: { 'x-amz-target': 'GraniteServiceVersion20100801.GetMetricData' },
        body: Buffer.alloc(0),
      },
      'throttle',
    );
    expect(throttled.headers?.['x-amzn-query-error']).toBe('Throttling;Sender');
    client.destroy();
  });

  it('says memory is unknown for EC2 instead of reading it', async () => {
    const { plan, series } = await read('aws', query(machines('aws.ec2.instance', 1), ['memory'], 1));
    expect(series).toEqual([]);
    expect(plan.gaps[0].reason).toMatch(/^memory unknown: EC2 publishes no memory metric/);
  });
});

describe('Azure Monitor metrics.list through @azure/arm-monitor', () => {
  it('returns each VM series as Azure reports it (disk operations per second)', async () => {
    const vms = machines('azure.compute.vm', 3);
    const q = query(vms, ['cpu', 'network-in', 'network-out', 'disk-read-ops', 'disk-write-ops'], 3, 'maximum');
    const { series, calls } = await read('azure', q);
    expect(calls).toBe(vms.length);
    expect(series).toHaveLength(vms.length * 5);
    for (const s of series) {
      const record = vms.find((r) => r.id === s.resource.id)!;
      const perSecond = s.metric.startsWith('disk') ? (v: number) => Math.round((v / 300) * 10_000) / 10_000 : undefined;
      expect(s.points, `${s.resource.name} ${s.metric}`).toEqual(expected(record, s.metric, q, perSecond));
    }
    expect(series.find((s) => s.metric === 'disk-read-ops')).toMatchObject({
      cloudMetric: 'Disk Read Operations/Sec',
      unit: 'CountPerSecond',
    });
  });

  it('reports that Azure has no percentile aggregation instead of inventing one', async () => {
    const { plan } = await read('azure', query(machines('azure.compute.vm', 1), ['cpu'], 1, 'p95'));
    expect(plan.batches).toEqual([]);
    expect(plan.gaps[0].reason).toMatch(/no p95 aggregation/);
  });
});

describe('Cloud Monitoring timeSeries.list through @google-cloud/monitoring (REST)', () => {
  it('returns each instance series in the API scale (CPU as a 0-1 ratio), pages merged', async () => {
    const local = busiestScope(machines('gcp.compute.instance', 10_000)).slice(0, 30);
    expect(local.length).toBe(30);
    // 14 days: 4,032 points a series, 24 series fill a 100,000-point page, so this pages.
    const q = query(local, ['cpu', 'network-in'], 14, 'p95');
    const { series, calls } = await read('gcp', q);
    expect(calls).toBeGreaterThan(2);
    expect(series).toHaveLength(local.length * 2);
    for (const s of series) {
      const record = local.find((r) => r.id === s.resource.id)!;
      const scale = s.metric === 'cpu' ? (v: number) => v * 0.01 : undefined;
      expect(s.points, `${s.resource.name} ${s.metric}`).toEqual(expected(record, s.metric, q, scale));
    }
    expect(series.find((s) => s.metric === 'cpu')).toMatchObject({
      cloudMetric: 'compute.googleapis.com/instance/cpu/utilization',
      unit: '10^2.%',
    });
  });

  it('names as many instances in one filter as a request URL carries, not 100', () => {
    const refs: ResourceRef[] = Array.from({ length: 450 }, (_, i) => ({
      cloud: 'gcp',
      kind: 'gcp.compute.instance',
      id: String(4_000_000_000_000_000_000n + BigInt(i)),
      name: `vm-${i}`,
      account: 'acme-prod',
      region: 'europe-west1-b',
    }));
    const { batches } = planCloudMonitoring({ ...query([], ['cpu'], 1), resources: refs });
    const filterOf = (ids: string[]) =>
      timeSeriesRequest({ ...batches[0], items: ids.map((id) => ({ ...batches[0].items[0], resource: { ...refs[0], id } })) }, undefined)
        .filter as string;
    expect(batches.flatMap((b) => b.items.map((item) => item.resource.id))).toEqual(refs.map((r) => r.id));
    expect(batches.length).toBeLessThan(450 / 100);
    batches.forEach((batch, i) => {
      const ids = batch.items.map((item) => item.resource.id);
      expect(encodeURIComponent(filterOf(ids)).length).toBeLessThanOrEqual(MAX_FILTER_URL_CHARS);
      // Full: one more id would have gone over.
      if (i < batches.length - 1)
        expect(encodeURIComponent(filterOf([...ids, batches[i + 1].items[0].resource.id])).length).toBeGreaterThan(MAX_FILTER_URL_CHARS);
    });
  });

  it('reads more than 100 instances of a project with one filter, every series as the generator has it', async () => {
    const all = machines('gcp.compute.instance', 10_000);
    const project = all[0].account;
    const local = all.filter((r) => r.account === project).slice(0, 150);
    expect(local.length).toBe(150);
    const q = query(local, ['disk-read-ops'], 1);
    const { plan, series, calls } = await read('gcp', q);
    expect(plan.batches).toHaveLength(1);
    expect(calls).toBe(1);
    expect(series).toHaveLength(local.length);
    for (const s of series) expect(s.points).toEqual(expected(local.find((r) => r.id === s.resource.id)!, s.metric, q));
  });
});
