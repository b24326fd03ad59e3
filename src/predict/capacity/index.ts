// `predict capacity`'s core, pure: for each fill-level series (percent used of a disk, memory or
// storage) when it crosses the threshold, with an interval, from a Theil–Sen line fitted to the
// points since the last reset. Every series gets a status and a one-line note; a date is given
// only when the fitted trend rises towards the threshold, never for a flat, falling, too short
// or already crossed series.

import type { ResourceRef } from '../../model/metric.js';
import type { Series } from '../../model/series.js';
import { lastReset, median, theilSen, thin, type XY } from './trend.js';

const DAY_MS = 86_400_000;

export const DEFAULT_THRESHOLD = 90;
export const DEFAULT_HORIZON_MS = 30 * DAY_MS;
/** Fewest finite points a fit needs after the last reset, and the shortest span they must cover. */
export const MIN_POINTS = 12;
export const MIN_SPAN_MS = 6 * 3_600_000;
/** Theil–Sen is quadratic in the points: longer series are thinned to this many medians. */
const MAX_FIT_POINTS = 400;

export type CapacityStatus =
  /** Crosses within the horizon: crossesAt with its interval. */
  | 'exhausts'
  /** Rising, but the estimate is past the horizon. */
  | 'beyond-horizon'
  /** The latest level is at or over the threshold already. */
  | 'crossed'
  /** Every point the same. */
  | 'flat'
  /** The slope's whole interval is below zero. */
  | 'falling'
  /** The slope is not told apart from zero (and any estimate is past the horizon). */
  | 'no-trend'
  | 'too-short'
  | 'no-data';

export interface CapacityOptions {
  /** Percent (0–100), like the series' values. */
  threshold?: number;
  horizonMs?: number;
  /** Epoch ms the horizon counts from (default: the last point's time). */
  now?: number;
  confidence?: number;
}

export interface CapacityForecast {
  seriesId: string;
  name: string;
  resource?: ResourceRef;
  status: CapacityStatus;
  /** One line saying what was found (or why nothing could be), for the table and for people. */
  note: string;
  threshold: number;
  /** The last finite value, percent. */
  level?: number;
  /** Epoch ms of the last finite point. */
  lastAt?: number;
  /** Percentage points per day, with the interval's ends. */
  slopePerDay?: number;
  slopeLowPerDay?: number;
  slopeHighPerDay?: number;
  /** Epoch ms: the estimate and the interval's ends (latest absent when the slope may be zero: unbounded). */
  crossesAt?: number;
  earliest?: number;
  latest?: number;
  /** The last reset (a sustained drop) the fit starts after. */
  resetAt?: number;
  /** Finite points fitted, and the points left out as NaN or ±Infinity. */
  fitted: number;
  dropped: number;
}

/** One forecast per series, sorted by when they cross (soonest first), then the rest by status. */
export function forecastCapacity(series: readonly Series[], options: CapacityOptions = {}): CapacityForecast[] {
  return series.map((s) => forecastOne(s, options)).sort(byUrgency);
}

const STATUS_ORDER: CapacityStatus[] = ['crossed', 'exhausts', 'beyond-horizon', 'no-trend', 'flat', 'falling', 'too-short', 'no-data'];

export function byUrgency(a: CapacityForecast, b: CapacityForecast): number {
  const rank = STATUS_ORDER.indexOf(a.status) - STATUS_ORDER.indexOf(b.status);
  if (rank !== 0) return rank;
  const at = (a.crossesAt ?? Number.POSITIVE_INFINITY) - (b.crossesAt ?? Number.POSITIVE_INFINITY);
  if (at !== 0 && Number.isFinite(at)) return at;
  return (b.level ?? -1) - (a.level ?? -1) || a.name.localeCompare(b.name);
}

const pct = (v: number) => `${Math.round(v * 10) / 10}%`;
const perDay = (v: number) => `${v >= 0 ? '+' : ''}${Math.abs(v) >= 0.1 ? v.toFixed(2) : v.toPrecision(2)} pp/day`;
const day = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace('T', ' ');

/**
 * The raw point a reset found between two thinned medians happened at: the index where the
 * median of the three points before it is furthest above the median of it and the two after
 * (plus its own step, which tells the neighbours of a clean step apart).
 */
function resetPoint(raw: readonly XY[], fromX: number, toX: number): number {
  const width = toX - fromX;
  let best = -1;
  let bestDrop = Number.NEGATIVE_INFINITY;
  for (let i = 3; i <= raw.length - 3; i++) {
    if (raw[i].x < fromX - width || raw[i].x > toX + width) continue;
    // Three neighbours each side tie around a clean step; its own drop breaks the tie.
    const drop =
      median([raw[i - 3].y, raw[i - 2].y, raw[i - 1].y]) - median([raw[i].y, raw[i + 1].y, raw[i + 2].y]) + (raw[i - 1].y - raw[i].y);
    if (drop > bestDrop) {
      bestDrop = drop;
      best = i;
    }
  }
  return best < 0 ? raw.findIndex((p) => p.x >= toX) : best;
}

