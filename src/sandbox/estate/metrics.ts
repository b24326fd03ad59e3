// Five-minute utilisation metrics for the sandbox's machines (EC2 instances, Azure VMs, GCP
// instances, RDS instances), computed on demand from (seed, resource id, metric, time) so that
// nothing is held in memory: the same point always has the same value. Each machine's
// metricProfile shapes its series (idle, underused, normal, busy, saturating), and instances
// planted 'disk-filling' have a disk-used % that climbs linearly until it is full. Databases also
// planted 'disk-filling' have a disk-used % that climbs linearly until it is full; some of them
// were cleaned up a few days ago (a reset: the level dropped by a quarter or more, then kept
// climbing on the same line). Databases also
// have connections and free storage (bytes of their allocated storage that disk-used leaves), and
// load balancers a request count. An idle database has no connection; an idle load balancer
// publishes no request count at all (CloudWatch sends no point for a period without requests).

import { hashString, hashWords, unitOf } from './rng.js';
import type { EstateResource, MetricProfile } from './types.js';

export const METRIC_NAMES = [
  'cpu',
  'network-in',
  'network-out',
  'disk-read-ops',
  'disk-write-ops',
  'disk-used',
  'db-connections',
  'free-storage',
  'requests',
] as const;
export type MetricName = (typeof METRIC_NAMES)[number];

/** Units, as the clouds' monitoring APIs report them. */
export const METRIC_UNITS: Record<MetricName, 'Percent' | 'Bytes' | 'Count'> = {
  cpu: 'Percent',
  'network-in': 'Bytes',
  'network-out': 'Bytes',
  'disk-read-ops': 'Count',
  'disk-write-ops': 'Count',
  'disk-used': 'Percent',
  'db-connections': 'Count',
  'free-storage': 'Bytes',
  requests: 'Count',
};

export const METRIC_PERIOD_SECONDS = 300;
export const METRIC_DAYS = 30;
const PERIOD_MS = METRIC_PERIOD_SECONDS * 1000;
const DAY_MS = 86_400_000;

/** A resource that has metrics: one with a metricProfile. */
export type MeteredResource = Extract<EstateResource, { spec: { metricProfile: MetricProfile } }>;

export function isMetered(resource: EstateResource): resource is MeteredResource {
  return 'metricProfile' in resource.spec;
}

/**
 * The span the sandbox has data for: the 30 days before the estate's `now`, plus the day that
 * starts at `now`, so a client asking for "the last N hours" at any time of that day gets data.
 */
export function metricWindow(now: string): { startMs: number; endMs: number } {
  const nowMs = Date.parse(now);
  return { startMs: nowMs - METRIC_DAYS * DAY_MS, endMs: nowMs + DAY_MS };
}

/** Whether the machine reports metrics at all (stopped machines report nothing). */
function reporting(resource: MeteredResource): boolean {
  const spec = resource.spec as { state?: string; powerState?: string; status?: string };
  if (spec.state !== undefined) return spec.state === 'running' || spec.state === 'active';
  if (spec.powerState !== undefined) return spec.powerState === 'running';
  return spec.status === 'RUNNING' || spec.status === 'available';
}

/** An idle load balancer publishes no request count: CloudWatch sends no point for a period without requests. */
function silent(resource: MeteredResource, metric: MetricName): boolean {
  return metric === 'requests' && resource.spec.metricProfile === 'idle';
}

interface Shape {
  /** CPU % baseline, diurnal amplitude, noise amplitude, ceiling. */
  base: number;
  daily: number;
  noise: number;
  ceiling: number;
  /** Network bytes per CPU % per 5 minutes. */
  bytesPerPercent: number;
  /** Disk operations per CPU % per 5 minutes. */
  opsPerPercent: number;
}

