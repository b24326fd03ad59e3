// The capacity forecast's arithmetic: Theil–Sen and its interval, resets, and the per-series
// verdicts (crosses with an interval; already crossed, flat, falling, too short, NaN/Inf, no data).

import { describe, expect, it } from 'vitest';
import type { Series } from '../../src/model/series.js';
import { forecastCapacity, forecastOne } from '../../src/predict/capacity/index.js';
import { lastReset, normalQuantile, theilSen, thin } from '../../src/predict/capacity/trend.js';

const DAY = 86_400_000;
const T0 = Date.parse('2026-11-01T00:00:00Z');

/** Deterministic noise in [-1, 1]. */
function noise(i: number): number {
  const x = Math.sin(i * 12.9898) * 43758.5453;
  return (x - Math.floor(x)) * 2 - 1;
}

function series(values: (i: number, t: number) => number, options: { days?: number; stepMs?: number; id?: string } = {}): Series {
  const stepMs = options.stepMs ?? 3_600_000;
  const n = Math.round(((options.days ?? 20) * DAY) / stepMs);
  const points = Array.from({ length: n + 1 }, (_, i) => ({ t: T0 + i * stepMs, v: values(i, T0 + i * stepMs) }));
  return { id: options.id ?? 's', name: options.id ?? 's', labels: {}, points };
}

/** A disk at 40% rising 2 pp a day: 90% is reached 25 days after T0. */
const RISING = (i: number, t: number) => 40 + (2 * (t - T0)) / DAY + 0.5 * noise(i);
const CROSS_90 = T0 + 25 * DAY;

describe('Theil–Sen', () => {
  it('recovers an exact line', () => {
    const line = theilSen(Array.from({ length: 20 }, (_, x) => ({ x, y: 3 + 0.5 * x })));
    expect(line.slope).toBeCloseTo(0.5, 12);
    expect(line.intercept).toBeCloseTo(3, 12);
    expect(line.slopeLow).toBeCloseTo(0.5, 12);
  });

  it('is not moved by a quarter of the points being wild outliers, where least squares would be', () => {
    const points = Array.from({ length: 40 }, (_, x) => ({ x, y: x % 4 === 0 ? 1000 : 10 + x }));
    const line = theilSen(points);
    expect(line.slope).toBeGreaterThan(0.9);
    expect(line.slope).toBeLessThan(1.2);
  });

  it('gives an interval that contains the true slope of a noisy line and narrows with more points', () => {
    const make = (n: number) => Array.from({ length: n }, (_, x) => ({ x, y: 2 * x + 5 * noise(x) }));
    const small = theilSen(make(30));
    const large = theilSen(make(300));
    for (const line of [small, large]) {
      expect(line.slopeLow).toBeLessThan(2);
      expect(line.slopeHigh).toBeGreaterThan(2);
    }
    expect(large.slopeHigh - large.slopeLow).toBeLessThan(small.slopeHigh - small.slopeLow);
  });

  it('uses the normal quantile of the confidence asked for', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 5);
    expect(normalQuantile(0.9)).toBeCloseTo(1.281552, 5);
    expect(normalQuantile(0.001)).toBeCloseTo(-3.090232, 5);
  });

  it('thins long series to bucket medians, keeping short ones as they are', () => {
    const points = Array.from({ length: 1000 }, (_, x) => ({ x, y: x }));
    expect(thin(points, 100)).toHaveLength(100);
    expect(thin(points.slice(0, 50), 100)).toHaveLength(50);
  });
});

describe('resets', () => {
  it('finds a clean-up: a sustained drop, at its steepest step', () => {
    const values = Array.from({ length: 60 }, (_, i) => (i < 40 ? 50 + i : 20 + (i - 40)) + 0.3 * noise(i));
    expect(lastReset(values)).toBe(40);
  });

  it('takes the last of several resets', () => {
    const values = Array.from({ length: 90 }, (_, i) => 30 + (i % 30) * 2);
    expect(lastReset(values)).toBe(60);
  });

  it('ignores a lone outlier dip or spike and a steady climb', () => {
    const climb = Array.from({ length: 60 }, (_, i) => 30 + i * 0.5 + 0.3 * noise(i));
    expect(lastReset(climb)).toBe(0);
    expect(lastReset(climb.map((v, i) => (i === 30 ? 0 : i === 45 ? 100 : v)))).toBe(0);
  });
});

