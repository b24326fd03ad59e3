// `guardian predict capacity` below the command: read the fill-level series from Prometheus
// (`--prometheus URL --query PROMQL`) or from the clouds' metrics of discovered machines (the
// agents' disk used %, RDS free storage against its allocated size), put them in percent, and
// forecast when each crosses the threshold.

import type { RunContext } from '../../discovery/run.js';
import { DEFAULT_CALL_TIMEOUT_MS, DEFAULT_CONCURRENCY, DEFAULT_SCOPE_CONCURRENCY } from '../../discovery/run.js';
import { UsageError } from '../../errors.js';
import type { MetricName, MetricSeries } from '../../model/metric.js';
import { resourceRef } from '../../model/metric.js';
import type { Cloud, Resource, ResourceKind } from '../../model/resource.js';
import type { Series } from '../../model/series.js';
import { type CapacityForecast, forecastCapacity } from './index.js';

/** What each source's values are: percent used (0–100), or a 0–1 ratio to be multiplied by 100. */
export type FillUnit = 'percent' | 'ratio';

export interface PrometheusSource {
  kind: 'prometheus';
  url: string;
  query: string;
  start: number;
  end: number;
  stepSeconds: number;
  unit: FillUnit;
  maxSeries?: number;
}

export interface CloudSource {
  kind: 'clouds';
  input?: string;
  providers?: Cloud[];
  regions?: string[];
  ids?: string[];
  start: number;
  end: number;
  stepSeconds: number;
  callTimeoutMs?: number;
}

export interface CapacityRequest {
  source: PrometheusSource | CloudSource;
  threshold: number;
  horizonMs: number;
  /** Epoch ms the horizon counts from. */
  now: number;
  timeoutMs?: number;
}

export interface CapacityResult {
  forecasts: CapacityForecast[];
  /** One line each, for stderr: what the source said (a split range, a cap, machines without the metric). */
  notes: string[];
  /** False when some series could not be read (a failed metrics batch, an incomplete inventory). */
  complete: boolean;
  source: string;
  /** The series read, in percent, for the chart. */
  series: Series[];
}

/** The machines and the metric that says how full they are. */
const FILL_METRICS: Partial<Record<ResourceKind, MetricName>> = {
  'aws.ec2.instance': 'disk-used',
  'aws.rds.instance': 'free-storage',
  'azure.compute.vm': 'disk-used',
  'gcp.compute.instance': 'disk-used',
};
const FILL_KINDS = Object.keys(FILL_METRICS) as ResourceKind[];

export async function runCapacity(ctx: RunContext, request: CapacityRequest): Promise<CapacityResult> {
  const { series, notes, complete, source } =
    request.source.kind === 'prometheus'
      ? await fromPrometheus(ctx, request.source, request.timeoutMs)
      : await fromClouds(ctx, request.source, request.timeoutMs);
  if (series.length === 0) notes.push(`no fill-level series in ${source}`);
  const forecasts = forecastCapacity(series, { threshold: request.threshold, horizonMs: request.horizonMs, now: request.now });
  return { forecasts, notes, complete, source, series };
}

async function fromPrometheus(ctx: RunContext, source: PrometheusSource, timeoutMs: number | undefined) {
  const { readPrometheus, displayUrl, parsePrometheusUrl } = await import('../sources/prometheus.js');
  const read = await readPrometheus({
    url: source.url,
    query: source.query,
    start: source.start,
    end: source.end,
    stepSeconds: source.stepSeconds,
    maxSeries: source.maxSeries,
    timeoutMs,
    signal: ctx.signal,
  });
  const notes = [...read.notes];
  const scale = source.unit === 'ratio' ? 100 : 1;
  const series = read.series.map((s) => ({ ...s, unit: 'percent', points: s.points.map((p) => ({ t: p.t, v: p.v * scale })) }));
  if (source.unit === 'percent') {
    const looksLikeRatio = read.series.filter(
      (s) => s.points.length > 0 && s.points.every((p) => !Number.isFinite(p.v) || (p.v >= 0 && p.v <= 1)),
    );
    if (looksLikeRatio.length > 0 && looksLikeRatio.length === read.series.length)
      notes.push('every value is between 0 and 1: if the query returns a ratio, pass --ratio (the threshold is in percent)');
  }
  return { series, notes, complete: true, source: `Prometheus at ${displayUrl(parsePrometheusUrl(source.url))}` };
}