const SHAPES: Record<MetricProfile, (u: number) => Shape> = {
  idle: (u) => ({ base: 0.4 + 0.6 * u, daily: 0.15, noise: 0.25, ceiling: 1.9, bytesPerPercent: 40_000, opsPerPercent: 2 }),
  underused: (u) => ({ base: 6 + 3 * u, daily: 3, noise: 2, ceiling: 24, bytesPerPercent: 2_000_000, opsPerPercent: 40 }),
  normal: (u) => ({ base: 32 + 12 * u, daily: 12, noise: 5, ceiling: 78, bytesPerPercent: 3_000_000, opsPerPercent: 60 }),
  busy: (u) => ({ base: 62 + 8 * u, daily: 12, noise: 5, ceiling: 94, bytesPerPercent: 4_000_000, opsPerPercent: 80 }),
  saturating: (u) => ({ base: 80 + 6 * u, daily: 22, noise: 6, ceiling: 100, bytesPerPercent: 5_000_000, opsPerPercent: 90 }),
};

const METRIC_CODES: Record<MetricName, number> = {
  cpu: 1,
  'network-in': 2,
  'network-out': 3,
  'disk-read-ops': 4,
  'disk-write-ops': 5,
  'disk-used': 6,
  'db-connections': 7,
  'free-storage': 8,
  requests: 9,
};

/** Per-resource constants, derived from the seed and id. */
function traits(seed: number, resource: MeteredResource) {
  const key = hashString(resource.id, seed);
  const u = (n: number) => unitOf(hashWords(key, n));
  const shape = SHAPES[resource.spec.metricProfile](u(1));
  const filling = resource.planted.includes('disk-filling');
  return {
    key,
    shape,
    /** Hour of the daily peak (UTC), 12:00-18:00. */
    peakHour: 12 + 6 * u(2),
    outShare: 0.3 + 0.5 * u(3),
    diskLevel: 20 + 45 * u(4),
    filling,
    /** Filling disks: full this many days after `now` (3 to 21). */
    fullInDays: 3 + Math.floor(18 * u(5)),
    fillStart: 35 + 20 * u(6),
    /** Filling disks cleaned up this many days before `now` (4 to 10), about 4 in 10 of them. */
    resetDaysAgo: filling && u(9) < 0.4 ? 4 + 6 * u(10) : undefined,
    /** Percentage points the clean-up freed: before it the disk was this much fuller than the line. */
    resetDrop: 25 + 10 * u(11),
    /** Database connections per CPU %. */
    connectionsPerPercent: 0.5 + 2 * u(7),
    /** Allocated storage in bytes (databases), for free-storage. */
    storageBytes: 'storageGb' in resource.spec ? (resource.spec.storageGb as number) * 1024 ** 3 : 0,
    idle: resource.spec.metricProfile === 'idle',
    /** Load balancers: requests per CPU-like load unit per 5 minutes. */
    requestsPerPercent: 20 + 80 * u(8),
  };
}

/** A filling disk's line: the level it follows, when it crosses a percentage, and its reset. */
export interface DiskTrend {
  fullAt: string;
  /** When the line (the level since the reset) reaches `percent`. */
  crossesAt(percent: number): string;
  /** The clean-up: the level was `drop` points higher before it. */
  reset?: { at: string; drop: number };
}

export function diskTrend(seed: number, now: string, resource: EstateResource): DiskTrend | undefined {
  if (!isMetered(resource) || !resource.planted.includes('disk-filling')) return undefined;
  const t = traits(seed, resource);
  const nowMs = Date.parse(now);
  const start = nowMs - METRIC_DAYS * DAY_MS;
  const full = nowMs + t.fullInDays * DAY_MS;
  return {
    fullAt: new Date(full).toISOString(),
    crossesAt: (percent) => new Date(start + ((percent - t.fillStart) / (100 - t.fillStart)) * (full - start)).toISOString(),
    ...(t.resetDaysAgo !== undefined ? { reset: { at: new Date(resetMs(t, nowMs)!).toISOString(), drop: t.resetDrop } } : {}),
  };
}

/** The clean-up's time, on a 5-minute slot. */
function resetMs(t: ReturnType<typeof traits>, nowMs: number): number | undefined {
  return t.resetDaysAgo === undefined ? undefined : Math.floor((nowMs - t.resetDaysAgo * DAY_MS) / PERIOD_MS) * PERIOD_MS;
}

function noise(key: number, code: number, slot: number): number {
  return unitOf(hashWords(key, code, slot)) * 2 - 1;
}

