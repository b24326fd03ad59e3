// Reads spend through every provider's costs face and builds the report. Each billing query is
// one call with discovery's retry, timeout and cancellation (src/discovery/call.ts); the clouds
// are read at once. One failing cloud is a warning beside the others' figures; all of them
// failing is an error.

import { CallFailed, callWithRetry } from '../discovery/call.js';
import type { RetryPolicy } from '../discovery/retry.js';
import { ConfigError, isGuardianError, UsageError } from '../errors.js';
import {
  type CostDimension,
  type CostGranularity,
  type CostMetric,
  type CostQuery,
  type CostReadStats,
  type CostSeries,
  emptyReadStats,
} from '../model/cost.js';
import type { Cloud } from '../model/resource.js';
import { RemoteCallError } from '../providers/remote.js';
import type { ClassifiedError, CloudProvider } from '../providers/types.js';
import { addDays, dayNumber, monthStart, type Period } from './period.js';
import { type Budget, type CostReport, checkBudget, currencyTotals, groupTable, projectMonthEnd, spendSeries } from './report.js';

export const DIMENSIONS_HELP = 'service, region, account or tag:KEY';

/** `--group-by`: service, region, account or tag:KEY; anything else is a usage error. */
export function parseDimension(value: string): CostDimension {
  const text = value.trim();
  if (text === 'service' || text === 'region' || text === 'account') return text;
  const tag = /^tag:(.+)$/.exec(text);
  if (tag && tag[1].trim() !== '') return `tag:${tag[1].trim()}`;
  throw new UsageError(`unknown group key '${value}' (choose ${DIMENSIONS_HELP})`);
}

/** `--budget 5000` (USD) or `--budget 4500EUR` / `--budget "4500 EUR"`. */
export function parseBudget(value: string): Budget {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([A-Za-z]{3})?\s*$/.exec(value.replace(/,/g, ''));
  if (!match || Number(match[1]) <= 0) throw new UsageError(`--budget '${value}' is not an amount (e.g. 5000 or 4500EUR)`);
  return { amount: Number(match[1]), currency: (match[2] ?? 'USD').toUpperCase() };
}

export interface CostsRequest {
  current: Period;
  previous: Period;
  /** The last day with data (UTC today, or the demo cloud's day). */
  today: string;
  metric: CostMetric;
  /** Undefined: daily up to 100 days, monthly beyond. */
  granularity?: CostGranularity;
  groupBy?: CostDimension;
  top: number;
  budget?: Budget;
  /** Ctrl-C and the overall --timeout: a cloud not finished by then is reported as missing. */
  signal: AbortSignal;
  /** Give up on one billing query after this long (--call-timeout); retried like a page call. */
  callTimeoutMs: number;
  retry?: RetryPolicy;
  /** A query is retried after `error` (for --verbose). */
  onRetry?: (cloud: Cloud, error: ClassifiedError, attempt: number, delayMs: number) => void;
}

export interface CloudFailure {
  cloud: Cloud;
  /** The error class of the call that gave up (timeout, throttle, auth…). */
  class: ClassifiedError['class'];
  code: string;
  message: string;
}

export interface CostsOutcome {
  report: CostReport;
  failures: CloudFailure[];
  stats: Partial<Record<Cloud, CostReadStats>>;
}

/** Guardian's own error behind a failed call (a ConfigError thrown in a provider thread comes back revived). */
function guardianCause(error: unknown): Error | undefined {
  const cause = error instanceof CallFailed ? error.cause : error;
  if (isGuardianError(cause)) return cause;
  if (cause instanceof RemoteCallError) return cause.guardian;
  return undefined;
}

function failureOf(cloud: Cloud, provider: CloudProvider, error: unknown): CloudFailure {
  const classified = error instanceof CallFailed ? error.classified : provider.classify(error);
  const own = guardianCause(error);
  if (own) return { cloud, class: classified.class, code: own.name, message: own.message };
  const message = classified.message.split('\n')[0];
  return { cloud, class: classified.class, code: classified.code, message: `${classified.code ? `${classified.code}: ` : ''}${message}` };
}

interface CloudRead {
  found: Map<CostDimension, CostSeries[]>;
  mtd: CostSeries[];
}