export function forecastOne(series: Series, options: CapacityOptions = {}): CapacityForecast {
  const threshold = options.threshold ?? DEFAULT_THRESHOLD;
  const horizonMs = options.horizonMs ?? DEFAULT_HORIZON_MS;
  const base = { seriesId: series.id, name: series.name, ...(series.resource ? { resource: series.resource } : {}), threshold };
  const finite = series.points.filter((p) => Number.isFinite(p.v) && Number.isFinite(p.t));
  const dropped = series.points.length - finite.length;
  const droppedNote = dropped > 0 ? ` (${dropped} NaN/Inf point${dropped === 1 ? '' : 's'} left out)` : '';
  if (finite.length === 0) return { ...base, status: 'no-data', note: `no finite value to fit${droppedNote}`, fitted: 0, dropped };

  const last = finite.at(-1)!;
  const level = last.v;
  const now = options.now ?? last.t;
  const recent = median(finite.slice(-3).map((p) => p.v));
  const known = { ...base, level, lastAt: last.t, dropped };
  if (recent >= threshold)
    return {
      ...known,
      status: 'crossed',
      note: `already at ${pct(recent)}, at or over the ${pct(threshold)} threshold${droppedNote}`,
      fitted: finite.length,
    };

  // Days before the last point: small numbers, so the pairwise slopes keep their precision.
  const raw: XY[] = finite.map((p) => ({ x: (p.t - last.t) / DAY_MS, y: p.v }));
  const xy = thin(raw, MAX_FIT_POINTS);
  const from = lastReset(xy.map((p) => p.y));
  // The thinned medians place a reset within a bucket; the raw points say at which point it was.
  const resetIndex = from > 0 ? resetPoint(raw, xy[from - 1].x, xy[from].x) : 0;
  const resetAt = from > 0 ? finite[resetIndex].t : undefined;
  const segment = from > 0 ? thin(raw.slice(resetIndex), MAX_FIT_POINTS) : xy;
  const afterReset = resetAt === undefined ? '' : ` since the reset on ${day(resetAt)}`;
  const spanMs = (segment.at(-1)!.x - segment[0].x) * DAY_MS;
  const fitPoints = finite.length - resetIndex;
  const withReset = { ...known, ...(resetAt !== undefined ? { resetAt } : {}), fitted: fitPoints };
  if (segment.length < MIN_POINTS || spanMs < MIN_SPAN_MS)
    return {
      ...withReset,
      status: 'too-short',
      note: `too short to fit: ${fitPoints} point${fitPoints === 1 ? '' : 's'} over ${(spanMs / 3_600_000).toFixed(1)} h${afterReset} (needs ${MIN_POINTS} over ${MIN_SPAN_MS / 3_600_000} h)${droppedNote}`,
    };
  if (segment.every((p) => p.y === segment[0].y))
    return {
      ...withReset,
      status: 'flat',
      note: `flat at ${pct(level)}${afterReset}${droppedNote}`,
      slopePerDay: 0,
      slopeLowPerDay: 0,
      slopeHighPerDay: 0,
    };

  const line = theilSen(segment, options.confidence ?? 0.95);
  const slopes = { slopePerDay: line.slope, slopeLowPerDay: line.slopeLow, slopeHighPerDay: line.slopeHigh };
  const fitted = { ...withReset, ...slopes };
  if (line.slopeHigh < 0)
    return {
      ...fitted,
      status: 'falling',
      note: `falling (${perDay(line.slope)}) at ${pct(level)}${afterReset}: no crossing ahead${droppedNote}`,
    };
  const steady = {
    ...fitted,
    status: 'no-trend' as const,
    note: `no clear trend (${perDay(line.slope)} at ${pct(level)}${afterReset}, not told apart from zero)${droppedNote}`,
  };
  if (line.slope <= 0) return steady;
  // When the fitted line reaches the threshold, the estimate and the interval's ends, each line
  // anchored on the data (its median residual), never before the last point.
  const crossing = (slope: number) => {
    const intercept = median(segment.map((p) => p.y - slope * p.x));
    return Math.max(last.t, last.t + ((threshold - intercept) / slope) * DAY_MS);
  };
  const crossesAt = crossing(line.slope);
  const earliest = crossing(line.slopeHigh);
  const latest = line.slopeLow > 0 ? crossing(line.slopeLow) : undefined;
  const interval = latest === undefined ? `${day(earliest)} or later (the slope may be zero)` : `${day(earliest)} – ${day(latest)}`;
  const trend = `${perDay(line.slope)} from ${pct(level)}${afterReset}`;
  if (crossesAt > now + horizonMs) {
    if (latest === undefined) return steady;
    return {
      ...fitted,
      status: 'beyond-horizon',
      crossesAt,
      earliest,
      latest,
      note: `reaches ${pct(threshold)} after the horizon, about ${day(crossesAt)} (${trend})${droppedNote}`,
    };
  }
  return {
    ...fitted,
    status: 'exhausts',
    crossesAt,
    earliest,
    ...(latest !== undefined ? { latest } : {}),
    note: `reaches ${pct(threshold)} about ${day(crossesAt)} (${interval}; ${trend})${droppedNote}`,
  };
}
