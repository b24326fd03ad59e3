import { describe, expect, it } from 'vitest';
import type { Series } from '../../src/model/series.js';
import { analyseSeries, detectAnomalies, MIN_POINTS, StreamingDetector } from '../../src/predict/anomaly/index.js';

const HOUR = 3_600_000;
const START = Date.parse('2026-11-02T00:00:00Z'); // a Monday

/** A deterministic daily wave with noise (a fixed linear congruential generator). */
function wave(length: number, spikeAt?: number, spike = 400): Series {
  let seed = 7;
  const noise = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed / 2_147_483_648 - 0.5;
  };
  const points = Array.from({ length }, (_, i) => ({
    t: START + i * HOUR,
    v: i === spikeAt ? spike : 100 + 30 * Math.sin((2 * Math.PI * (i % 24)) / 24) + 6 * noise(),
  }));
  return { id: 'test/wave', name: 'wave', labels: {}, points };
}

describe('the streaming detector', () => {
  it('scores each point from the past only: appending points changes no earlier score', () => {
    const long = wave(900, 700);
    const run = (n: number) => {
      const d = new StreamingDetector();
      return long.points.slice(0, n).map((p) => d.push(p.v));
    };
    const short = run(500);
    const full = run(900);
    expect(full.slice(0, 500)).toEqual(short);
    const cut = analyseSeries({ ...long, points: long.points.slice(0, 710) }).anomalies;
    const all = analyseSeries(long).anomalies.filter((a) => a.t <= long.points[709].t);
    expect(all).toEqual(cut);
  });

  it('finds a planted spike and says how far it is from what its hour of the day expected', () => {
    const series = wave(24 * 30, 24 * 25 + 10);
    const found = detectAnomalies(series);
    const spike = found.find((a) => a.t === series.points[24 * 25 + 10].t);
    expect(spike).toBeDefined();
    expect(spike?.value).toBe(400);
    expect(spike?.expected).toBeGreaterThan(100);
    expect(spike?.expected).toBeLessThan(140);
    expect(spike?.reason).toMatch(/^\+\d+(\.\d+)?% against the expected \d+(\.\d+)? ± [\d.]+ for 10:00$/);
    expect(found.length).toBeLessThanOrEqual(3);
  });

  it('names the weekday for a daily series with a weekly pattern', () => {
    let seed = 3;
    const noise = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed / 2_147_483_648 - 0.5;
    };
    const DAY = 24 * HOUR;
    const points = Array.from({ length: 200 }, (_, i) => {
      const weekday = new Date(START + i * DAY).getUTCDay();
      const base = weekday === 0 || weekday === 6 ? 40 : 110;
      return { t: START + i * DAY, v: i === 190 ? 380 : base + 8 * noise() };
    });
    const found = detectAnomalies({ id: 'cost', name: 'cost', labels: {}, points });
    const spike = found.find((a) => a.value === 380);
    const weekday = new Date(points[190].t).toLocaleDateString('en', { weekday: 'long', timeZone: 'UTC' });
    expect(spike?.reason).toMatch(new RegExp(`^\\+\\d+(\\.\\d+)?% against the expected 1\\d\\d ± [\\d.]+ for a ${weekday}$`));
  });

  it('flags nothing in a flat line and says it is flat', () => {
    const points = Array.from({ length: 300 }, (_, i) => ({ t: START + i * HOUR, v: 5 }));
    const result = analyseSeries({ id: 'flat', name: 'flat', labels: {}, points });
    expect(result.anomalies).toEqual([]);
    expect(result.notes).toContain('flat: every value is 5, so nothing stands out');
  });

  it('skips NaN and infinite values, says how many, and still finds the spike', () => {
    const series = wave(24 * 30, 24 * 25 + 10);
    series.points[100].v = Number.NaN;
    series.points[200].v = Number.POSITIVE_INFINITY;
    series.points[300].v = Number.NEGATIVE_INFINITY;
    const result = analyseSeries(series);
    expect(result.notes).toContain('3 points are not a number (NaN or infinite) and were skipped');
    expect(result.anomalies.some((a) => a.value === 400)).toBe(true);
    expect(result.anomalies.every((a) => Number.isFinite(a.score) && Number.isFinite(a.expected))).toBe(true);
  });

  it('reports gaps in time', () => {
    const series = wave(24 * 20);
    series.points.splice(200, 30);
    expect(analyseSeries(series).notes).toContain('1 gap in time: the points either side are compared as if adjacent');
  });

  it('judges nothing in a series too short, and says so instead of guessing', () => {
    const series = wave(MIN_POINTS - 1, 10);
    const result = analyseSeries(series);
    expect(result.anomalies).toEqual([]);
    expect(result.scored).toBe(0);
    expect(result.notes).toEqual([`too short to judge: ${MIN_POINTS - 1} usable points, at least ${MIN_POINTS} needed`]);
  });

  it('holds back repeats: a long excursion is flagged at its start, not at every point', () => {
    const series = wave(24 * 30);
    for (let i = 24 * 25; i < 24 * 25 + 20; i++) series.points[i].v = 400;
    const found = detectAnomalies(series);
    expect(found.length).toBeGreaterThan(0);
    expect(found[0].t).toBe(series.points[24 * 25].t);
    expect(found.filter((a) => a.value === 400).length).toBe(1);
  });
});
