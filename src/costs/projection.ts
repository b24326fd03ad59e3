// The month-end projection: month to date, plus a robust daily run-rate for the days left, plus
// the monthly one-off charges the history says are still to come. A linear extrapolation of the
// month to date multiplies a first-of-month charge (a reservation fee, a support plan) by the
// month's length on the 1st; here such charges are found in the history (an excess over the
// month's typical day on the same day of the month, in at least two of the previous months),
// taken out of the run-rate and counted once.

import type { ForecastModelName, ModelScore } from '../model/forecast.js';
import { addDays, addMonths, dayNumber, daysInMonth, isoDay, monthStart } from './period.js';

export interface DailyAmount {
  /** ISO day. */
  date: string;
  amount: number;
}

export interface MonthlyOneOff {
  /** Day of the month it is charged on (clamped to the month's last day in shorter months). */
  dayOfMonth: number;
  /** The charge: the mean excess over a typical day in the months it was seen. */
  amount: number;
  /** In how many of the previous months it was seen, of how many looked at. */
  seenIn: number;
  of: number;
  /** Already charged this month (its day has passed), so it is in the month to date. */
  billed: boolean;
}

export interface ProjectionBasis {
  /**
   * `forecast`: at least FORECAST_MIN_DAYS of history: month to date + the forecast of the days
   * left by the model a rolling-origin backtest chose (`forecast` says which, its error and the
   * intervals); the run-rate fields below are kept beside it for comparison.
   * `run-rate`: month to date + run-rate × days left + monthly one-offs not yet billed.
   * `month-to-date`: too little history for a run-rate (under RUN_RATE_MIN_DAYS days); the
   * month to date over its days, times the month (the linear extrapolation, said as such).
   */
  method: 'forecast' | 'run-rate' | 'month-to-date';
  /** The days the run-rate is the mean of: the last `days` days up to the last day with data, into the previous month if need be. */
  window: { start: string; last: string; days: number };
  /** Spend per day over the window, without the one-offs and with spikes capped. */
  runRate: number;
  daysLeft: number;
  oneOffs: MonthlyOneOff[];
  /** One-offs expected on the days left, added once. */
  notYetBilled: number;
  /** With method `forecast`: the run-rate's own figure, for comparison. */
  runRateProjection?: number;
  forecast?: ForecastBasis;
}

/** How a forecast projection was made (src/predict/forecast). */
export interface ForecastBasis {
  model: ForecastModelName;
  /** The winner's mean absolute month-end error in the backtest, as a fraction of the month, and over how many origins. */
  backtestError: number;
  origins: number;
  /** Every model's backtest error, best first. */
  scores: ModelScore[];
  /** Days of history the backtest and forecast stood on. */
  historyDays: number;
  /** The month-end total's intervals, from the backtest's errors; absent with too few of them. */
  interval80?: [number, number];
  interval95?: [number, number];
}

export interface MonthProjection {
  month: string;
  monthToDate: number;
  daysElapsed: number;
  daysInMonth: number;
  projectedMonthEnd: number;
  basis: ProjectionBasis;
}

/** Two weeks: whole weeks, so weekday/weekend swings cancel out. */
export const RUN_RATE_WINDOW_DAYS = 14;
export const RUN_RATE_MIN_DAYS = 3;
/** Previous months searched for recurring one-offs. */
export const ONE_OFF_MONTHS = 3;

const round2 = (value: number) => Math.round(value * 100) / 100;

