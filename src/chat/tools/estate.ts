// The estate a chat session's tools read: one discovery (or the --input snapshot), one scan and
// one optimize run, each made on first use and kept for the session, through the same functions
// the discover, scan, optimize and costs commands call. Billing reads are made per question.

import { pinnedDemoDay } from '../../config/profile.js';
import type { CostsOutcome } from '../../costs/run.js';
import type { Inventory } from '../../discovery/load.js';
import { DEFAULT_CALL_TIMEOUT_MS, DEFAULT_CONCURRENCY, type RunContext } from '../../discovery/run.js';
import type { OptimizeOutcome } from '../../optimize/run.js';
import type { AnomalySource } from '../../predict/anomaly/run.js';
import type { ScanReport } from '../../rules/scan.js';
import type { EstateSource, SpendQuery } from './types.js';

export interface EstateOptions {
  /** A saved snapshot (--input): no discovery, no billing reads, cost rules that need metrics skipped. */
  input?: string;
  /** The profile asked for (the demo's data is pinned to GUARDIAN_DEMO_NOW). */
  profile?: string;
  callTimeoutMs?: number;
}

function once<T>(make: () => Promise<T>): () => Promise<T> {
  let made: Promise<T> | undefined;
  return () => {
    made ??= make();
    // A failed load is tried again by the next question rather than remembered.
    made.catch(() => {
      made = undefined;
    });
    return made;
  };
}

export function openEstate(ctx: RunContext, options: EstateOptions): EstateSource {
  const callTimeoutMs = options.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
  // The last day with data: today (UTC), or the demo cloud's pinned day.
  const day = () => pinnedDemoDay(options.profile, ctx.env) ?? ctx.now().toISOString().slice(0, 10);
  // Where the metrics end, epoch ms: now, or the start of the demo cloud's pinned day.
  const metricsNow = () => {
    const pinned = pinnedDemoDay(options.profile, ctx.env);
    return pinned ? Date.parse(`${pinned}T00:00:00Z`) : ctx.now().getTime();
  };

  const inventory = once<Inventory>(async () => {
    const { loadInventory } = await import('../../discovery/load.js');
    return loadInventory(ctx, { input: options.input, callTimeoutMs });
  });

  const scan = once<ScanReport>(async () => {
    const [{ loadCatalog }, { scan: scanResources }, { loadSuppressions }] = await Promise.all([
      import('../../rules/catalog.js'),
      import('../../rules/scan.js'),
      import('../../scan/run.js'),
    ]);
    const [catalog, suppressions, { resources }] = await Promise.all([loadCatalog(), loadSuppressions(ctx), inventory()]);
    return scanResources({ catalog, resources, suppressions, now: ctx.now() });
  });

  const optimize = once<OptimizeOutcome>(async () => {
    const [{ loadCostCatalog }, { DEFAULT_THRESHOLDS }, { resolveWindow }, { runOptimize }] = await Promise.all([
      import('../../rules/catalog.js'),
      import('../../rules/cost.js'),
      import('../../metrics/window.js'),
      import('../../optimize/run.js'),
    ]);
    const now = metricsNow();
    return runOptimize(ctx, {
      rules: await loadCostCatalog(),
      thresholds: DEFAULT_THRESHOLDS,
      input: options.input,
      window: resolveWindow({ since: '14d', period: '3600' }, now),
      now: new Date(now),
      signal: ctx.signal,
      callTimeoutMs,
      concurrency: DEFAULT_CONCURRENCY,
      scopeConcurrency: 10,
    });
  });

  const spend = async (query: SpendQuery): Promise<CostsOutcome> => {
    const { resolvePeriods } = await import('../../costs/period.js');
    const today = day();
    const { current, previous } = resolvePeriods(query, today);
    const { readLiveCosts } = await import('../../costs/live.js');
    return readLiveCosts(ctx, {
      clouds: query.clouds,
      current,
      previous,
      today,
      metric: 'unblended',
      groupBy: query.groupBy,
      top: query.top,
      budget: query.budget === undefined ? undefined : { amount: query.budget, currency: 'USD' },
      cache: true,
      callTimeoutMs,
    });
  };

  const predictCosts: EstateSource['predictCosts'] = async (query) => {
    const { predictCosts: forecast } = await import('../../predict/costs/run.js');
    return forecast(ctx, {
      horizon: query.horizonDays ? { kind: 'days', days: query.horizonDays } : { kind: 'month-end' },
      historyDays: 180,
      top: query.top,
      today: day(),
      clouds: query.clouds,
      callTimeoutMs,
      cache: true,
    });
  };

  const anomalies: EstateSource['anomalies'] = async (query) => {
    const [{ findAnomalies }, { resolveWindow }] = await Promise.all([
      import('../../predict/anomaly/run.js'),
      import('../../metrics/window.js'),
    ]);
    const now = metricsNow();
    const source: AnomalySource =
      query.source === 'costs'
        ? {
            kind: 'costs',
            request: {
              today: day(),
              historyDays: 90,
              top: query.top,
              metric: 'unblended',
              clouds: query.clouds,
              cache: true,
              callTimeoutMs,
            },
          }
        : ({
            kind: 'metrics',
            request: {
              input: options.input,
              providers: query.clouds,
              metrics: ['cpu'],
              window: resolveWindow({ since: '14d', period: '3600' }, now),
              stat: 'average',
              callTimeoutMs,
            },
          } as const);
    return findAnomalies(ctx, { source, sinceMs: query.sinceDays * 86_400_000 });
  };

  /** A 14-day window ending where the metrics end. */
  const metricsWindow = () => {
    const now = metricsNow();
    return { now, start: now - 14 * 86_400_000, end: now };
  };

  const capacity: EstateSource['capacity'] = async (query) => {
    const { runCapacity } = await import('../../predict/capacity/run.js');
    const { now, start, end } = metricsWindow();
    return runCapacity(ctx, {
      source: { kind: 'clouds', input: options.input, providers: query.clouds, start, end, stepSeconds: 3600, callTimeoutMs },
      threshold: query.threshold,
      horizonMs: query.horizonDays * 86_400_000,
      now,
    });
  };

  const risk: EstateSource['risk'] = async (query) => {
    const [{ runRisk }, { detectAnomalies }, { SIGNAL_KINDS }] = await Promise.all([
      import('../../predict/risk/run.js'),
      import('../../predict/anomaly/index.js'),
      import('../../predict/risk/index.js'),
    ]);
    const { now, start, end } = metricsWindow();
    return runRisk(ctx, {
      input: options.input,
      providers: query.clouds,
      signals: [...SIGNAL_KINDS],
      now,
      horizonMs: query.horizonDays * 86_400_000,
      start,
      end,
      stepSeconds: 3600,
      threshold: 90,
      saturation: 90,
      callTimeoutMs,
      detector: (series) => detectAnomalies(series),
    });
  };

  return { mode: options.input ? 'snapshot' : 'live', inventory, scan, optimize, spend, predictCosts, anomalies, capacity, risk };
}
