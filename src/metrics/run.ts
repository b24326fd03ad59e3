// Reads utilisation metrics for chosen resources through every provider's metrics faces: each
// cloud splits the query into batches (metricPlan), and each batch's pages are read one call at a
// time with discovery's retry, timeout and cancellation (src/discovery/call.ts), through a global
// p-limit pool and one per account × region as discovery's pages are. A failed batch is reported
// beside the series that were read; it never sinks the run.

import pLimit, { type LimitFunction } from 'p-limit';
import { CallFailed, callWithRetry } from '../discovery/call.js';
import type { RetryPolicy } from '../discovery/retry.js';
import {
  internTimestamp,
  KIND_METRICS,
  type MetricBatch,
  type MetricGap,
  type MetricName,
  type MetricPlan,
  type MetricQuery,
  type MetricSeries,
  type ResourceRef,
} from '../model/metric.js';
import type { Cloud } from '../model/resource.js';
import type { ClassifiedError, CloudProvider } from '../providers/types.js';

/** The readers' query (period-aligned bounds of the window [start, end)) and how to run it. */
export interface MetricsRequest extends MetricQuery {
  signal: AbortSignal;
  callTimeoutMs: number;
  /** Calls in flight at once over every cloud, and within one account × region. */
  concurrency: number;
  scopeConcurrency: number;
  retry?: RetryPolicy;
  onRetry?: (cloud: Cloud, error: ClassifiedError, attempt: number, delayMs: number) => void;
}

/** A batch that could not be read: its resources × metrics are missing from the series. */
export interface MetricFailure {
  cloud: Cloud;
  account: string;
  region: string;
  class: ClassifiedError['class'];
  code: string;
  message: string;
  /** How many resource × metric series it would have carried. */
  series: number;
  attempts: number;
}

export interface MetricStats {
  batches: number;
  /** Calls made (every attempt, retries included) and the pages they returned. */
  calls: number;
  pages: number;
  retries: number;
  throttled: number;
  points: number;
}

export interface MetricsOutcome {
  /** Series with at least one point, oldest point first. */
  series: MetricSeries[];
  /** Read, but the cloud had no point in the window (a stopped or newer machine). */
  noData: { resource: ResourceRef; metric: MetricName }[];
  gaps: MetricGap[];
  failures: MetricFailure[];
  stats: MetricStats;
  /** Calls per cloud (every attempt) and the pages they returned, for comparison with each API's minimum. */
  callsByCloud: Partial<Record<Cloud, number>>;
  pagesByCloud: Partial<Record<Cloud, number>>;
}

function failureOf(batch: MetricBatch, cloud: Cloud, provider: CloudProvider, error: unknown): MetricFailure {
  const classified = error instanceof CallFailed ? error.classified : provider.classify(error);
  return {
    cloud,
    account: batch.account,
    region: batch.region,
    class: classified.class,
    code: classified.code,
    message: classified.message.split('\n')[0],
    series: batch.items.length,
    attempts: error instanceof CallFailed ? error.attempts : 1,
  };
}

/** Oldest first already (one page of an ascending series, or pages in order): no sort needed. */
function inOrder(points: readonly MetricSeries['points'][number][]): boolean {
  for (let i = 1; i < points.length; i++) if (points[i - 1][0] > points[i][0]) return false;
  return true;
}

function keyOf(resource: ResourceRef, metric: MetricName): string {
  return `${resource.cloud}|${resource.account}|${resource.id}|${metric}`;
}

