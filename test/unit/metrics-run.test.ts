// readMetrics over the three providers' metrics faces against a sandbox that throttles and fails:
// a burst of calls is throttled and retried and nothing is lost; window parsing and summaries.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { collectionNotes, summarize } from '../../src/metrics/report.js';
import { type MetricsOutcome, readMetrics } from '../../src/metrics/run.js';
import { resolveWindow } from '../../src/metrics/window.js';
import { type ResourceRef, resourceRef } from '../../src/model/metric.js';
import type { Cloud } from '../../src/model/resource.js';
import { createLocalProvider } from '../../src/providers/factory.js';
import type { CloudProvider } from '../../src/providers/types.js';
import { type Demo, startDemo } from '../../src/sandbox/demo.js';
import { AZURE_LOCATIONS } from '../../src/sandbox/estate/names.js';
import type { EstateResource } from '../../src/sandbox/estate/types.js';

const NOW = '2026-03-01T00:00:00.000Z';
const NOW_MS = Date.parse(NOW);
const fast = { maxAttempts: 12, maxTimeoutAttempts: 2, baseDelayMs: 5, maxDelayMs: 200 };

interface Cloudy {
  demo: Demo;
  dir: string;
  providers: CloudProvider[];
}

async function open(faults?: Parameters<typeof startDemo>[0]['faults']): Promise<Cloudy> {
  const dir = await mkdtemp(path.join(tmpdir(), 'guardian-metrics-run-'));
  const demo = await startDemo({ seed: 5, size: 800, now: NOW, faults }, dir);
  const providers: CloudProvider[] = [];
  for (const cloud of ['aws', 'azure', 'gcp'] as Cloud[])
    providers.push(
      await createLocalProvider(cloud, demo.profile, { ...process.env, ...demo.env }, { callTimeoutMs: 30_000, prewarm: false }),
    );
  return { demo, dir, providers };
}

async function shut(cloudy: Cloudy | undefined): Promise<void> {
  if (!cloudy) return;
  for (const provider of cloudy.providers) await provider.close?.();
  await cloudy.demo.close();
  await rm(cloudy.dir, { recursive: true, force: true });
}

function machines(resources: EstateResource[]): ResourceRef[] {
  return resources
    .filter((r) => ['aws.ec2.instance', 'aws.rds.instance', 'azure.compute.vm', 'gcp.compute.instance'].includes(r.kind))
    .map((r) =>
      resourceRef({
        cloud: r.kind.split('.')[0] as Cloud,
        kind: r.kind,
        id: r.id,
        name: r.kind === 'aws.rds.instance' ? r.spec.identifier : r.name,
        account: r.account,
        region: r.region,
      }),
    );
}

function read(cloudy: Cloudy, concurrency: number): Promise<MetricsOutcome> {
  return readMetrics(cloudy.providers, {
    resources: machines(cloudy.demo.sandbox.estate.resources),
    start: new Date(NOW_MS - 6 * 3_600_000).toISOString(),
    end: NOW,
    periodSeconds: 300,
    stat: 'maximum',
    signal: new AbortController().signal,
    callTimeoutMs: 30_000,
    concurrency,
    scopeConcurrency: concurrency,
    retry: fast,
  });
}

const pointsOf = (outcome: MetricsOutcome) =>
  Object.fromEntries(outcome.series.map((s) => [`${s.resource.cloud}|${s.resource.id}|${s.metric}`, s.points]));

let calm: Cloudy | undefined;
let stormy: Cloudy | undefined;
let dark: Cloudy | undefined;

beforeAll(async () => {
  calm = await open();
  // A token bucket of 2 calls per account × region refilled at 5 a second, and 5 % server errors.
  stormy = await open({ throttle: { capacity: 2, refillPerSecond: 5 }, errorRate: 0.05, seed: 9 });
  // Every Azure location is down: its requests are held, never answered.
  dark = await open({ outages: [...AZURE_LOCATIONS] });
}, 60_000);

afterAll(async () => {
  await shut(calm);
  await shut(stormy);
  await shut(dark);
});

describe('readMetrics', () => {
  it('loses nothing to a throttled, failing burst: every series equals the calm read', { timeout: 120_000 }, async () => {
    const baseline = await read(calm!, 8);
    expect(baseline.failures).toEqual([]);
    expect(baseline.series.length).toBeGreaterThan(100);
    expect(new Set(baseline.series.map((s) => s.resource.cloud))).toEqual(new Set(['aws', 'azure', 'gcp']));
    const burst = await read(stormy!, 64);
    expect(burst.failures.map((f) => `${f.cloud} ${f.code} ${f.message}`)).toEqual([]);
    expect(burst.stats.throttled).toBeGreaterThan(0);
    expect(burst.stats.retries).toBeGreaterThanOrEqual(burst.stats.throttled);
    expect(pointsOf(burst)).toEqual(pointsOf(baseline));
    expect(burst.noData.length).toBe(baseline.noData.length);
    expect(burst.gaps).toEqual(baseline.gaps);
  });

  it('reports a cloud that never answers as failed batches beside the others’ series', { timeout: 60_000 }, async () => {
    const outcome = await readMetrics(dark!.providers, {
      resources: machines(dark!.demo.sandbox.estate.resources).filter((r) => r.cloud !== 'gcp'),
      start: new Date(NOW_MS - 3_600_000).toISOString(),
      end: NOW,
      periodSeconds: 300,
      stat: 'average',
      signal: new AbortController().signal,
      callTimeoutMs: 1000,
      concurrency: 32,
      scopeConcurrency: 32,
      retry: fast,
    });
    expect(outcome.series.some((s) => s.resource.cloud === 'aws')).toBe(true);
    expect(outcome.series.some((s) => s.resource.cloud === 'azure')).toBe(false);
    expect(outcome.failures.length).toBeGreaterThan(0);
    expect(outcome.failures.every((f) => f.cloud === 'azure' && f.class === 'timeout')).toBe(true);
  });
});