export async function readCosts(providers: CloudProvider[], request: CostsRequest): Promise<CostsOutcome> {
  const { current, previous, today } = request;
  const span = Math.max(current.days, previous.days);
  const granularity = request.granularity ?? (span <= 100 ? 'daily' : 'monthly');
  const dimensions: CostDimension[] = ['service', 'region'];
  if (request.groupBy && !dimensions.includes(request.groupBy) && request.groupBy !== 'account') dimensions.push(request.groupBy);
  // The month-to-date projection reuses the current period's daily figures when they cover it.
  const mtdStart = monthStart(today);
  const mtdEnd = addDays(today, 1);
  const mtdCovered = granularity === 'daily' && current.start <= mtdStart && current.end >= mtdEnd;

  const failures: CloudFailure[] = [];
  const noComparison: CloudFailure[] = [];
  const stats: Partial<Record<Cloud, CostReadStats>> = {};
  let firstError: unknown;

  async function readCloud(provider: CloudProvider): Promise<CloudRead> {
    const cloud = provider.cloud;
    const cloudStats = emptyReadStats();
    stats[cloud] = cloudStats;
    const reader = provider.costs;
    if (!reader) throw new Error(`the ${cloud} provider reads no costs`);
    const read = async (query: CostQuery): Promise<CostSeries> => {
      const reading = await callWithRetry(provider, (signal) => reader(query, { signal }), {
        signal: request.signal,
        callTimeoutMs: request.callTimeoutMs,
        retry: request.retry,
        onRetry: (error, attempt, delayMs) => request.onRetry?.(cloud, error, attempt, delayMs),
      });
      cloudStats.requests += reading.stats.requests;
      cloudStats.paidRequests += reading.stats.paidRequests;
      cloudStats.cachedRequests += reading.stats.cachedRequests;
      return reading.series;
    };
    const found = new Map<CostDimension, CostSeries[]>();
    let comparison = previous.days > 0;
    for (const dimension of dimensions) {
      const list: CostSeries[] = [];
      list.push(await read({ start: current.start, end: current.end, granularity, metric: request.metric, dimension }));
      // Billing history is finite (Cost Explorer keeps 13 months): a comparison that reaches
      // past it is reported as missing rather than sinking the current period's figures.
      if (comparison) {
        try {
          list.push(await read({ start: previous.start, end: previous.end, granularity, metric: request.metric, dimension }));
        } catch (error) {
          if (request.signal.aborted) throw error;
          comparison = false;
          noComparison.push(failureOf(cloud, provider, error));
        }
      }
      found.set(dimension, list);
    }
    let mtd = mtdCovered ? (found.get('service') ?? []) : [];
    if (!mtdCovered && dayNumber(mtdEnd) > dayNumber(mtdStart)) {
      mtd = [await read({ start: mtdStart, end: mtdEnd, granularity: 'daily', metric: request.metric, dimension: 'account' })];
    }
    return { found, mtd };
  }

  const reads = await Promise.allSettled(providers.map(readCloud));
  const byDimension = new Map<CostDimension, CostSeries[]>();
  const mtdSeries: CostSeries[] = [];
  const succeeded: Cloud[] = [];
  reads.forEach((outcome, i) => {
    const provider = providers[i];
    if (outcome.status === 'rejected') {
      firstError ??= outcome.reason;
      failures.push(failureOf(provider.cloud, provider, outcome.reason));
      return;
    }
    for (const [dimension, list] of outcome.value.found) byDimension.set(dimension, [...(byDimension.get(dimension) ?? []), ...list]);
    mtdSeries.push(...outcome.value.mtd);
    succeeded.push(provider.cloud);
  });
  if (succeeded.length === 0 && firstError !== undefined && !request.signal.aborted) {
    const own = guardianCause(firstError);
    if (own) throw own;
    throw new ConfigError(`could not read spend from ${failures.map((f) => `${f.cloud} (${f.message})`).join('; ')}`, {
      hint: "check the credentials with 'guardian config test' and that they may read billing data",
    });
  }

  const serviceSeries = byDimension.get('service') ?? [];
  const groups = [
    groupTable('service', serviceSeries, current, previous, request.top),
    groupTable('region', byDimension.get('region') ?? [], current, previous, request.top),
    groupTable('account', serviceSeries, current, previous, request.top),
  ];
  if (request.groupBy && !['service', 'region', 'account'].includes(request.groupBy)) {
    groups.unshift(groupTable(request.groupBy, byDimension.get(request.groupBy) ?? [], current, previous, request.top));
  } else if (request.groupBy) {
    // The asked-for dimension first.
    groups.sort((a, b) => Number(b.dimension === request.groupBy) - Number(a.dimension === request.groupBy));
  }
  const projections = projectMonthEnd(mtdSeries, today);
  const report: CostReport = {
    period: current,
    previousPeriod: previous,
    metric: request.metric,
    granularity,
    clouds: succeeded,
    totals: currencyTotals(serviceSeries, current, previous),
    groups,
    series: spendSeries(serviceSeries, current),
    projections,
    noComparison,
    ...(request.budget ? { budget: checkBudget(request.budget, projections) } : {}),
  };
  return { report, failures, stats };
}