export async function readMetrics(providers: CloudProvider[], request: MetricsRequest): Promise<MetricsOutcome> {
  const stats: MetricStats = { batches: 0, calls: 0, pages: 0, retries: 0, throttled: 0, points: 0 };
  const callsByCloud: Partial<Record<Cloud, number>> = {};
  const pagesByCloud: Partial<Record<Cloud, number>> = {};
  const global = pLimit(request.concurrency);
  const pools = new Map<string, LimitFunction>();
  const poolFor = (key: string) => {
    let pool = pools.get(key);
    if (!pool) {
      pool = pLimit(request.scopeConcurrency);
      pools.set(key, pool);
    }
    return pool;
  };
  const series = new Map<string, MetricSeries>();
  const gaps: MetricGap[] = [];
  const failures: MetricFailure[] = [];
  const noData: MetricsOutcome['noData'] = [];

  /** A face call through the pools; `cloudCall` false for planning, which runs in the provider and sends nothing. */
  const call = <T>(provider: CloudProvider, poolKey: string, fn: (signal: AbortSignal) => Promise<T>, cloudCall = false) =>
    callWithRetry(provider, fn, {
      signal: request.signal,
      callTimeoutMs: request.callTimeoutMs,
      retry: request.retry,
      schedule: (attempt) => poolFor(poolKey)(() => global(attempt)),
      onAttempt: () => {
        if (!cloudCall) return;
        stats.calls += 1;
        callsByCloud[provider.cloud] = (callsByCloud[provider.cloud] ?? 0) + 1;
      },
      onFailure: (error) => {
        if (error.class === 'throttle') stats.throttled += 1;
      },
      onRetry: (error, attempt, delayMs) => {
        stats.retries += 1;
        request.onRetry?.(provider.cloud, error, attempt, delayMs);
      },
    });

  async function readBatch(provider: CloudProvider, batch: MetricBatch): Promise<void> {
    const read = provider.metrics!;
    const found: MetricSeries[] = [];
    let token: string | undefined;
    try {
      do {
        const page = await call(
          provider,
          `${provider.cloud}|${batch.account}|${batch.region}`,
          (signal) => read({ batch, ...(token ? { token } : {}) }, { signal }),
          true,
        );
        stats.pages += 1;
        pagesByCloud[provider.cloud] = (pagesByCloud[provider.cloud] ?? 0) + 1;
        found.push(...page.series);
        token = page.next;
      } while (token !== undefined);
    } catch (error) {
      // Pages already read are dropped with the batch: a series is whole or reported missing.
      failures.push(failureOf(batch, provider.cloud, provider, error));
      return;
    }
    for (const part of found) {
      if (part.points.length === 0) continue;
      const key = keyOf(part.resource, part.metric);
      let seen = series.get(key);
      if (!seen) {
        seen = { ...part, points: [] };
        series.set(key, seen);
      }
      // Pages cloned out of a provider thread carry a string per point: keep one per timestamp.
      for (const point of part.points) {
        point[0] = internTimestamp(point[0]);
        seen.points.push(point);
      }
      stats.points += part.points.length;
    }
    for (const item of batch.items) if (!series.has(keyOf(item.resource, item.metric))) noData.push(item);
  }

  async function readCloud(provider: CloudProvider, resources: ResourceRef[]): Promise<void> {
    if (!provider.metricPlan || !provider.metrics) {
      for (const resource of resources)
        for (const metric of request.metrics ?? KIND_METRICS[resource.kind] ?? [])
          gaps.push({ resource, metric, reason: `the ${provider.cloud} provider reads no metrics` });
      return;
    }
    // One plan a cloud, so that one request can carry several kinds (CloudWatch: EC2 and RDS queries together).
    const plans: MetricPlan[] = [];
    const { start, end, periodSeconds, stat } = request;
    try {
      plans.push(
        await call(provider, `${provider.cloud}|plan`, (signal) =>
          provider.metricPlan!({ resources, metrics: request.metrics, start, end, periodSeconds, stat }, { signal }),
        ),
      );
    } catch (error) {
      const whole: MetricBatch = { account: '*', region: '*', items: [], start, end, periodSeconds, stat };
      const series = resources.reduce((sum, r) => sum + (request.metrics ?? KIND_METRICS[r.kind] ?? []).length, 0);
      failures.push({ ...failureOf(whole, provider.cloud, provider, error), series });
    }
    const batches = plans.flatMap((plan) => plan.batches);
    for (const plan of plans) gaps.push(...plan.gaps);
    stats.batches += batches.length;
    await Promise.all(batches.map((batch) => readBatch(provider, batch)));
  }

  await Promise.all(
    providers.map((provider) =>
      readCloud(
        provider,
        request.resources.filter((resource) => resource.cloud === provider.cloud),
      ),
    ),
  );
  // Pages may arrive newest first (Cloud Monitoring) or split a series: every series ends oldest first.
  const ordered = [...series.values()];
  for (const s of ordered) if (!inOrder(s.points)) s.points.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return { series: ordered, noData, gaps, failures, stats, callsByCloud, pagesByCloud };
}