describe('metrics windows', () => {
  it('aligns --since to whole periods ending now', () => {
    expect(resolveWindow({ since: '14d' }, Date.parse('2026-03-01T10:07:00Z'))).toEqual({
      start: '2026-02-15T10:10:00.000Z',
      end: '2026-03-01T10:05:00.000Z',
      periodSeconds: 300,
    });
    expect(resolveWindow({ from: '2026-02-01', to: '2026-02-02', period: '3600' }, NOW_MS)).toEqual({
      start: '2026-02-01T00:00:00.000Z',
      end: '2026-02-03T00:00:00.000Z',
      periodSeconds: 3600,
    });
  });

  it('refuses a period finer than CloudWatch keeps for the window, and bad spans', () => {
    expect(() => resolveWindow({ since: '20d', period: '60' }, NOW_MS)).toThrow(/needs --period 300 or more/);
    expect(() => resolveWindow({ since: '100d' }, NOW_MS)).toThrow(/needs --period 3600/);
    expect(() => resolveWindow({ since: '500d', period: '3600' }, NOW_MS)).toThrow(/455 days/);
    expect(() => resolveWindow({ since: 'two weeks' }, NOW_MS)).toThrow(UsageError);
    expect(() => resolveWindow({ since: '1d', from: '2026-02-01' }, NOW_MS)).toThrow(/either --since or --from/);
    expect(() => resolveWindow({ period: '90' }, NOW_MS)).toThrow(/multiple of 60/);
    expect(() => resolveWindow({ since: '2m' }, NOW_MS)).toThrow(/no whole 300-second period/);
  });
});

describe('metric summaries', () => {
  it('gives nearest-rank p50 and p95 and the maximum of the points', () => {
    const points = Array.from({ length: 20 }, (_, i) => [`2026-01-01T00:${String(i).padStart(2, '0')}:00Z`, 20 - i] as [string, number]);
    const summary = summarize({
      resource: { cloud: 'aws', kind: 'aws.ec2.instance', id: 'i-1', name: 'a', account: '1', region: 'us-east-1' },
      metric: 'cpu',
      cloudMetric: 'CPUUtilization',
      unit: 'Percent',
      periodSeconds: 60,
      stat: 'average',
      points,
    });
    expect(summary).toMatchObject({ points: 20, p50: 10, p95: 19, max: 20 });
  });
});

describe('what stderr says after a metrics read', () => {
  const ref = resourceRef({
    id: 'i-1',
    name: 'web',
    cloud: 'aws',
    kind: 'aws.ec2.instance',
    account: '111111111111',
    region: 'eu-west-1',
  } as Parameters<typeof resourceRef>[0]);
  const outcome = (extra: Partial<MetricsOutcome>): MetricsOutcome => ({
    series: [],
    noData: [],
    gaps: [],
    failures: [],
    stats: { batches: 1, calls: 3, pages: 4, retries: 0, throttled: 0, points: 96 },
    callsByCloud: {},
    pagesByCloud: {},
    ...extra,
  });

  it('counts the read for --verbose and says nothing else when everything was read', () => {
    expect(collectionNotes({ outcome: outcome({}), resources: 2, source: 'live discovery', inventoryComplete: true })).toEqual({
      verbose: ['2 machine(s) from live discovery; 3 call(s), 4 page(s), 96 point(s)'],
      info: [],
      warn: [],
    });
  });

  it('says gaps and empty series as information, failed batches and a partial inventory as warnings', () => {
    const notes = collectionNotes({
      outcome: outcome({
        gaps: [{ resource: ref, metric: 'memory', reason: 'memory unknown: EC2 publishes no memory metric' }],
        noData: [{ resource: ref, metric: 'cpu' } as MetricsOutcome['noData'][number]],
        failures: [
          {
            cloud: 'aws',
            account: '111111111111',
            region: 'eu-west-1',
            class: 'throttle',
            code: 'Throttling',
            message: 'slow down',
            series: 2,
            attempts: 3,
          },
        ],
      }),
      resources: 1,
      source: 'snap.json',
      inventoryComplete: false,
    });
    expect(notes.info).toEqual([
      'memory unknown: EC2 publishes no memory metric (1 resource)',
      '1 series had no data in the window (stopped or newer machines)',
    ]);
    expect(notes.warn).toEqual([
      'aws 111111111111 eu-west-1: 2 series not read: Throttling: slow down',
      'the inventory (snap.json) is incomplete: some machines may be missing',
    ]);
  });
});
