// The cost forecaster on pure daily series: each model's arithmetic, Nelder–Mead, monthly
// charges counted once, the backtest choosing the model the data calls for, honest intervals,
// and the bad inputs (too short, gaps, flat, NaN/Inf, not daily) as notes, never a crash.

import { describe, expect, it } from 'vitest';
import type { Series } from '../../src/model/series.js';
import { backtest, stepsAfter } from '../../src/predict/forecast/backtest.js';
import { forecastSeries, MIN_HISTORY_DAYS } from '../../src/predict/forecast/index.js';
import { fitHoltWinters, holtWinters, nelderMead, runRate, seasonalNaive } from '../../src/predict/forecast/models.js';
import { chargesAhead, findMonthlyCharges, withoutCharges } from '../../src/predict/forecast/monthly.js';

const DAY = 86_400_000;
const dayOf = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / DAY;

/** A deterministic uniform in [-1, 1) (a linear congruential generator), so tests never flake. */
function noise(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return (state / 2 ** 32) * 2 - 1;
  };
}

function daily(first: string, n: number, value: (i: number, day: number) => number): Series {
  const start = dayOf(first);
  return {
    id: 's',
    name: 'spend',
    unit: 'USD',
    labels: {},
    points: Array.from({ length: n }, (_, i) => ({ t: (start + i) * DAY, v: value(i, start + i) })),
  };
}

const weekday = (day: number) => new Date(day * DAY).getUTCDay();
const weekly = (day: number) => ([0, 6].includes(weekday(day)) ? 0.7 : 1);

describe('models', () => {
  it('seasonal-naive repeats the last week, run-rate carries the last four weeks’ line on', () => {
    const week = [1, 2, 3, 4, 5, 6, 7];
    expect(seasonalNaive([9, 9, ...week])(10)).toEqual([...week, 1, 2, 3]);
    const line = Array.from({ length: 40 }, (_, i) => 10 + 2 * i);
    const next = runRate(line)(3);
    for (const [i, v] of next.entries()) expect(v).toBeCloseTo(10 + 2 * (40 + i), 8);
  });

  it('Nelder–Mead finds the minimum of a shifted quadratic', () => {
    const x = nelderMead((p) => (p[0] - 3) ** 2 + 2 * (p[1] + 1) ** 2 + 5, [0, 0], { iterations: 400 });
    expect(x[0]).toBeCloseTo(3, 3);
    expect(x[1]).toBeCloseTo(-1, 3);
  });

  it('Holt-Winters follows a trend with a weekly season within a percent', () => {
    const start = dayOf('2026-01-05');
    const truth = (i: number) => (100 + 0.5 * i) * weekly(start + i);
    const values = Array.from({ length: 140 }, (_, i) => truth(i));
    const forecast = holtWinters(values, fitHoltWinters(values))(14);
    for (const [k, v] of forecast.entries()) expect(Math.abs(v - truth(140 + k)) / truth(140 + k)).toBeLessThan(0.02);
  });
});

describe('monthly charges', () => {
  it('finds a charge on the 1st of the last months, takes it out of the history and adds it once ahead', () => {
    const first = dayOf('2026-07-01');
    const values = Array.from({ length: 148 }, (_, i) => 100 + (new Date((first + i) * DAY).getUTCDate() === 1 ? 900 : 0));
    const charges = findMonthlyCharges(values, first);
    expect(charges).toEqual([{ dayOfMonth: 1, amount: 900, seenIn: 3, of: 3 }]);
    expect(Math.max(...withoutCharges(values, first, charges))).toBe(100);
    const last = first + values.length - 1; // 2026-11-25
    const ahead = chargesAhead(last, 10, charges);
    expect(ahead.filter((v) => v > 0)).toEqual([900]);
    expect(ahead.indexOf(900)).toBe(dayOf('2026-12-01') - last - 1);
  });
});

