// Series from a Prometheus server: the HTTP `query_range` API (GET /api/v1/query_range), read
// with fetch. Prometheus answers at most 11,000 points per series per query, so a long range is
// split into consecutive sub-ranges and each series' points joined in order. Its values are
// strings ("0.5", "NaN", "+Inf"); they become numbers here, NaN and ±Infinity kept as they are
// for the predictors to note. Errors are one line: Prometheus's own message when it gave one.
// https://prometheus.io/docs/prometheus/latest/querying/api/#range-queries

import { ConfigError, Interrupted, UsageError } from '../../errors.js';
import type { Series, TimePoint } from '../../model/series.js';

/** Prometheus refuses a query_range over this many points per series ("exceeded maximum resolution"). */
export const MAX_POINTS_PER_QUERY = 11_000;
export const DEFAULT_MAX_SERIES = 100;
export const DEFAULT_PROMETHEUS_TIMEOUT_MS = 30_000;

export interface PrometheusRequest {
  /** The server's base URL (http://host:9090, or a path prefix behind a proxy). */
  url: string;
  query: string;
  /** Epoch milliseconds, inclusive; Prometheus evaluates at start, start + step, … ≤ end. */
  start: number;
  end: number;
  stepSeconds: number;
  /** Keep at most this many series (the first by label set); the read says how many there were. */
  maxSeries?: number;
  /** The whole read, every sub-range included (--timeout). */
  timeoutMs?: number;
  /** Ctrl-C. */
  signal?: AbortSignal;
}

export interface PrometheusRead {
  series: Series[];
  /** How many series the query returned before --max-series kept the first ones. */
  total: number;
  /** Requests sent (one per sub-range). */
  requests: number;
  /** Prometheus's own warnings and what the reader did (a range split, a cap), one line each. */
  notes: string[];
}

/** Statuses Prometheus documents for query_range errors: 400 bad parameters, 422 cannot be executed, 503 timed out or aborted. */
interface PrometheusAnswer {
  status?: string;
  data?: { resultType?: string; result?: { metric?: Record<string, string>; values?: [number, string][] }[] };
  errorType?: string;
  error?: string;
  warnings?: string[];
}

/** The sub-ranges [start, end] a range is read in, each at most MAX_POINTS_PER_QUERY evaluation steps. */
export function splitRange(start: number, end: number, stepSeconds: number, maxPoints = MAX_POINTS_PER_QUERY): [number, number][] {
  const stepMs = stepSeconds * 1000;
  const ranges: [number, number][] = [];
  for (let from = start; from <= end; from += maxPoints * stepMs) ranges.push([from, Math.min(end, from + (maxPoints - 1) * stepMs)]);
  return ranges;
}

/** A sample value as Prometheus writes it: a decimal, "NaN", "+Inf" or "-Inf" (Number() reads none of the last three). */
export function sampleValue(text: string): number {
  if (text === '+Inf' || text === 'Inf') return Number.POSITIVE_INFINITY;
  if (text === '-Inf') return Number.NEGATIVE_INFINITY;
  return Number(text);
}

/** `name{a="1",b="2"}` as Prometheus prints a series (labels sorted, the name outside the braces). */
export function seriesName(labels: Record<string, string>): string {
  const { __name__: name = '', ...rest } = labels;
  const pairs = Object.keys(rest)
    .sort()
    .map((key) => `${key}=${JSON.stringify(rest[key])}`);
  return pairs.length > 0 || !name ? `${name}{${pairs.join(',')}}` : name;
}

/** The URL with any user:password removed, for messages. */
export function displayUrl(url: URL): string {
  const copy = new URL(url.href);
  copy.username = '';
  copy.password = '';
  return copy.href.replace(/\/$/, '');
}

export function parsePrometheusUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`--prometheus takes the server's URL (http://host:9090), not '${text}'`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new UsageError(`--prometheus must be an http:// or https:// URL, not ${url.protocol}`);
  return url;
}

