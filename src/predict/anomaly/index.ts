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
export const DEFAULT_THRESHOLD = 0.53;

/** Fewer points than this and there is no past to judge a point against (the warm-up, then enough novelty levels). */
export const MIN_POINTS = DEFAULT_DETECTOR.warmup + DEFAULT_DETECTOR.minLevels + 1;

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

  const detector = new StreamingDetector(options.detector);
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
 * What the past said point `i` should be: the same weekday (daily series) or the same hour of the
 * week, or of the day (finer series), when that pattern spreads the values less than the recent
 * points do; otherwise the recent points.
 */
function expectation(points: TimePoint[], i: number, cadence: number): Expectation {
  const past = points.slice(0, i);
  const recent = past.slice(-48);
  const plain: Expectation = { ...robust(recent.map((p) => p.v)), context: `over the last ${recent.length} points` };
  const t = points[i].t;
  if (cadence > DAY || past.length === 0) return plain;
  const date = new Date(t);
  const day = WEEKDAYS[date.getUTCDay()];
  const hour = `${String(date.getUTCHours()).padStart(2, '0')}:00`;
  const weekly =
    cadence < DAY ? (ms: number) => new Date(ms).getUTCDay() * 24 + new Date(ms).getUTCHours() : (ms: number) => new Date(ms).getUTCDay();
  // Coarser patterns first: a finer one must do clearly better on at least four past points.
  const candidates: Array<{ bucket: (ms: number) => number; context: string; period: number }> = [];
  if (cadence < DAY) candidates.push({ bucket: (ms) => new Date(ms).getUTCHours(), context: `for ${hour}`, period: DAY });
  candidates.push({ bucket: weekly, context: cadence < DAY ? `for a ${day} ${hour}` : `for a ${day}`, period: 7 * DAY });
  let best = plain;
  for (const c of candidates) {
    if (t - past[0].t < 2 * c.period) continue;
    const mine = c.bucket(t);
    const perPeriod = Math.max(1, Math.round(Math.min(c.period / 24, 3_600_000) / cadence));
    const same = past.filter((p) => c.bucket(p.t) === mine).slice(-8 * perPeriod);
    if (same.length < 4) continue;
    const judged = robust(same.map((p) => p.v));
    if (judged.spread < 0.7 * best.spread) best = { ...judged, context: c.context };
  }
  return best;
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