async function fromClouds(ctx: RunContext, source: CloudSource, timeoutMs: number | undefined) {
  const signal = timeoutMs ? AbortSignal.any([ctx.signal, AbortSignal.timeout(timeoutMs)]) : ctx.signal;
  const { loadInventory } = await import('../../discovery/load.js');
  const inventory = await loadInventory(ctx, {
    input: source.input,
    providers: source.providers,
    regions: source.regions,
    kinds: FILL_KINDS,
    timeoutMs,
    callTimeoutMs: source.callTimeoutMs,
  });
  const wanted = source.ids ? new Set(source.ids) : undefined;
  const machines = inventory.resources.filter((r) => FILL_METRICS[r.kind] && (!wanted || wanted.has(r.id) || wanted.has(r.name)));
  if (wanted) {
    const missing = [...wanted].filter((id) => !machines.some((r) => r.id === id || r.name === id));
    if (missing.length > 0) throw new UsageError(`--id: no machine ${missing.map((id) => `'${id}'`).join(', ')} in ${inventory.source}`);
  }
  const { readMetricsOf } = await import('../../metrics/collect.js');
  const callTimeoutMs = source.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
  const outcome = await readMetricsOf(ctx, machines.map(resourceRef), {
    metrics: ['disk-used', 'free-storage'],
    window: { start: new Date(source.start).toISOString(), end: new Date(source.end).toISOString(), periodSeconds: source.stepSeconds },
    // Averages, stamped at the middle of their period: a line's average over a period is its value
    // there (maxima would run ahead of the line by the period's rise plus the noise's peak).
    stat: 'average',
    signal,
    callTimeoutMs,
    concurrency: DEFAULT_CONCURRENCY,
    scopeConcurrency: DEFAULT_SCOPE_CONCURRENCY,
  });
  const byKey = new Map(machines.map((r) => [`${r.cloud}|${r.account}|${r.id}`, r]));
  const notes: string[] = [];
  const series: Series[] = [];
  let noSize = 0;
  for (const metric of outcome.series) {
    if (metric.metric !== FILL_METRICS[metric.resource.kind]) continue;
    const resource = byKey.get(`${metric.resource.cloud}|${metric.resource.account}|${metric.resource.id}`);
    const converted = fillSeries(metric, resource);
    if (converted) series.push(converted);
    else noSize += 1;
  }
  if (noSize > 0)
    notes.push(
      `${noSize} database${noSize === 1 ? '' : 's'} without an allocated storage size: free storage cannot be turned into a percentage`,
    );
  const { gapLines, failureLines } = await import('../../metrics/report.js');
  // Gaps of the metric a kind is not judged by (RDS disk-used, machines' free-storage) are not news.
  notes.push(...gapLines(outcome.gaps.filter((gap) => gap.metric === FILL_METRICS[gap.resource.kind])));
  const noData = outcome.noData.filter((n) => n.metric === FILL_METRICS[n.resource.kind]).length;
  if (noData > 0)
    notes.push(`${noData} machine${noData === 1 ? ' has' : 's have'} no fill-level point in the window (stopped, newer, or no agent)`);
  notes.push(...failureLines(outcome.failures));
  if (!inventory.complete) notes.push(`the inventory in ${inventory.source} is incomplete: machines it missed are not forecast`);
  if (signal.aborted && !ctx.signal.aborted) notes.push('stopped by --timeout: series not read by then are missing');
  return {
    series,
    notes,
    complete: inventory.complete && outcome.failures.length === 0 && !signal.aborted,
    source: `the clouds' metrics of ${machines.length} machine${machines.length === 1 ? '' : 's'} from ${inventory.source}`,
  };
}

/** A machine's fill level in percent: disk used as published, or a database's free storage against its allocated size. */
export function fillSeries(metric: MetricSeries, resource: Pick<Resource, 'attributes'> | undefined): Series | undefined {
  const middle = (metric.periodSeconds * 1000) / 2;
  const id = `${metric.resource.cloud}/${metric.resource.account}/${metric.resource.region}/${metric.resource.id}/${metric.metric}`;
  const base = { id, resource: metric.resource, labels: { metric: metric.cloudMetric }, unit: 'percent' };
  const name = metric.resource.name || metric.resource.id;
  if (metric.metric === 'free-storage') {
    const gb = Number(resource?.attributes?.storageGb);
    if (!(gb > 0)) return undefined;
    const bytes = gb * 1024 ** 3;
    return {
      ...base,
      name: `${name} storage`,
      points: metric.points.map(([at, free]) => ({ t: Date.parse(at) + middle, v: 100 * (1 - free / bytes) })),
    };
  }
  // GCP's Ops Agent and CWAgent report percent (0–100) already.
  return { ...base, name: `${name} disk /`, points: metric.points.map(([at, used]) => ({ t: Date.parse(at) + middle, v: used })) };
}