export async function readPrometheus(request: PrometheusRequest): Promise<PrometheusRead> {
  const base = parsePrometheusUrl(request.url);
  if (!(request.end >= request.start)) throw new UsageError('--end must not be before --start');
  if (!(request.stepSeconds > 0)) throw new UsageError('--step must be more than zero');
  const timeoutMs = request.timeoutMs ?? DEFAULT_PROMETHEUS_TIMEOUT_MS;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = request.signal ? AbortSignal.any([request.signal, timeout]) : timeout;
  const where = displayUrl(base);
  const headers: Record<string, string> = { accept: 'application/json' };
  // fetch refuses a URL with credentials in it; Prometheus behind basic auth gets them as a header.
  if (base.username || base.password) {
    headers.authorization = `Basic ${Buffer.from(`${decodeURIComponent(base.username)}:${decodeURIComponent(base.password)}`).toString('base64')}`;
  }

  const ranges = splitRange(request.start, request.end, request.stepSeconds);
  const notes: string[] = [];
  if (ranges.length > 1)
    notes.push(
      `read in ${ranges.length} requests: Prometheus answers at most ${MAX_POINTS_PER_QUERY.toLocaleString('en-US')} points per series`,
    );
  const byKey = new Map<string, { labels: Record<string, string>; points: TimePoint[] }>();
  for (const [from, to] of ranges) {
    const endpoint = new URL(`${base.pathname.replace(/\/$/, '')}/api/v1/query_range`, base);
    endpoint.username = '';
    endpoint.password = '';
    endpoint.search = new URLSearchParams({
      query: request.query,
      start: String(from / 1000),
      end: String(to / 1000),
      step: String(request.stepSeconds),
    }).toString();
    const answer = await fetchAnswer(endpoint, headers, signal, where, { timeout, timeoutMs, interrupt: request.signal });
    for (const warning of answer.warnings ?? []) notes.push(`Prometheus warns: ${oneLine(warning)}`);
    for (const result of answer.data?.result ?? []) {
      const labels = result.metric ?? {};
      const key = seriesName(labels);
      let entry = byKey.get(key);
      if (!entry) {
        entry = { labels, points: [] };
        byKey.set(key, entry);
      }
      const last = entry.points.at(-1)?.t ?? Number.NEGATIVE_INFINITY;
      for (const [seconds, text] of result.values ?? []) {
        const t = Math.round(seconds * 1000);
        if (t > last) entry.points.push({ t, v: sampleValue(text) });
      }
    }
  }

  const keys = [...byKey.keys()].sort();
  const max = request.maxSeries ?? DEFAULT_MAX_SERIES;
  if (keys.length > max) notes.push(`the query returned ${keys.length} series; reading the first ${max} by label set (--max-series)`);
  const series = keys.slice(0, max).map((key) => {
    const { labels, points } = byKey.get(key)!;
    return { id: key, name: key, labels, points } satisfies Series;
  });
  return { series, total: keys.length, requests: ranges.length, notes };
}

interface Deadline {
  timeout: AbortSignal;
  timeoutMs: number;
  interrupt?: AbortSignal;
}

async function fetchAnswer(
  endpoint: URL,
  headers: Record<string, string>,
  signal: AbortSignal,
  where: string,
  deadline: Deadline,
): Promise<PrometheusAnswer> {
  let response: Response;
  let body: string;
  try {
    response = await fetch(endpoint, { headers, signal, redirect: 'follow' });
    body = await response.text();
  } catch (error) {
    if (deadline.interrupt?.aborted) throw new Interrupted('interrupted while reading Prometheus');
    if (deadline.timeout.aborted)
      throw new ConfigError(`Prometheus at ${where} did not answer within ${deadline.timeoutMs / 1000}s`, {
        hint: 'raise --timeout, or narrow --start/--end or a coarser --step',
      });
    throw new ConfigError(`cannot reach Prometheus at ${where}: ${networkReason(error)}`, {
      hint: 'check the --prometheus URL and that the server is up',
    });
  }
  let answer: PrometheusAnswer | undefined;
  try {
    answer = JSON.parse(body) as PrometheusAnswer;
  } catch {
    answer = undefined;
  }
  if (answer?.status === 'error') {
    const message = `Prometheus refused the query: ${oneLine(answer.error ?? answer.errorType ?? `HTTP ${response.status}`)}`;
    // bad_data (400) is the query or its range; anything else (execution, timeout, 5xx) is the server's.
    if (answer.errorType === 'bad_data') throw new UsageError(message, { hint: 'check --query, --start, --end and --step' });
    throw new ConfigError(`${message} (${answer.errorType ?? response.status})`);
  }
  if (!response.ok) throw new ConfigError(`Prometheus at ${where} answered HTTP ${response.status} ${oneLine(response.statusText)}`.trim());
  if (answer?.status !== 'success' || !answer.data)
    throw new ConfigError(`${where} did not answer as the Prometheus query_range API does (is it Prometheus?)`);
  if (answer.data.resultType !== 'matrix')
    throw new ConfigError(`Prometheus answered a ${answer.data.resultType ?? 'missing'} result where query_range gives a matrix`);
  return answer;
}

function networkReason(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return oneLine(cause?.code ?? cause?.message ?? (error as Error).message ?? String(error));
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