describe('predict capacity forecasts', () => {
  it('puts the true crossing of a rising disk inside its interval, within the horizon', () => {
    const forecast = forecastOne(series(RISING, { days: 14 }), { horizonMs: 30 * DAY });
    expect(forecast.status).toBe('exhausts');
    expect(forecast.earliest!).toBeLessThanOrEqual(CROSS_90);
    expect(forecast.latest!).toBeGreaterThanOrEqual(CROSS_90);
    expect(Math.abs(forecast.crossesAt! - CROSS_90)).toBeLessThan(DAY);
    expect(forecast.earliest!).toBeLessThanOrEqual(forecast.crossesAt!);
    expect(forecast.crossesAt!).toBeLessThanOrEqual(forecast.latest!);
    expect(forecast.note).toMatch(
      /^reaches 90% about 2026-11-2[56] \d\d:\d\d \(2026-11-2[56] \d\d:\d\d – 2026-11-2[56] \d\d:\d\d; \+2\.0\d pp\/day/,
    );
  });

  it('restarts the trend after a clean-up frees the disk, instead of averaging across it', () => {
    // 70% rising 2 pp/day, cleaned down by 35 pp on day 8, then rising at the same rate.
    const withReset = series((i, t) => 40 + (2 * (t - T0)) / DAY + (t < T0 + 8 * DAY ? 35 : 0) + 0.5 * noise(i), { days: 14 });
    const forecast = forecastOne(withReset, { horizonMs: 30 * DAY });
    expect(forecast.resetAt).toBeGreaterThanOrEqual(T0 + 8 * DAY - 3_600_000);
    expect(forecast.resetAt).toBeLessThanOrEqual(T0 + 8 * DAY + 3_600_000);
    expect(forecast.status).toBe('exhausts');
    expect(forecast.earliest!).toBeLessThanOrEqual(CROSS_90);
    expect(forecast.latest!).toBeGreaterThanOrEqual(CROSS_90);
    expect(forecast.note).toMatch(/since the reset on 2026-11-09/);
  });

  it('is not thrown off by outliers and NaN/Inf points, and says how many it left out', () => {
    const odd = series((i, t) => (i % 17 === 0 ? 99 : i % 23 === 0 ? Number.NaN : i % 29 === 0 ? Number.POSITIVE_INFINITY : RISING(i, t)), {
      days: 14,
    });
    const forecast = forecastOne(odd);
    expect(forecast.status).toBe('exhausts');
    expect(forecast.earliest!).toBeLessThanOrEqual(CROSS_90);
    expect(forecast.latest!).toBeGreaterThanOrEqual(CROSS_90);
    expect(forecast.dropped).toBeGreaterThan(0);
    expect(forecast.note).toMatch(/NaN\/Inf points left out/);
  });

  it('says a disk already over the threshold is crossed, with no date', () => {
    const forecast = forecastOne(series((i) => 93 + 0.2 * noise(i)));
    expect(forecast).toMatchObject({ status: 'crossed' });
    expect(forecast.crossesAt).toBeUndefined();
    expect(forecast.note).toMatch(/already at 93(\.\d)?%, at or over the 90% threshold/);
  });

  it('gives no date for a flat or a falling series, and none within the horizon for a trendless noisy one', () => {
    const flat = forecastOne(series(() => 55));
    const falling = forecastOne(series((_i, t) => 80 - (t - T0) / DAY));
    const noisy = forecastOne(
      series((i) => 50 + 3 * noise(i)),
      { horizonMs: 90 * DAY },
    );
    expect(flat).toMatchObject({ status: 'flat' });
    expect(falling).toMatchObject({ status: 'falling' });
    for (const f of [flat, falling]) expect(f.crossesAt).toBeUndefined();
    expect(noisy.status).not.toBe('exhausts');
    expect(noisy.crossesAt ?? Number.POSITIVE_INFINITY).toBeGreaterThan(T0 + 110 * DAY);
  });

  it('puts a crossing past the horizon apart from one within it', () => {
    const slow = forecastOne(
      series((i, t) => 40 + (0.5 * (t - T0)) / DAY + 0.1 * noise(i), { days: 14 }),
      { horizonMs: 30 * DAY },
    );
    expect(slow.status).toBe('beyond-horizon');
    expect(slow.crossesAt).toBeGreaterThan(T0 + 44 * DAY);
  });

  it('refuses to fit a series too short, or too short since its reset', () => {
    expect(forecastOne(series(RISING, { days: 0.2 }))).toMatchObject({ status: 'too-short' });
    const justReset = series((i, t) => (t < T0 + 13.9 * DAY ? 80 + 0.1 * noise(i) : 20), { days: 14, stepMs: 600_000 });
    const forecast = forecastOne(justReset);
    expect(forecast.status).toBe('too-short');
    expect(forecast.note).toMatch(/since the reset/);
  });

  it('says when a series has no finite value at all', () => {
    expect(forecastOne({ id: 'x', name: 'x', labels: {}, points: [] })).toMatchObject({ status: 'no-data', fitted: 0 });
    expect(forecastOne(series(() => Number.NaN, { days: 1 })).note).toMatch(/no finite value/);
  });

  it('sorts crossed first, then by time to exhaustion, then the rest', () => {
    const out = forecastCapacity([
      series(() => 55, { id: 'flat' }),
      series((i, t) => 40 + (4 * (t - T0)) / DAY + 0.2 * noise(i), { id: 'fast', days: 10 }),
      series(RISING, { id: 'slow', days: 10 }),
      series(() => 95, { id: 'full' }),
    ]);
    expect(out.map((f) => f.seriesId)).toEqual(['full', 'fast', 'slow', 'flat']);
  });
});
