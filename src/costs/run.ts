// Reads spend from every cloud a profile covers and builds the report. One failing cloud is a
// warning beside the others' figures; all of them failing is an error.

import type { Profile } from '../config/profile.js';
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
import type { CostCache } from '../providers/aws/costs.js';
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
  clouds: Cloud[];
  cache?: CostCache;
  signal?: AbortSignal;
}

export interface CloudFailure {
  cloud: Cloud;
  message: string;
}

export interface CostsOutcome {
  report: CostReport;
  failures: CloudFailure[];
  stats: Partial<Record<Cloud, CostReadStats>>;
}

type Reader = (query: CostQuery) => Promise<CostSeries>;

async function readerFor(
  cloud: Cloud,
  profile: Profile,
  env: NodeJS.ProcessEnv,
  request: CostsRequest,
  stats: CostReadStats,
): Promise<Reader> {
  if (cloud === 'aws') {
    const { readAwsCosts } = await import('../providers/aws/costs.js');
    const settings = profile.aws ?? {};
    return (query) => readAwsCosts(settings, env, query, { signal: request.signal, cache: request.cache, stats });
  }
  if (cloud === 'azure') {
    const { readAzureCosts } = await import('../providers/azure/costs.js');
    const settings = profile.azure ?? {};
    return (query) => readAzureCosts(settings, env, query, { signal: request.signal, stats });
  }
  const { readGcpCosts } = await import('../providers/gcp/costs.js');
  const settings = profile.gcp ?? {};
  return (query) => readGcpCosts(settings, env, query, { signal: request.signal, stats });
}

function describe(error: unknown): string {
  if (isGuardianError(error)) return error.message;
  const e = error as { name?: string; code?: string; message?: string };
  const code = e.code ?? (e.name && e.name !== 'Error' ? e.name : undefined);
  return `${code ? `${code}: ` : ''}${(e.message ?? String(error)).split('\n')[0]}`;
}

export async function readCosts(profile: Profile, env: NodeJS.ProcessEnv, request: CostsRequest): Promise<CostsOutcome> {
  const { current, previous, today } = request;
  const span = Math.max(current.days, previous.days);
  const granularity = request.granularity ?? (span <= 100 ? 'daily' : 'monthly');
  const dimensions: CostDimension[] = ['service', 'region'];
  if (request.groupBy && !dimensions.includes(request.groupBy) && request.groupBy !== 'account') dimensions.push(request.groupBy);
  // The month-to-date projection reuses the current period's daily figures when they cover it.
  const mtdStart = monthStart(today);
  const mtdEnd = addDays(today, 1);
  const mtdCovered = granularity === 'daily' && current.start <= mtdStart && current.end >= mtdEnd;

  const byDimension = new Map<CostDimension, CostSeries[]>();
  const mtdSeries: CostSeries[] = [];
  const failures: CloudFailure[] = [];
  const noComparison: CloudFailure[] = [];
  const stats: Partial<Record<Cloud, CostReadStats>> = {};
  const succeeded: Cloud[] = [];
  let firstError: unknown;

  for (const cloud of request.clouds) {
    const cloudStats = emptyReadStats();
    stats[cloud] = cloudStats;
    try {
      const read = await readerFor(cloud, profile, env, request, cloudStats);
      const found = new Map<CostDimension, CostSeries[]>();
      for (const dimension of dimensions) {
        const list: CostSeries[] = [];
        list.push(await read({ start: current.start, end: current.end, granularity, metric: request.metric, dimension }));
        // Billing history is finite (Cost Explorer keeps 13 months): a comparison that reaches
        // past it is reported as missing rather than sinking the current period's figures.
        if (previous.days > 0 && !noComparison.some((n) => n.cloud === cloud)) {
          try {
            list.push(await read({ start: previous.start, end: previous.end, granularity, metric: request.metric, dimension }));
          } catch (error) {
            if (request.signal?.aborted) throw error;
            noComparison.push({ cloud, message: describe(error) });
          }
        }
        found.set(dimension, list);
      }
      let mtd = mtdCovered ? (found.get('service') ?? []) : [];
      if (!mtdCovered && dayNumber(mtdEnd) > dayNumber(mtdStart)) {
        mtd = [await read({ start: mtdStart, end: mtdEnd, granularity: 'daily', metric: request.metric, dimension: 'account' })];
      }
      for (const [dimension, list] of found) byDimension.set(dimension, [...(byDimension.get(dimension) ?? []), ...list]);
      mtdSeries.push(...mtd);
      succeeded.push(cloud);
    } catch (error) {
      if (request.signal?.aborted) throw error;
      firstError ??= error;
      failures.push({ cloud, message: describe(error) });
    }
  }
  if (succeeded.length === 0 && firstError !== undefined) {
    if (isGuardianError(firstError)) throw firstError;
    throw new ConfigError(`could not read spend from ${failures.map((f) => `${f.cloud} (${f.message})`).join('; ')}`, {
      hint: 'check the profile with `guardian config show` and that its credentials may read billing data',
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