describe('backtest and forecastSeries', () => {
  it('chooses Holt-Winters on a growing weekly series and beats seasonal-naive on month-end error', () => {
    const rand = noise(7);
    const s = daily('2026-05-01', 180, (i, day) => (200 + 1.5 * i) * weekly(day) * (1 + 0.02 * rand()));
    const result = forecastSeries(s, { horizon: { kind: 'month-end' } });
    expect(result.status).toBe('ok');
    const scores = Object.fromEntries((result.backtest?.scores ?? []).map((x) => [x.model, x.error]));
    expect(result.model).not.toBe('seasonal-naive');
    expect(scores[result.model ?? '']).toBeLessThan(scores['seasonal-naive'] * 0.7);
  });

  it('chooses the run-rate on a straight line without a season', () => {
    const s = daily('2026-05-01', 120, (i) => 50 + 0.8 * i);
    const result = forecastSeries(s, { horizon: { kind: 'days', days: 14 } });
    expect(result.model).toBe('run-rate');
    expect(result.points).toHaveLength(14);
    expect(result.points[13].mean).toBeCloseTo(50 + 0.8 * 133, 0);
  });

  it('gives a month-end total that includes the month to date, with 80% inside 95%', () => {
    const rand = noise(3);
    const s = daily('2026-06-01', 178, (_, day) => 300 * weekly(day) * (1 + 0.05 * rand()));
    const result = forecastSeries(s, { horizon: { kind: 'month-end' } });
    expect(result.history.last).toBe('2026-11-25');
    expect(result.total).toMatchObject({ from: '2026-11-01', to: '2026-11-30' });
    expect(result.points).toHaveLength(5);
    const toDate = s.points.slice(-25).reduce((sum, p) => sum + p.v, 0);
    expect(result.total?.toDate).toBeCloseTo(toDate, 1);
    const i = result.total?.interval;
    expect(i).toBeDefined();
    if (!i || !result.total) return;
    expect(i.lower95).toBeLessThanOrEqual(i.lower80);
    expect(i.lower80).toBeLessThanOrEqual(result.total.mean);
    expect(result.total.mean).toBeLessThanOrEqual(i.upper80);
    expect(i.upper80).toBeLessThanOrEqual(i.upper95);
  });

  it('makes 80% intervals that hold about 80% of what happened next on noisy data', () => {
    const rand = noise(11);
    const values = Array.from({ length: 400 }, (_, i) => 500 * weekly(dayOf('2026-01-01') + i) * (1 + 0.08 * rand()));
    let inside = 0;
    let tries = 0;
    for (let o = 150; o + 14 <= values.length; o += 9) {
      // The last 120 days before the origin, as a shorter --history would read.
      const s = daily('2026-01-01', o, (i) => values[i]);
      s.points = s.points.slice(-120);
      const result = forecastSeries(s, { horizon: { kind: 'days', days: 14 } });
      const actual = values.slice(o, o + 14).reduce((sum, v) => sum + v, 0);
      const i = result.total?.interval;
      if (!i) continue;
      tries += 1;
      if (actual >= i.lower80 && actual <= i.upper80) inside += 1;
    }
    expect(tries).toBeGreaterThan(20);
    expect(inside / tries).toBeGreaterThan(0.65);
    expect(inside / tries).toBeLessThan(0.95);
  });

  it('says a series is too short, instead of forecasting it', () => {
    const result = forecastSeries(
      daily('2026-10-01', 30, () => 10),
      { horizon: { kind: 'month-end' } },
    );
    expect(result.status).toBe('skipped');
    expect(result.points).toEqual([]);
    expect(result.notes[0]).toMatch(new RegExp(`30 days of history; a forecast needs at least ${MIN_HISTORY_DAYS} \\(8 weeks\\)`));
  });

  it('forecasts from the days after the last gap (NaN or Inf) and says so', () => {
    const s = daily('2026-05-01', 150, (i, day) => (i === 20 ? Number.NaN : i === 40 ? Number.POSITIVE_INFINITY : 100 * weekly(day)));
    const result = forecastSeries(s, { horizon: { kind: 'month-end' } });
    expect(result.status).toBe('ok');
    expect(result.history.days).toBe(109);
    expect(result.notes[0]).toMatch(
      /2 days without a value \(gaps\); the last on 2026-06-10, so the forecast stands on the 109 days after it/,
    );
    const recent = forecastSeries(
      daily('2026-05-01', 150, (i) => (i === 120 ? Number.NaN : 100)),
      { horizon: { kind: 'month-end' } },
    );
    expect(recent.status).toBe('skipped');
    expect(recent.notes[0]).toMatch(/29 days of history after the last gap/);
  });

  it('carries a flat line on without an interval, and says why', () => {
    const result = forecastSeries(
      daily('2026-05-01', 100, () => 42),
      { horizon: { kind: 'days', days: 7 } },
    );
    expect(result.status).toBe('ok');
    expect(result.points.map((p) => p.mean)).toEqual(Array(7).fill(42));
    expect(result.points[0].lower80).toBeUndefined();
    expect(result.total?.interval).toBeUndefined();
    expect(result.notes[0]).toMatch(/a flat line \(every day 42\): carried on, with no interval/);
  });

  it('refuses points that are not one per UTC day', () => {
    const s = daily('2026-05-01', 80, () => 1);
    s.points[10] = { ...s.points[10], t: s.points[10].t + 3_600_000 };
    expect(forecastSeries(s, { horizon: { kind: 'month-end' } }).notes[0]).toMatch(/not a daily series/);
    expect(forecastSeries({ ...s, points: [] }, { horizon: { kind: 'month-end' } }).notes[0]).toBe('no history at all');
  });

  it('says when a long horizon leaves no origin to score it on', () => {
    const result = forecastSeries(
      daily('2026-05-01', 100, (i, day) => (100 + i) * weekly(day)),
      { horizon: { kind: 'days', days: 90 } },
    );
    expect(result.status).toBe('skipped');
    expect(result.notes[0]).toMatch(/a 90-day forecast needs more than 118 days/);
  });

  it('backtests only on the past: every origin reaches no further than the history', () => {
    const values = Array.from({ length: 60 }, (_, i) => 10 + i);
    const [naive] = backtest(values, dayOf('2026-01-01'), { kind: 'days', days: 5 }, 5, ['seasonal-naive']);
    expect(naive.origins).toBe(60 - 28 - 5 + 1);
    expect(naive.residuals.every((r) => r.length <= 5)).toBe(true);
    expect(stepsAfter(dayOf('2026-11-30'), { kind: 'month-end' })).toBe(31);
  });
});