function cpuAt(t: ReturnType<typeof traits>, slot: number, atMs: number): number {
  const { shape } = t;
  const hour = (atMs % DAY_MS) / 3_600_000;
  const daily = Math.cos(((hour - t.peakHour) / 24) * 2 * Math.PI);
  // 1970-01-01 was a Thursday (4); no Date object per point (the generator serves millions).
  const weekday = (Math.floor(atMs / DAY_MS) + 4) % 7;
  const weekend = weekday === 0 || weekday === 6 ? 0.85 : 1;
  const value = (shape.base + shape.daily * daily) * weekend + shape.noise * noise(t.key, 1, slot);
  return Math.min(shape.ceiling, Math.max(0.05, value));
}

/**
 * One five-minute value (the average over the 5 minutes that start at the slot containing
 * `atMs`), or undefined when the machine reports nothing then: stopped, not yet created, or
 * outside the metric window.
 */
export function metricValue(seed: number, now: string, resource: EstateResource, metric: MetricName, atMs: number): number | undefined {
  if (!isMetered(resource) || !reporting(resource) || silent(resource, metric)) return undefined;
  const window = metricWindow(now);
  if (atMs < window.startMs || atMs >= window.endMs || atMs < Date.parse(resource.createdAt)) return undefined;
  const t = traits(seed, resource);
  return valueAt(t, Date.parse(now), metric, atMs);
}

