// Anomalies in a series: runs the streaming detector over it (each point scored from the points
// before it only) and turns the flagged points into `Anomaly`s with what was expected and why the
// point is not that. Also says what it could not judge: too short, flat, NaN/Inf, gaps.

import type { Anomaly } from '../../model/anomaly.js';
import type { Series, TimePoint } from '../../model/series.js';
import { DEFAULT_DETECTOR, type DetectorOptions, StreamingDetector } from './detector.js';

export { DEFAULT_DETECTOR, type DetectorOptions, type PointScore, StreamingDetector } from './detector.js';

/**
 * The score at which a point is flagged: NAB's corpus-wide optimum for this detector under the
 * standard profile (bench/nab.js prints it), so a flag means what it meant on the benchmark.
 */
export const DEFAULT_THRESHOLD = 0.66;

/** Fewer points than this and there is no past to judge a point against. */
export const MIN_POINTS = 30;

export interface AnomalyOptions {
  threshold?: number;
  detector?: DetectorOptions;
}

export interface SeriesAnomalies {
  series: Series;
  anomalies: Anomaly[];
  /** What limited the judgement, one sentence each (too short, flat, skipped points, gaps). */
  notes: string[];
  /** Points scored (finite values after the warm-up). */
  scored: number;
}

const DAY = 86_400_000;
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** The flagged points of one series, scored from the past only. */
export function detectAnomalies(series: Series, options: AnomalyOptions = {}): Anomaly[] {
  return analyseSeries(series, options).anomalies;
}

export function analyseSeries(series: Series, options: AnomalyOptions = {}): SeriesAnomalies {
  const threshold = options.threshold ?? DEFAULT_THRESHOLD;
  const notes: string[] = [];
  const finite = series.points.filter((p) => Number.isFinite(p.v));
  const skipped = series.points.length - finite.length;
  if (skipped > 0) notes.push(`${skipped} point${skipped === 1 ? ' is' : 's are'} not a number (NaN or infinite) and were skipped`);
  if (finite.length < MIN_POINTS) {
    notes.push(`too short to judge: ${finite.length} usable point${finite.length === 1 ? '' : 's'}, at least ${MIN_POINTS} needed`);
    return { series, anomalies: [], notes, scored: 0 };
  }
  if (finite.every((p) => p.v === finite[0].v)) {
    notes.push(`flat: every value is ${finite[0].v}, so nothing stands out`);
  }
  const cadence = typicalStep(finite);
  const gaps = finite.filter((p, i) => i > 0 && p.t - finite[i - 1].t > 2 * cadence).length;
  if (gaps > 0) notes.push(`${gaps} gap${gaps === 1 ? '' : 's'} in time: the points either side are compared as if adjacent`);

  // A short series gets a shorter warm-up: the detector needs some past, not the benchmark's 150 points.
  const detector = new StreamingDetector({
    warmup: Math.min(DEFAULT_DETECTOR.warmup, Math.max(20, Math.floor(finite.length * 0.15))),
    minLevels: Math.min(DEFAULT_DETECTOR.minLevels, Math.max(5, Math.floor(finite.length * 0.1))),
    ...options.detector,
  });
  const anomalies: Anomaly[] = [];
  let scored = 0;
  finite.forEach((point, i) => {
    const { score, ready } = detector.push(point.v);
    if (ready) scored++;
    if (score < threshold) return;
    const context = expectation(finite, i, cadence);
    anomalies.push({
      seriesId: series.id,
      seriesName: series.name,
      t: point.t,
      value: point.v,
      expected: context.expected,
      spread: context.spread,
      score,
      reason: reasonLine(point.v, context),
    });
  });
  return { series, anomalies, notes, scored };
}

/** The median step between points: the series' cadence. */
function typicalStep(points: TimePoint[]): number {
  const steps = points
    .slice(1)
    .map((p, i) => p.t - points[i].t)
    .sort((a, b) => a - b);
  return steps.length === 0 ? DAY : steps[Math.floor(steps.length / 2)];
}

interface Expectation {
  expected: number;
  spread: number;
  /** "for a Tuesday", "for a Tuesday 14:00", or "over the last 48 points". */
  context: string;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Median and scaled MAD: a centre and spread that one earlier outlier does not move. */
function robust(values: number[]): { expected: number; spread: number } {
  const expected = median(values);
  const spread = 1.4826 * median(values.map((v) => Math.abs(v - expected)));
  return { expected, spread };
}

/**
 * What the past said point `i` should be. A daily or finer series with two weeks behind it and a
 * weekly pattern (the same weekday, or weekday and hour, spread less than the whole) is judged
 * against its own weekday; otherwise against the recent points.
 */
function expectation(points: TimePoint[], i: number, cadence: number): Expectation {
  const past = points.slice(0, i);
  const recent = past.slice(-48);
  const plain = { ...robust(recent.map((p) => p.v)), context: `over the last ${recent.length} points` };
  const t = points[i].t;
  if (cadence > DAY || past.length === 0 || t - past[0].t < 14 * DAY) return plain;
  const hourly = cadence < DAY;
  const bucket = (ms: number) => {
    const d = new Date(ms);
    return hourly ? d.getUTCDay() * 24 + d.getUTCHours() : d.getUTCDay();
  };
  const mine = bucket(t);
  const same = past.filter((p) => bucket(p.t) === mine).slice(-8 * (hourly ? Math.max(1, Math.round(3_600_000 / cadence)) : 1));
  if (same.length < 2) return plain;
  const weekly = robust(same.map((p) => p.v));
  const overall = robust(past.slice(-same.length * (hourly ? 168 : 7)).map((p) => p.v));
  if (!(weekly.spread < 0.8 * overall.spread)) return plain;
  const day = WEEKDAYS[new Date(t).getUTCDay()];
  const hour = `${String(new Date(t).getUTCHours()).padStart(2, '0')}:00`;
  return { ...weekly, context: hourly ? `for a ${day} ${hour}` : `for a ${day}` };
}

/** A number as a person reads it in a sentence: 3 significant figures, no exponent below 1e15. */
function figure(x: number): string {
  if (x === 0) return '0';
  const abs = Math.abs(x);
  if (abs >= 1000) return Math.round(x).toLocaleString('en');
  return Number(x.toPrecision(3)).toString();
}

/** "+240% against the expected 112 ± 18 for a Tuesday" (the change is absolute when 0 was expected). */
export function reasonLine(value: number, e: Expectation): string {
  const against = `against the expected ${figure(e.expected)} ± ${figure(e.spread)} ${e.context}`;
  if (e.expected === 0) return `${figure(value)} ${against}`;
  const change = ((value - e.expected) / Math.abs(e.expected)) * 100;
  const sign = change >= 0 ? '+' : '−';
  return `${sign}${figure(Math.abs(change))}% ${against}`;
}