function median(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Median absolute deviation scaled to a standard deviation for normal data. */
function spread(values: number[], centre: number): number {
  return 1.4826 * median(values.map((v) => Math.abs(v - centre)));
}

/** An amount well above the typical day: more than four spreads and a quarter of the day itself. */
function excessOver(amount: number, typical: number, deviation: number): number {
  const excess = amount - typical;
  return excess > Math.max(4 * deviation, 0.25 * Math.abs(typical)) ? excess : 0;
}

function clampDay(monthFirst: string, dayOfMonth: number): string {
  return addDays(monthFirst, Math.min(dayOfMonth, daysInMonth(monthFirst)) - 1);
}

/**
 * Finds charges that recur on the same day of the month: in each previous month fully covered by
 * the history, a day whose amount is well over that month's median day. Seen in two months or
 * more, it is a monthly one-off; its amount is the mean excess where seen.
 */
export function monthlyOneOffs(amountOf: (date: string) => number, firstDay: string, today: string, months = ONE_OFF_MONTHS) {
  const current = monthStart(today);
  const looked: string[] = [];
  for (let back = 1; back <= months; back++) {
    const first = addMonths(current, -back);
    if (first >= firstDay) looked.push(first);
  }
  const excesses = new Map<number, number[]>();
  for (const first of looked) {
    const days = Array.from({ length: daysInMonth(first) }, (_, i) => amountOf(addDays(first, i)));
    const typical = median(days);
    const deviation = spread(days, typical);
    for (let dom = 1; dom <= 31; dom++) {
      // In a short month the 29th-31st all land on its last day: count that day once.
      if (dom > days.length && dom !== 31) continue;
      const excess = excessOver(amountOf(clampDay(first, dom)), typical, deviation);
      if (excess > 0) excesses.set(dom, [...(excesses.get(dom) ?? []), excess]);
    }
  }
  const todayDom = dayNumber(today) - dayNumber(current) + 1;
  const found: MonthlyOneOff[] = [];
  for (const [dom, list] of excesses) {
    if (list.length < 2) continue;
    found.push({
      dayOfMonth: dom,
      amount: round2(list.reduce((sum, v) => sum + v, 0) / list.length),
      seenIn: list.length,
      of: looked.length,
      billed: Math.min(dom, daysInMonth(current)) <= todayDom,
    });
  }
  return found.sort((a, b) => a.dayOfMonth - b.dayOfMonth);
}

/**
 * Projects the calendar month of `today` (the last day with data) from a daily series that
 * reaches back before the month (missing days inside the history count as 0).
 */
export function projectMonth(daily: DailyAmount[], today: string): MonthProjection {
  const byDate = new Map<string, number>();
  for (const point of daily) byDate.set(point.date, (byDate.get(point.date) ?? 0) + point.amount);
  const amountOf = (date: string) => byDate.get(date) ?? 0;
  const dates = [...byDate.keys()].filter((date) => date <= today).sort();
  const start = monthStart(today);
  const elapsed = dayNumber(today) - dayNumber(start) + 1;
  const total = daysInMonth(today);
  const daysLeft = total - elapsed;
  let monthToDate = 0;
  for (let i = 0; i < elapsed; i++) monthToDate += amountOf(addDays(start, i));

  const firstDay = dates[0] ?? start;
  const windowStart = isoDay(Math.max(dayNumber(today) - RUN_RATE_WINDOW_DAYS + 1, dayNumber(firstDay)));
  const windowDays = dayNumber(today) - dayNumber(windowStart) + 1;
  const window = { start: windowStart, last: today, days: windowDays };
  const base = { month: start.slice(0, 7), monthToDate: round2(monthToDate), daysElapsed: elapsed, daysInMonth: total };

  if (windowDays < RUN_RATE_MIN_DAYS) {
    const runRate = monthToDate / elapsed;
    return {
      ...base,
      projectedMonthEnd: round2(runRate * total),
      basis: { method: 'month-to-date', window, runRate: round2(runRate), daysLeft, oneOffs: [], notYetBilled: 0 },
    };
  }

  const oneOffs = monthlyOneOffs(amountOf, firstDay, today);
  const oneOffDays = new Set(oneOffs.map((o) => o.dayOfMonth));
  const values: number[] = [];
  for (let i = 0; i < windowDays; i++) values.push(amountOf(addDays(windowStart, i)));
  const typical = median(values);
  const deviation = spread(values, typical);
  const cap = typical + Math.max(4 * deviation, 0.25 * Math.abs(typical));
  const cleaned = values.map((value, i) => {
    const date = addDays(windowStart, i);
    const dom = dayNumber(date) - dayNumber(monthStart(date)) + 1;
    const last = dom === daysInMonth(date);
    // A known one-off's day counts as a typical day; any other spike is capped.
    if (oneOffDays.has(dom) || (last && [...oneOffDays].some((d) => d > dom))) return Math.min(value, typical);
    return Math.min(value, cap);
  });
  const runRate = cleaned.reduce((sum, v) => sum + v, 0) / cleaned.length;
  const notYetBilled = oneOffs.filter((o) => !o.billed).reduce((sum, o) => sum + o.amount, 0);
  return {
    ...base,
    projectedMonthEnd: round2(monthToDate + runRate * daysLeft + notYetBilled),
    basis: { method: 'run-rate', window, runRate: round2(runRate), daysLeft, oneOffs, notYetBilled: round2(notYetBilled) },
  };
}

/** Eight weeks: under this the run-rate projection is used (the forecaster's own minimum to backtest). */
export const FORECAST_MIN_DAYS = 56;

/**
 * The month-end projection from the backtested forecast (src/predict/forecast) when the history
 * has at least FORECAST_MIN_DAYS days and days are left in the month; the run-rate projection
 * otherwise, and whenever the forecaster declines the series (a flat line, too few origins).
 */
export function projectMonthWithForecast(
  daily: DailyAmount[],
  today: string,
  forecast: (values: { first: string; amounts: number[] }) => ForecastOfMonth | undefined,
): MonthProjection {
  const projection = projectMonth(daily, today);
  const dates = daily.map((p) => p.date).filter((d) => d <= today);
  if (dates.length === 0 || projection.basis.daysLeft === 0) return projection;
  const first = dates.reduce((a, b) => (a < b ? a : b));
  const days = dayNumber(today) - dayNumber(first) + 1;
  if (days < FORECAST_MIN_DAYS) return projection;
  const byDate = new Map<string, number>();
  for (const point of daily) if (point.date <= today) byDate.set(point.date, (byDate.get(point.date) ?? 0) + point.amount);
  const amounts = Array.from({ length: days }, (_, i) => byDate.get(addDays(first, i)) ?? 0);
  const made = forecast({ first, amounts });
  if (!made) return projection;
  return {
    ...projection,
    projectedMonthEnd: round2(made.monthEnd),
    basis: {
      ...projection.basis,
      method: 'forecast',
      runRateProjection: projection.projectedMonthEnd,
      forecast: { ...made.basis, historyDays: days },
    },
  };
}

/** What the forecaster gives the projection: the month's total (month to date included) and how it was made. */
export interface ForecastOfMonth {
  monthEnd: number;
  basis: Omit<ForecastBasis, 'historyDays'>;
}
