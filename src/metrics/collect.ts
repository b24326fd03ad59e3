// `guardian metrics` below the command: choose the machines (a snapshot given with --input, or a
// live discovery of the metered kinds), open the profile's providers and read their metrics.

import { DEFAULT_CALL_TIMEOUT_MS, DEFAULT_CONCURRENCY, DEFAULT_SCOPE_CONCURRENCY, type RunContext } from '../discovery/run.js';
import { UsageError } from '../errors.js';
import { isMeteredKind, METERED_KINDS, type MetricName, type MetricStat, type ResourceRef, resourceRef } from '../model/metric.js';
import type { Cloud, ResourceKind } from '../model/resource.js';
import type { ClassifiedError } from '../providers/types.js';
import { type MetricsOutcome, readMetrics } from './run.js';
import type { MetricWindow } from './window.js';

export interface CollectRequest {
  input?: string;
  providers?: Cloud[];
  regions?: string[];
  kinds?: ResourceKind[];
  /** Resource ids (or names) to keep; undefined keeps every machine. */
  ids?: string[];
  metrics?: MetricName[];
  window: MetricWindow;
  stat: MetricStat;
  /** --timeout, counted from the start (a live inventory included): the metric reads stop there. Ctrl-C stops everything. */
  timeoutMs?: number;
  /** Defaults: discovery's. */
  callTimeoutMs?: number;
  concurrency?: number;
  scopeConcurrency?: number;
  onRetry?: (cloud: Cloud, error: ClassifiedError, attempt: number, delayMs: number) => void;
}

export interface Collected {
  outcome: MetricsOutcome;
  /** Machines whose metrics were asked for. */
  resources: number;
  source: string;
  /** False when the inventory itself was incomplete (a listing failed). */
  inventoryComplete: boolean;
}

export async function collectMetrics(ctx: RunContext, request: CollectRequest): Promise<Collected> {
  const signal = request.timeoutMs ? AbortSignal.any([ctx.signal, AbortSignal.timeout(request.timeoutMs)]) : ctx.signal;
  const callTimeoutMs = request.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
  const kinds = request.kinds ? request.kinds.filter(isMeteredKind) : [...METERED_KINDS];
  if (kinds.length === 0) throw new UsageError(`--kind: none of these kinds has metrics (choose from ${METERED_KINDS.join(', ')})`);
  const { loadInventory } = await import('../discovery/load.js');
  const inventory = await loadInventory(ctx, { input: request.input, providers: request.providers, regions: request.regions, kinds });
  const wanted = request.ids ? new Set(request.ids) : undefined;
  const machines = inventory.resources.filter((r) => isMeteredKind(r.kind) && (!wanted || wanted.has(r.id) || wanted.has(r.name)));
  if (wanted) {
    const missing = [...wanted].filter((id) => !machines.some((r) => r.id === id || r.name === id));
    if (missing.length > 0) throw new UsageError(`--id: no machine ${missing.map((id) => `'${id}'`).join(', ')} in ${inventory.source}`);
  }
  const outcome = await readMetricsOf(ctx, machines.map(resourceRef), {
    metrics: request.metrics,
    window: request.window,
    stat: request.stat,
    signal,
    callTimeoutMs,
    concurrency: request.concurrency ?? DEFAULT_CONCURRENCY,
    scopeConcurrency: request.scopeConcurrency ?? DEFAULT_SCOPE_CONCURRENCY,
    onRetry: request.onRetry,
  });
  return { outcome, resources: machines.length, source: inventory.source, inventoryComplete: inventory.complete };
}

export interface MetricsReadRequest {
  metrics?: MetricName[];
  window: MetricWindow;
  stat: MetricStat;
  /** Ctrl-C and --timeout. */
  signal: AbortSignal;
  callTimeoutMs: number;
  concurrency: number;
  scopeConcurrency: number;
  onRetry?: CollectRequest['onRetry'];
}

/** Reads these resources' metrics with the profile's providers (optimize reads its inventory's this way). */
export async function readMetricsOf(ctx: RunContext, resources: ResourceRef[], request: MetricsReadRequest): Promise<MetricsOutcome> {
  const clouds = [...new Set(resources.map((r) => r.cloud))];
  if (clouds.length === 0) {
    return {
      series: [],
      noData: [],
      gaps: [],
      failures: [],
      stats: { batches: 0, calls: 0, pages: 0, retries: 0, throttled: 0, points: 0 },
      callsByCloud: {},
      pagesByCloud: {},
    };
  }
  const { createProviders } = await import('../discovery/session.js');
  const session = await ctx.openSession();
  try {
    const providers = await createProviders(session, clouds, { callTimeoutMs: request.callTimeoutMs, prewarm: false });
    try {
      return await readMetrics(providers, {
        resources,
        metrics: request.metrics,
        ...request.window,
        stat: request.stat,
        signal: request.signal,
        callTimeoutMs: request.callTimeoutMs,
        concurrency: request.concurrency,
        scopeConcurrency: request.scopeConcurrency,
        onRetry: request.onRetry,
      });
    } finally {
      await Promise.all(providers.map((provider) => provider.close?.()));
    }
  } finally {
    await session.close();
  }
}
