// Forecasts a daily series to a horizon: checks it (daily, long enough, gaps, flat, non-finite
// values), backtests the models on its own history (backtest.ts), forecasts with the winner and
// puts the backtest's error quantiles around it as the 80% and 95% intervals.

import type { ForecastInterval, ForecastPoint, ModelScore, SeriesForecast } from '../../model/forecast.js';
import type { Series } from '../../model/series.js';
import {
  backtest,
  type Horizon,
  levelOf,
  MIN_INTERVAL_SAMPLES,
  MIN_TRAIN_DAYS,
  predict,
  quantile,
  stepSamples,
  stepsAfter,
  totalFrom,
} from './backtest.js';
import { MODEL_NAMES, type ModelName } from './models.js';

export type { Horizon } from './backtest.js';

const DAY_MS = 86_400_000;
/** Eight weeks: four to fit at the first backtest origin, four of origins to score the models on. */
export const MIN_HISTORY_DAYS = 56;

const iso = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);
const round2 = (v: number) => Math.round(v * 100) / 100;

export interface ForecastOptions {
  horizon: Horizon;
  /** Models to choose between (default all three). */
  models?: readonly ModelName[];
}

function interval(samples: number[], centre: number, level: number, clamp: boolean): ForecastInterval | undefined {
  if (samples.length < MIN_INTERVAL_SAMPLES) return undefined;
  const at = (p: number) => {
    const v = centre + quantile(samples, p) * level;
    return round2(clamp ? Math.max(0, v) : v);
  };
  return { lower80: at(0.1), upper80: at(0.9), lower95: at(0.025), upper95: at(0.975), samples: samples.length };
}

function skipped(series: Series, note: string, history: { first: string; last: string; days: number }): SeriesForecast {
  return {
    seriesId: series.id,
    seriesName: series.name,
    ...(series.unit ? { unit: series.unit } : {}),
    labels: series.labels,
    status: 'skipped',
    notes: [note],
    history,
    points: [],
  };
}

