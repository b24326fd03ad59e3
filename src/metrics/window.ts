// The window and period a metrics read covers: `--since 14d` or `--from/--to`, aligned to whole
// periods, and checked against what CloudWatch keeps (the finest period a window can have depends
// on how old its start is: https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_GetMetricData.html).

import { UsageError } from '../errors.js';

const UNITS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };
const DAY_MS = 86_400_000;
/** CloudWatch's retention: data this old (ms) is kept only at this period (s) or coarser. */
const RETENTION: [maxAgeMs: number, finestSeconds: number][] = [
  [3 * 3_600_000, 1],
  [15 * DAY_MS, 60],
  [63 * DAY_MS, 300],
  [455 * DAY_MS, 3600],
];

export interface MetricWindow {
  start: string;
  end: string;
  periodSeconds: number;
}

/** "14d", "12h", "90m", "2w". */
export function parseSince(value: string): number {
  const match = /^(\d+(?:\.\d+)?)(m|h|d|w)$/.exec(value.trim());
  if (!match || Number(match[1]) <= 0) throw new UsageError(`--since takes a span such as 90m, 12h, 14d or 2w, not '${value}'`);
  return Math.round(Number(match[1]) * UNITS[match[2]]);
}

/** An ISO date (midnight UTC; with `endOfDay` the midnight after) or an ISO date-time. */
export function parseTime(flag: string, value: string, endOfDay: boolean): number {
  const text = value.trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) {
    const ms = Date.parse(`${text}T00:00:00Z`);
    if (Number.isFinite(ms)) return endOfDay ? ms + DAY_MS : ms;
  } else if (/^\d{4}-\d{2}-\d{2}T/.test(text)) {
    const ms = Date.parse(/[zZ]|[+-]\d{2}:?\d{2}$/.test(text) ? text : `${text}Z`);
    if (Number.isFinite(ms)) return ms;
  }
  throw new UsageError(`${flag} takes a date (2026-11-01) or a UTC time (2026-11-01T12:00:00Z), not '${value}'`);
}

export function parsePeriod(value: string | undefined): number {
  if (value === undefined) return 300;
  const seconds = Number(value);
  if (!Number.isInteger(seconds) || seconds < 60 || seconds % 60 !== 0)
    throw new UsageError(`--period is a number of seconds, a multiple of 60 (60, 300, 3600…), not '${value}'`);
  return seconds;
}

/** The finest period CloudWatch keeps for a window that starts `ageMs` ago. */
export function finestPeriod(ageMs: number): number | undefined {
  return RETENTION.find(([maxAge]) => ageMs <= maxAge)?.[1];
}

export function resolveWindow(
  options: { since?: string; from?: string; to?: string; period?: string },
  nowMs: number,
  defaultSince = '1d',
): MetricWindow {
  if (options.since !== undefined && (options.from !== undefined || options.to !== undefined))
    throw new UsageError('give either --since or --from/--to, not both');
  const periodSeconds = parsePeriod(options.period);
  const periodMs = periodSeconds * 1000;
  const toMs = options.to !== undefined ? parseTime('--to', options.to, true) : nowMs;
  const fromMs = options.from !== undefined ? parseTime('--from', options.from, false) : toMs - parseSince(options.since ?? defaultSince);
  // Whole periods inside the window only, so every cloud aligns its points the same way.
  const start = Math.ceil(fromMs / periodMs) * periodMs;
  const end = Math.floor(toMs / periodMs) * periodMs;
  if (end <= start)
    throw new UsageError(
      `the window ${new Date(fromMs).toISOString()} to ${new Date(toMs).toISOString()} holds no whole ${periodSeconds}-second period`,
    );
  const finest = finestPeriod(nowMs - start);
  if (finest === undefined) throw new UsageError('the window starts more than 455 days ago: CloudWatch keeps no metrics that old');
  if (periodSeconds < finest)
    throw new UsageError(
      `a window that starts ${Math.round((nowMs - start) / DAY_MS)} days ago needs --period ${finest} or more (CloudWatch keeps older data only at coarser periods)`,
    );
  return { start: new Date(start).toISOString(), end: new Date(end).toISOString(), periodSeconds };
}
