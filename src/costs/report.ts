// Turns the cost readers' series into the report `guardian costs` prints: totals per currency
// against the previous period, the top groups per dimension with their share and change, the
// daily (or monthly) spend line, the month-end projection (projection.ts) and the budget check.
// Amounts in different currencies are never added together.

import type { CostDimension, CostGranularity, CostMetric, CostSeries } from '../model/cost.js';
import type { Cloud } from '../model/resource.js';
import { forecastSeries } from '../predict/forecast/index.js';
import { monthStart, type Period } from './period.js';
import { type ForecastOfMonth, type MonthProjection, projectMonthWithForecast } from './projection.js';

export interface CurrencyTotal {
  currency: string;
  amount: number;
  previous: number;
  change: number;
  /** Percent change against the previous period; null when it had no spend. */
  changePercent: number | null;
}

export interface GroupRow {
  cloud: Cloud;
  key: string;
  currency: string;
  amount: number;
  previous: number;
  change: number;
  changePercent: number | null;
  /** Percent of the period's total in the same currency. */
  share: number;
}

export interface GroupTable {
  dimension: CostDimension;
  rows: GroupRow[];
  /** Rows beyond the top N that were summed into `others` (per currency). */
  others: { currency: string; count: number; amount: number }[];
}

export interface SeriesPoint {
  date: string;
  currency: string;
  amount: number;
  estimated?: boolean;
}

/** One currency's month-end projection, with its basis (projection.ts). */
export interface Projection extends MonthProjection {
  currency: string;
}

export interface BudgetCheck {
  amount: number;
  currency: string;
  /** The calendar month judged (YYYY-MM): the month of the last day with data. */
  month: string;
  monthToDate: number;
  projectedMonthEnd: number;
  exceeded: 'month-to-date' | 'projection' | false;
  /**
   * False when no cloud reported spend in the budget's currency this month: there is nothing to
   * judge, and that is never "within budget".
   */
  judged: boolean;
  /** Clouds whose spend this month is not in the figures (their query failed, or they reported none). */
  missing: { cloud: Cloud; reason: 'failed' | 'no-data'; message: string }[];
  /** Spend in other currencies that the budget does not cover (no exchange rates). */
  notCovered: { currency: string; monthToDate: number }[];
}

export interface CostReport {
  period: Period;
  previousPeriod: Period;
  metric: CostMetric;
  granularity: CostGranularity;
  clouds: Cloud[];
  totals: CurrencyTotal[];
  groups: GroupTable[];
  series: SeriesPoint[];
  projections: Projection[];
  /** Clouds whose previous-period figures could not be read (they count as 0 in `previous`). */
  noComparison: { cloud: Cloud; message: string }[];
  /** Clouds missing from the period's figures: their query failed, or they reported no spend. */
  missing: { cloud: Cloud; reason: 'failed' | 'no-data'; message: string }[];
  /** Clouds missing from the month-to-date figures the projection and budget stand on. */
  monthMissing: { cloud: Cloud; reason: 'failed' | 'no-data'; message: string }[];
  budget?: BudgetCheck;
}

const round2 = (value: number) => Math.round(value * 100) / 100;
const percent = (amount: number, previous: number) => (previous > 0 ? round2(((amount - previous) / previous) * 100) : null);

interface Flat {
  cloud: Cloud;
  account: string;
  key: string;
  date: string;
  amount: number;
  currency: string;
  estimated?: boolean;
}

function flatten(series: CostSeries[]): Flat[] {
  const out: Flat[] = [];
  for (const s of series) {
    for (const group of s.groups) {
      for (const point of group.points)
        out.push({
          cloud: s.cloud,
          account: group.account,
          key: group.key,
          date: point.date,
          amount: point.amount,
          currency: point.currency,
          estimated: point.estimated,
        });
    }
  }
  return out;
}

const inPeriod = (date: string, period: Period) => date >= period.start && date < period.end;

/** Totals per currency for a period from any one dimension's series (every dimension sums to the same). */
export function currencyTotals(series: CostSeries[], current: Period, previous: Period): CurrencyTotal[] {
  const totals = new Map<string, { amount: number; previous: number }>();
  for (const row of flatten(series)) {
    const entry = totals.get(row.currency) ?? { amount: 0, previous: 0 };
    if (inPeriod(row.date, current)) entry.amount += row.amount;
    else if (inPeriod(row.date, previous)) entry.previous += row.amount;
    totals.set(row.currency, entry);
  }
  return [...totals.entries()]
    .map(([currency, t]) => ({
      currency,
      amount: round2(t.amount),
      previous: round2(t.previous),
      change: round2(t.amount - t.previous),
      changePercent: percent(t.amount, t.previous),
    }))
    .sort((a, b) => b.amount - a.amount);
}