function valueAt(t: ReturnType<typeof traits>, nowMs: number, metric: MetricName, atMs: number): number {
  const slot = Math.floor(atMs / PERIOD_MS);
  const slotStart = slot * PERIOD_MS;
  if (metric === 'free-storage') return Math.round((t.storageBytes * (100 - valueAt(t, nowMs, 'disk-used', atMs))) / 100);
  if (metric === 'disk-used') {
    if (!t.filling) return round(Math.min(99, Math.max(1, t.diskLevel + 0.4 * noise(t.key, 6, slot))));
    const start = nowMs - METRIC_DAYS * DAY_MS;
    const full = nowMs + t.fullInDays * DAY_MS;
    const line = t.fillStart + ((100 - t.fillStart) * (slotStart - start)) / (full - start);
    const reset = resetMs(t, nowMs);
    const level = reset !== undefined && slotStart < reset ? Math.min(99, line + t.resetDrop) : line;
    return round(Math.min(100, Math.max(1, level + 0.2 * noise(t.key, 6, slot))));
  }
  const cpu = cpuAt(t, slot, slotStart);
  if (metric === 'cpu') return round(cpu);
  const jitter = 1 + 0.2 * noise(t.key, METRIC_CODES[metric], slot);
  switch (metric) {
    case 'network-in':
      return Math.round(cpu * t.shape.bytesPerPercent * jitter);
    case 'network-out':
      return Math.round(cpu * t.shape.bytesPerPercent * t.outShare * jitter);
    case 'disk-read-ops':
      return Math.round(cpu * t.shape.opsPerPercent * 0.6 * jitter);
    case 'db-connections':
      return t.idle ? 0 : Math.round(cpu * t.connectionsPerPercent * jitter);
    case 'requests':
      return Math.round(cpu * t.requestsPerPercent * jitter);
    default:
      return Math.round(cpu * t.shape.opsPerPercent * 0.4 * jitter);
  }
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

/** `pNN` (p95, p99.9): the nearest-rank percentile of the period's 5-minute values. */
export type MetricStat = 'avg' | 'min' | 'max' | 'sum' | 'count' | `p${number}`;

export interface MetricQuery {
  startMs: number;
  endMs: number;
  /** A multiple of 300; each output point aggregates the 5-minute points in its period. */
  periodSeconds?: number;
  stat?: MetricStat;
}

export interface MetricSeries {
  /** Period start times (epoch ms), ascending; periods without data are left out. */
  timestamps: number[];
  values: number[];
}

/**
 * Series generated lately, by everything they depend on: a paging client re-sends its request for
 * every page, and a series that straddles two pages (or a retried page) is then read again.
 * Bounded (least recently used out): at 14 days of 5-minute points an entry is about 64 KB.
 */
const recentSeries = new Map<string, MetricSeries>();
const RECENT_SERIES = 512;

function seriesKey(seed: number, now: string, resource: EstateResource, metric: MetricName, query: MetricQuery): string {
  const spec = resource.spec as { state?: string; powerState?: string; status?: string; metricProfile?: string; storageGb?: number };
  return [
    seed,
    now,
    resource.kind,
    resource.id,
    resource.createdAt,
    resource.planted.join(','),
    spec.state ?? spec.powerState ?? spec.status,
    spec.metricProfile,
    spec.storageGb,
    metric,
    query.startMs,
    query.endMs,
    query.periodSeconds ?? METRIC_PERIOD_SECONDS,
    query.stat ?? 'avg',
  ].join('|');
}

/**
 * The series of a metric over [startMs, endMs), aggregated per period (CloudWatch-style). The
 * arrays are shared with later calls for the same series: callers must not change them.
 */
export function metricSeries(seed: number, now: string, resource: EstateResource, metric: MetricName, query: MetricQuery): MetricSeries {
  const key = seriesKey(seed, now, resource, metric, query);
  const cached = recentSeries.get(key);
  if (cached) {
    recentSeries.delete(key);
    recentSeries.set(key, cached);
    return cached;
  }
  const out: MetricSeries = { timestamps: [], values: [] };
  walk(seed, now, resource, metric, query, out);
  recentSeries.set(key, out);
  if (recentSeries.size > RECENT_SERIES) recentSeries.delete(recentSeries.keys().next().value as string);
  return out;
}

const isoCache = new Map<number, string>();

/** RFC 3339 at whole seconds (`2026-11-30T12:05:00Z`), as the monitoring APIs write times; cached, since every series shares its period starts. */
export function isoSeconds(ms: number): string {
  let text = isoCache.get(ms);
  if (text === undefined) {
    if (isoCache.size >= 100_000) isoCache.clear();
    text = new Date(ms).toISOString().replace('.000Z', 'Z');
    isoCache.set(ms, text);
  }
  return text;
}

/** How many points metricSeries would return, without computing their values (paging APIs count first). */
export function metricPointCount(seed: number, now: string, resource: EstateResource, metric: MetricName, query: MetricQuery): number {
  return walk(seed, now, resource, metric, query, undefined);
}

function walk(
  seed: number,
  now: string,
  resource: EstateResource,
  metric: MetricName,
  query: MetricQuery,
  out: MetricSeries | undefined,
): number {
  if (!isMetered(resource) || !reporting(resource) || silent(resource, metric)) return 0;
  let points = 0;
  const window = metricWindow(now);
  const createdMs = Date.parse(resource.createdAt);
  const periodMs = Math.max(1, Math.round((query.periodSeconds ?? METRIC_PERIOD_SECONDS) / METRIC_PERIOD_SECONDS)) * PERIOD_MS;
  const stat = query.stat ?? 'avg';
  const percentileOf = stat.startsWith('p') ? Number(stat.slice(1)) : undefined;
  const t = traits(seed, resource);
  const nowMs = Date.parse(now);
  const first = Math.ceil(Math.max(query.startMs, window.startMs) / PERIOD_MS) * PERIOD_MS;
  const last = Math.min(query.endMs, window.endMs);
  // Periods are aligned to the query start (as CloudWatch does), points to 5-minute slots.
  for (let periodStart = query.startMs; periodStart < last; periodStart += periodMs) {
    let count = 0;
    let sum = 0;
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    const samples: number[] | undefined = percentileOf !== undefined ? [] : undefined;
    const from = Math.max(first, Math.ceil(periodStart / PERIOD_MS) * PERIOD_MS);
    for (let at = from; at < periodStart + periodMs && at < last; at += PERIOD_MS) {
      if (at < createdMs) continue;
      if (!out) {
        count = 1;
        break;
      }
      const value = valueAt(t, nowMs, metric, at);
      count += 1;
      sum += value;
      if (value < min) min = value;
      if (value > max) max = value;
      samples?.push(value);
    }
    if (count === 0) continue;
    points += 1;
    if (!out) continue;
    out.timestamps.push(periodStart);
    out.values.push(
      stat === 'avg'
        ? round(sum / count)
        : stat === 'sum'
          ? round(sum)
          : stat === 'min'
            ? min
            : stat === 'max'
              ? max
              : samples && percentileOf !== undefined
                ? percentile(samples, percentileOf)
                : count,
    );
  }
  return points;
}

/** Nearest-rank percentile (the value at rank ceil(p/100 × n) of the sorted values). */
function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)];
}
