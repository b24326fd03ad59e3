// Rolling-origin backtest: for every day of the history after the first four weeks, each model is
// fitted to the days up to it and forecasts the days after; its error on the total to the horizon
// (to the month's end, or over a fixed number of days) picks the model, and its errors day by day
// and on the total are the quantiles the intervals are made from. Only the past is ever fitted.

import { fitHoltWinters, type HoltWintersParams, holtWinters, MODEL_NAMES, type ModelName, runRate, seasonalNaive } from './models.js';
import { chargesAhead, findMonthlyCharges, type MonthlyCharge, withoutCharges } from './monthly.js';

const DAY_MS = 86_400_000;

/** Days every model is fitted to at the first backtest origin. */
export const MIN_TRAIN_DAYS = 28;
/** Holt-Winters' parameters are refitted every this many origins (smoothing is rerun at each one). */
const REFIT_EVERY = 7;

export type Horizon = { kind: 'month-end' } | { kind: 'days'; days: number };

/** The calendar's facts for a day number. */
export function monthOf(day: number): { start: number; end: number } {
  const d = new Date(day * DAY_MS);
  const start = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1) / DAY_MS;
  const end = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0) / DAY_MS;
  return { start, end };
}

/** Days forecast after `lastDay`: to the end of the month of the next day, or a fixed count. */
export function stepsAfter(lastDay: number, horizon: Horizon): number {
  return horizon.kind === 'days' ? horizon.days : monthOf(lastDay + 1).end - lastDay;
}

/** The first day the horizon's total counts (the month's first day in month-end mode). */
export function totalFrom(lastDay: number, horizon: Horizon): number {
  return horizon.kind === 'days' ? lastDay + 1 : monthOf(lastDay + 1).start;
}

export interface Prediction {
  mean: number[];
  charges: MonthlyCharge[];
}

/** One model's forecast of the `h` days after a daily history (values[i] is day firstDay + i). */
export function predict(model: ModelName, values: number[], firstDay: number, h: number, params?: HoltWintersParams): Prediction {
  const charges = findMonthlyCharges(values, firstDay);
  const cleaned = withoutCharges(values, firstDay, charges);
  const forecaster =
    model === 'seasonal-naive' ? seasonalNaive(cleaned) : model === 'run-rate' ? runRate(cleaned) : holtWinters(cleaned, params);
  const lastDay = firstDay + values.length - 1;
  const extra = chargesAhead(lastDay, h, charges);
  const nonNegative = values.every((v) => v >= 0);
  const mean = forecaster(h).map((v, i) => (nonNegative ? Math.max(0, v + extra[i]) : v + extra[i]));
  return { mean, charges };
}

export interface ModelBacktest {
  model: ModelName;
  /** Mean absolute error of the total, as a fraction of the actual total; NaN with no origin. */
  error: number;
  origins: number;
  /** Per origin: (actual − forecast) / level, for steps 1… as far as the history reaches (up to `steps`). */
  residuals: number[][];
  /** Per origin reaching `steps` days ahead: the same for the horizon's total. */
  totalResiduals: number[];
}

/** The series' level at an origin: the mean of its last four weeks (what errors are scaled by). */
export function levelOf(values: number[]): number {
  const window = values.slice(-MIN_TRAIN_DAYS);
  return window.reduce((sum, v) => sum + Math.abs(v), 0) / window.length;
}

/**
 * Backtests the models over a history. `steps` is how far the forecast being made reaches; the
 * residuals are kept that far, and the total's residuals at exactly `steps` days.
 */
export function backtest(
  values: number[],
  firstDay: number,
  horizon: Horizon,
  steps: number,
  models: readonly ModelName[] = MODEL_NAMES,
): ModelBacktest[] {
  const n = values.length;
  return models.map((model) => {
    let params: HoltWintersParams | undefined;
    const errors: number[] = [];
    const residuals: number[][] = [];
    const totalResiduals: number[] = [];
    for (let o = MIN_TRAIN_DAYS; o < n; o++) {
      const train = values.slice(0, o);
      const lastDay = firstDay + o - 1;
      if (model === 'holt-winters' && (params === undefined || (o - MIN_TRAIN_DAYS) % REFIT_EVERY === 0)) params = fitHoltWinters(train);
      const h = stepsAfter(lastDay, horizon);
      const reach = Math.min(Math.max(h, steps), n - o);
      const { mean } = predict(model, train, firstDay, reach, params);
      const level = levelOf(train);
      if (level > 0) {
        residuals.push(mean.slice(0, Math.min(steps, reach)).map((f, k) => (values[o + k] - f) / level));
        if (o + steps <= n) {
          let sum = 0;
          for (let k = 0; k < steps; k++) sum += values[o + k] - mean[k];
          totalResiduals.push(sum / level);
        }
      }
      if (o + h <= n) {
        // The actual total over the horizon, with the month to date in month-end mode.
        const from = totalFrom(lastDay, horizon) - firstDay;
        let actual = 0;
        let error = 0;
        for (let i = Math.max(0, from); i < o + h; i++) actual += values[i];
        for (let k = 0; k < h; k++) error += mean[k] - values[o + k];
        if (actual > 0) errors.push(Math.abs(error) / actual);
      }
    }
    const error = errors.length > 0 ? errors.reduce((sum, e) => sum + e, 0) / errors.length : Number.NaN;
    return { model, error, origins: errors.length, residuals, totalResiduals };
  });
}

/** The p-quantile of the values, linearly interpolated (type 7, as R's default and numpy's). */
export function quantile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (sorted.length - 1) * p;
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (at - lo);
}

/** Residuals needed before a quantile is trusted for one step; fewer are pooled with the neighbouring steps. */
export const MIN_STEP_SAMPLES = 20;
/** Below this many errors in all, no interval is given. */
export const MIN_INTERVAL_SAMPLES = 10;

/** For step k (0-based), the residuals at k, pooled with the nearest steps until there are enough. */
export function stepSamples(residuals: number[][], k: number): number[] {
  const at = (j: number) => residuals.filter((r) => r.length > j).map((r) => r[j]);
  let samples = at(k);
  for (let w = 1; samples.length < MIN_STEP_SAMPLES && w <= k + 1; w++) {
    samples = [...samples, ...at(k + w), ...(k - w >= 0 ? at(k - w) : [])];
  }
  return samples;
}