/** Rows of one dimension over the period, largest first within each currency, the top N of each kept. */
export function groupTable(dimension: CostDimension, series: CostSeries[], current: Period, previous: Period, top: number): GroupTable {
  const rows = new Map<string, { cloud: Cloud; key: string; currency: string; amount: number; previous: number }>();
  for (const row of flatten(series)) {
    const key = dimension === 'account' ? row.account : row.key;
    const id = `${row.cloud}\u0000${key}\u0000${row.currency}`;
    let entry = rows.get(id);
    if (!entry) {
      entry = { cloud: row.cloud, key, currency: row.currency, amount: 0, previous: 0 };
      rows.set(id, entry);
    }
    if (inPeriod(row.date, current)) entry.amount += row.amount;
    else if (inPeriod(row.date, previous)) entry.previous += row.amount;
  }
  const totals = new Map<string, number>();
  for (const entry of rows.values()) totals.set(entry.currency, (totals.get(entry.currency) ?? 0) + entry.amount);
  const all = [...rows.values()]
    .filter((entry) => round2(entry.amount) !== 0 || round2(entry.previous) !== 0)
    .map((entry) => ({
      cloud: entry.cloud,
      key: entry.key,
      currency: entry.currency,
      amount: round2(entry.amount),
      previous: round2(entry.previous),
      change: round2(entry.amount - entry.previous),
      changePercent: percent(entry.amount, entry.previous),
      share: (totals.get(entry.currency) ?? 0) > 0 ? round2((entry.amount / (totals.get(entry.currency) ?? 1)) * 100) : 0,
    }))
    // Amounts in different currencies do not compare: rows are ranked within their currency,
    // the currency with the most spend first, and the top N are kept per currency.
    .sort(
      (a, b) =>
        (totals.get(b.currency) ?? 0) - (totals.get(a.currency) ?? 0) ||
        a.currency.localeCompare(b.currency) ||
        b.amount - a.amount ||
        a.key.localeCompare(b.key),
    );
  const rank = new Map<string, number>();
  const kept: GroupRow[] = [];
  const rest: GroupRow[] = [];
  for (const row of all) {
    const n = (rank.get(row.currency) ?? 0) + 1;
    rank.set(row.currency, n);
    (n <= top ? kept : rest).push(row);
  }
  const others = new Map<string, { currency: string; count: number; amount: number }>();
  for (const row of rest) {
    const entry = others.get(row.currency) ?? { currency: row.currency, count: 0, amount: 0 };
    entry.count += 1;
    entry.amount = round2(entry.amount + row.amount);
    others.set(row.currency, entry);
  }
  return { dimension, rows: kept, others: [...others.values()] };
}

/** Spend per day (or month) and currency over the current period. */
export function spendSeries(series: CostSeries[], current: Period): SeriesPoint[] {
  const points = new Map<string, SeriesPoint>();
  for (const row of flatten(series)) {
    if (!inPeriod(row.date, current)) continue;
    const id = `${row.date}\u0000${row.currency}`;
    const point = points.get(id) ?? { date: row.date, currency: row.currency, amount: 0 };
    point.amount += row.amount;
    if (row.estimated) point.estimated = true;
    points.set(id, point);
  }
  return [...points.values()]
    .map((p) => ({ ...p, amount: round2(p.amount) }))
    .sort((a, b) => a.date.localeCompare(b.date) || a.currency.localeCompare(b.currency));
}

/** Per currency, the month-end projection from daily series reaching back before the month. */
export function projectMonthEnd(series: CostSeries[], today: string): Projection[] {
  const daily = new Map<string, { date: string; amount: number }[]>();
  for (const row of flatten(series)) {
    if (row.date > today) continue;
    const list = daily.get(row.currency) ?? [];
    list.push({ date: row.date, amount: row.amount });
    daily.set(row.currency, list);
  }
  return [...daily.entries()]
    .map(([currency, points]) => ({ currency, ...projectMonthWithForecast(points, today, monthForecast) }))
    .filter((p) => p.monthToDate !== 0 || p.projectedMonthEnd !== 0)
    .sort((a, b) => b.monthToDate - a.monthToDate);
}

const DAY_MS = 86_400_000;

/** The month's total from the backtested forecaster, or undefined when it declines the series. */
function monthForecast({ first, amounts }: { first: string; amounts: number[] }): ForecastOfMonth | undefined {
  const start = Date.parse(`${first}T00:00:00Z`);
  const points = amounts.map((v, i) => ({ t: start + i * DAY_MS, v }));
  const made = forecastSeries({ id: 'month', name: 'month', labels: {}, points }, { horizon: { kind: 'month-end' } });
  if (made.status !== 'ok' || !made.model || !made.backtest || !made.total) return undefined;
  const interval = made.total.interval;
  return {
    monthEnd: made.total.mean,
    basis: {
      model: made.model,
      backtestError: made.backtest.scores[0].error,
      origins: made.backtest.scores[0].origins,
      scores: made.backtest.scores,
      ...(interval ? { interval80: [interval.lower80, interval.upper80], interval95: [interval.lower95, interval.upper95] } : {}),
    },
  };
}

export interface Budget {
  amount: number;
  currency: string;
}

export function checkBudget(budget: Budget, projections: Projection[], month: string, missing: BudgetCheck['missing'] = []): BudgetCheck {
  const mine = projections.find((p) => p.currency === budget.currency);
  const monthToDate = mine?.monthToDate ?? 0;
  const projectedMonthEnd = mine?.projectedMonthEnd ?? 0;
  const exceeded = monthToDate > budget.amount ? 'month-to-date' : projectedMonthEnd > budget.amount ? 'projection' : false;
  const notCovered = projections
    .filter((p) => p.currency !== budget.currency)
    .map((p) => ({ currency: p.currency, monthToDate: p.monthToDate }));
  return {
    amount: budget.amount,
    currency: budget.currency,
    month,
    monthToDate,
    projectedMonthEnd,
    exceeded,
    judged: mine !== undefined,
    missing,
    notCovered,
  };
}

/** Daily points summed into calendar months (the first one starting at the period's start). */
export function toMonthly(points: SeriesPoint[], period: Period): SeriesPoint[] {
  const months = new Map<string, SeriesPoint>();
  for (const point of points) {
    const month = monthStart(point.date) < period.start ? period.start : monthStart(point.date);
    const id = `${month}\u0000${point.currency}`;
    const entry = months.get(id) ?? { date: month, currency: point.currency, amount: 0 };
    entry.amount = round2(entry.amount + point.amount);
    if (point.estimated) entry.estimated = true;
    months.set(id, entry);
  }
  return [...months.values()].sort((a, b) => a.date.localeCompare(b.date) || a.currency.localeCompare(b.currency));
}
