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
import { addDays, addMonths, monthStart, type Period } from './period.js';
import { ONE_OFF_MONTHS } from './projection.js';
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
  /** The groupings read for the period (default service and region; service is always read). */
  dimensions?: CostDimension[];
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
  /** The period's daily (or monthly) series by service as the clouds returned them, for predict. */
  byService: CostSeries[];
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

function classOf(provider: CloudProvider, error: unknown): ClassifiedError['class'] {
  return error instanceof CallFailed ? error.classified.class : provider.classify(error).class;
}

function failureOf(cloud: Cloud, provider: CloudProvider, error: unknown): CloudFailure {
  const classified = error instanceof CallFailed ? error.classified : provider.classify(error);
  const own = guardianCause(error);
  if (own) return { cloud, class: classified.class, code: own.name, message: own.message };
  const message = classified.message.split('\n')[0];
  return { cloud, class: classified.class, code: classified.code, message: `${classified.code ? `${classified.code}: ` : ''}${message}` };
}

/** A cloud left out of a figure: its billing query failed, or it answered with no spend at all. */
export interface MissingCloud {
  cloud: Cloud;
  reason: 'failed' | 'no-data';
  message: string;
}

interface CloudRead {
  cloud: Cloud;
  /** The period's series per dimension, or why they are missing. */
  period?: Map<CostDimension, CostSeries[]>;
  periodError?: unknown;
  /** Daily spend by account from ONE_OFF_MONTHS before the month to today, for the projection. */
  history?: CostSeries[];
  historyError?: unknown;
}

const hasSpend = (series: CostSeries[], from: string, to: string) =>
  series.some((s) => s.groups.some((g) => g.points.some((p) => p.amount !== 0 && p.date >= from && p.date < to)));

export async function readCosts(providers: CloudProvider[], request: CostsRequest): Promise<CostsOutcome> {
  const { current, previous, today } = request;
  const span = Math.max(current.days, previous.days);
  const granularity = request.granularity ?? (span <= 100 ? 'daily' : 'monthly');
  const dimensions: CostDimension[] = request.dimensions
    ? ['service', ...request.dimensions.filter((d) => d !== 'service')]
    : ['service', 'region'];
  if (request.groupBy && !dimensions.includes(request.groupBy) && request.groupBy !== 'account') dimensions.push(request.groupBy);
  // The projection reads the month to date and the months before it, daily; the current
  // period's daily figures are reused when they already cover that span.
  const historyStart = addMonths(monthStart(today), -ONE_OFF_MONTHS);
  const historyEnd = addDays(today, 1);
  const historyCovered = granularity === 'daily' && current.start <= historyStart && current.end >= historyEnd;

  const noComparison: CloudFailure[] = [];
  const stats: Partial<Record<Cloud, CostReadStats>> = {};

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
    const outcome: CloudRead = { cloud };
    try {
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
      outcome.period = found;
    } catch (error) {
      outcome.periodError = error;
    }
    // The month's figures are read even when the period's query was refused: --budget is about
    // this month whatever period is shown (a --month before the billing history still gets a
    // verdict). A cloud that did not answer, or refused the credentials, is not asked again.
    const unwell =
      outcome.periodError !== undefined && ['throttle', 'transient', 'timeout', 'auth'].includes(classOf(provider, outcome.periodError));
    if (unwell) {
      outcome.historyError = outcome.periodError;
      return outcome;
    }
    try {
      outcome.history =
        historyCovered && outcome.period
          ? (outcome.period.get('service') ?? [])
          : [await read({ start: historyStart, end: historyEnd, granularity: 'daily', metric: request.metric, dimension: 'account' })];
    } catch (error) {
      outcome.historyError = error;
    }
    return outcome;
  }

  const reads = await Promise.all(
    providers.map((provider) =>
      readCloud(provider).catch((error): CloudRead => ({ cloud: provider.cloud, periodError: error, historyError: error })),
    ),
  );
  const providerOf = (cloud: Cloud) => providers.find((p) => p.cloud === cloud) as CloudProvider;
  const byDimension = new Map<CostDimension, CostSeries[]>();
  const history: CostSeries[] = [];
  const failures: CloudFailure[] = [];
  const missing: MissingCloud[] = [];
  const monthMissing: MissingCloud[] = [];
  const succeeded: Cloud[] = [];
  for (const read of reads) {
    if (read.period) {
      for (const [dimension, list] of read.period) byDimension.set(dimension, [...(byDimension.get(dimension) ?? []), ...list]);
      succeeded.push(read.cloud);
      if (!hasSpend(read.period.get('service') ?? [], current.start, current.end))
        missing.push({
          cloud: read.cloud,
          reason: 'no-data',
          message: `reported no spend for ${current.start} to ${addDays(current.end, -1)}`,
        });
    } else {
      const failure = failureOf(read.cloud, providerOf(read.cloud), read.periodError);
      failures.push(failure);
      missing.push({ cloud: read.cloud, reason: 'failed', message: failure.message });
    }
    if (read.history) {
      history.push(...read.history);
      if (!hasSpend(read.history, monthStart(today), historyEnd))
        monthMissing.push({ cloud: read.cloud, reason: 'no-data', message: `reported no spend for ${monthStart(today).slice(0, 7)}` });
    } else {
      monthMissing.push({
        cloud: read.cloud,
        reason: 'failed',
        message: failureOf(read.cloud, providerOf(read.cloud), read.historyError).message,
      });
    }
  }
  const nothingRead = reads.every((read) => !read.period && !read.history);
  if (nothingRead && reads.length > 0 && !request.signal.aborted) {
    const first = reads[0].periodError;
    const own = guardianCause(first);
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
  const projections = projectMonthEnd(history, today);
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
    missing,
    monthMissing,
    ...(request.budget ? { budget: checkBudget(request.budget, projections, monthStart(today).slice(0, 7), monthMissing) } : {}),
  };
  return { report, byService: serviceSeries.filter((s) => s.start === current.start), failures, stats };
}