export function forecastSeries(series: Series, options: ForecastOptions): SeriesForecast {
  const points = series.points;
  const notes: string[] = [];
  const empty = { first: '', last: '', days: 0 };
  if (points.length === 0) return skipped(series, 'no history at all', empty);
  const firstAll = Math.floor(points[0].t / DAY_MS);
  const whole = { first: iso(firstAll), last: iso(Math.floor(points[points.length - 1].t / DAY_MS)), days: points.length };
  for (let i = 0; i < points.length; i++) {
    if (points[i].t % DAY_MS !== 0 || (i > 0 && points[i].t - points[i - 1].t !== DAY_MS))
      return skipped(series, 'not a daily series (one point per UTC day, no day missing from the points)', whole);
  }
  // A gap (NaN, Inf) splits the history: only the days after the last gap are forecast from.
  let start = 0;
  let gaps = 0;
  for (let i = 0; i < points.length; i++) {
    if (!Number.isFinite(points[i].v)) {
      gaps += 1;
      start = i + 1;
    }
  }
  const values = points.slice(start).map((p) => p.v);
  const firstDay = firstAll + start;
  const lastDay = firstDay + values.length - 1;
  const history = { first: iso(firstDay), last: iso(lastDay), days: values.length };
  if (gaps > 0)
    notes.push(
      start < points.length
        ? `${gaps} day${gaps === 1 ? '' : 's'} without a value (gaps); the last on ${iso(firstAll + start - 1)}, so the forecast stands on the ${values.length} days after it`
        : `${gaps} days without a value, the last of them the latest day`,
    );
  if (values.length < MIN_HISTORY_DAYS)
    return skipped(
      series,
      [
        ...notes,
        `${values.length} day${values.length === 1 ? '' : 's'} of history${gaps > 0 ? ' after the last gap' : ''}; a forecast needs at least ${MIN_HISTORY_DAYS} (8 weeks) to be backtested`,
      ].join('; '),
      history,
    );
  const h = stepsAfter(lastDay, options.horizon);
  const totalStart = totalFrom(lastDay, options.horizon);
  let toDate = 0;
  for (let day = totalStart; day <= lastDay; day++) toDate += values[day - firstDay] ?? 0;
  if (options.horizon.kind === 'month-end' && totalStart < firstDay)
    notes.push(`the history starts inside the month (${history.first}): the month to date counts from then`);
  const clamp = values.every((v) => v >= 0);

  const flat = values.every((v) => v === values[0]);
  if (flat) {
    // Nothing to choose a model by or make an interval from: the line is carried on, said as such.
    notes.push(`a flat line (every day ${round2(values[0])}): carried on, with no interval (no variation to make one from)`);
    const forecastPoints = Array.from({ length: h }, (_, i) => ({ t: (lastDay + 1 + i) * DAY_MS, mean: values[0] }));
    return {
      seriesId: series.id,
      seriesName: series.name,
      ...(series.unit ? { unit: series.unit } : {}),
      labels: series.labels,
      status: 'ok',
      notes,
      history,
      points: forecastPoints,
      total: { from: iso(totalStart), to: iso(lastDay + h), toDate: round2(toDate), mean: round2(toDate + values[0] * h) },
    };
  }

  const minimum = MIN_TRAIN_DAYS;
  const models = (options.models ?? MODEL_NAMES).filter((m) => m !== 'run-rate' || values.length >= minimum);
  const results = backtest(values, firstDay, options.horizon, h, models);
  const scored = results.filter((r) => r.origins > 0).sort((a, b) => a.error - b.error);
  if (scored.length === 0) {
    const need = options.horizon.kind === 'days' ? MIN_TRAIN_DAYS + options.horizon.days : MIN_HISTORY_DAYS;
    return skipped(
      series,
      [
        ...notes,
        `${values.length} days of history leave no backtest origin whose horizon is in the past; a ${options.horizon.kind === 'days' ? `${options.horizon.days}-day` : 'month-end'} forecast needs more than ${need} days`,
      ].join('; '),
      history,
    );
  }
  const winner = scored[0];
  const { mean, charges } = predict(winner.model, values, firstDay, h);
  const level = levelOf(values);
  let intervalsGiven = true;
  const forecastPoints: ForecastPoint[] = mean.map((m, k) => {
    const band = interval(stepSamples(winner.residuals, k), m, level, clamp);
    if (!band) intervalsGiven = false;
    const point: ForecastPoint = { t: (lastDay + 1 + k) * DAY_MS, mean: round2(m) };
    return band ? { ...point, lower80: band.lower80, upper80: band.upper80, lower95: band.lower95, upper95: band.upper95 } : point;
  });
  if (!intervalsGiven) notes.push(`too few backtest errors for a daily interval on some days (under ${MIN_INTERVAL_SAMPLES})`);
  const forecastTotal = mean.reduce((sum, v) => sum + v, 0);
  const totalInterval = interval(winner.totalResiduals, toDate + forecastTotal, level, clamp);
  if (!totalInterval)
    notes.push(
      `only ${winner.totalResiduals.length} backtest origin${winner.totalResiduals.length === 1 ? '' : 's'} reach ${h} days ahead: no interval for the total (needs ${MIN_INTERVAL_SAMPLES})`,
    );
  const scores: ModelScore[] = scored.map((r) => ({ model: r.model, error: Math.round(r.error * 10000) / 10000, origins: r.origins }));
  return {
    seriesId: series.id,
    seriesName: series.name,
    ...(series.unit ? { unit: series.unit } : {}),
    labels: series.labels,
    status: 'ok',
    notes,
    history,
    model: winner.model,
    backtest: { metric: options.horizon.kind === 'month-end' ? 'month-end-total' : 'horizon-total', scores },
    ...(charges.length > 0 ? { monthlyCharges: charges.map((c) => ({ dayOfMonth: c.dayOfMonth, amount: round2(c.amount) })) } : {}),
    points: forecastPoints,
    total: {
      from: iso(totalStart),
      to: iso(lastDay + h),
      toDate: round2(toDate),
      mean: round2(toDate + forecastTotal),
      ...(totalInterval ? { interval: totalInterval } : {}),
    },
  };
}
