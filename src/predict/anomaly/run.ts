// `guardian predict anomalies` below the command: read the series (a file, or the clouds' metrics
// of discovered machines), run the detector over each, and keep the flagged points in the window
// asked for. Says what it could not judge, so the command never gives a verdict over missing data.

import type { RunContext } from '../../discovery/run.js';
import type { CollectRequest } from '../../metrics/collect.js';
import type { Anomaly } from '../../model/anomaly.js';
import type { Series } from '../../model/series.js';
import type { LiveCostSeriesRequest } from '../sources/costs.js';
import type { PrometheusRequest } from '../sources/prometheus.js';
import { type AnomalyOptions, analyseSeries, type SeriesAnomalies } from './index.js';

export type AnomalySource =
  | { kind: 'file'; path: string }
  | { kind: 'metrics'; request: CollectRequest }
  | { kind: 'costs'; request: LiveCostSeriesRequest }
  | { kind: 'prometheus'; request: PrometheusRequest }
  | { kind: 'series'; name: string; series: Series[] };

export interface AnomaliesRequest extends AnomalyOptions {
  source: AnomalySource;
  /** Show only anomalies this recent: a span back from the newest point read. */
  sinceMs?: number;
}

export interface AnomaliesReport {
  /** Where the series came from: a file name, a snapshot, the profile's clouds. */
  source: string;
  threshold: number;
  results: SeriesAnomalies[];
  /** The anomalies shown: every series, in the --since window, oldest first. */
  anomalies: Anomaly[];
  /** Epoch ms: anomalies before this are not shown (with --since). */
  shownFrom?: number;
  /** Lines for stderr. */
  info: string[];
  warn: string[];
  /** Why the verdict does not cover everything asked for (failed reads, series too short): --strict exits 4. */
  incomplete: string[];
}

export async function findAnomalies(ctx: RunContext, request: AnomaliesRequest): Promise<AnomaliesReport> {
  const info: string[] = [];
  const warn: string[] = [];
  const incomplete: string[] = [];
  let series: Series[];
  let source: string;
  const { source: from } = request;
  if (from.kind === 'file') {
    const { readSeriesFile } = await import('../sources/file.js');
    series = await readSeriesFile(from.path);
    source = from.path;
  } else if (from.kind === 'series') {
    series = from.series;
    source = from.name;
  } else if (from.kind === 'costs') {
    const { readCostSeries } = await import('../sources/costs.js');
    const read = await readCostSeries(ctx, from.request);
    for (const failure of read.outcome.failures) warn.push(`${failure.cloud}: ${failure.message}`);
    if (read.outcome.failures.length > 0) incomplete.push(`${read.outcome.failures.length} cloud(s) gave no costs`);
    series = read.series;
    source = `daily spend ${read.range.first} to ${read.range.last}`;
  } else if (from.kind === 'prometheus') {
    const { readPrometheus, displayUrl, parsePrometheusUrl } = await import('../sources/prometheus.js');
    const read = await readPrometheus({ ...from.request, signal: from.request.signal ?? ctx.signal });
    info.push(...read.notes);
    if (read.total > read.series.length) incomplete.push(`${read.total - read.series.length} series left out by --max-series`);
    series = read.series;
    source = displayUrl(parsePrometheusUrl(from.request.url));
  } else {
    const { collectMetrics } = await import('../../metrics/collect.js');
    const { collectionNotes } = await import('../../metrics/report.js');
    const { seriesFromMetrics } = await import('../sources/metrics.js');
    const collected = await collectMetrics(ctx, from.request);
    const notes = collectionNotes(collected);
    info.push(...notes.info);
    warn.push(...notes.warn);
    if (collected.outcome.failures.length > 0) incomplete.push(`${collected.outcome.failures.length} metric read(s) failed`);
    if (!collected.inventoryComplete) incomplete.push('the inventory itself was incomplete');
    series = seriesFromMetrics(collected.outcome.series);
    source = collected.source;
  }
  if (series.length === 0) incomplete.push('no series to judge');
  const results = series.map((s) => analyseSeries(s, request));
  for (const r of results) {
    for (const note of r.notes) (r.scored === 0 ? warn : info).push(`${r.series.name}: ${note}`);
    if (r.scored === 0) incomplete.push(`${r.series.name} could not be judged`);
  }
  const newest = Math.max(...series.flatMap((s) => (s.points.length ? [s.points[s.points.length - 1].t] : [])));
  const shownFrom = request.sinceMs !== undefined && Number.isFinite(newest) ? newest - request.sinceMs : undefined;
  const anomalies = results
    .flatMap((r) => r.anomalies)
    .filter((a) => shownFrom === undefined || a.t >= shownFrom)
    .sort((a, b) => a.t - b.t || a.seriesId.localeCompare(b.seriesId));
  const threshold = request.threshold ?? (await import('./index.js')).DEFAULT_THRESHOLD;
  return { source, threshold, results, anomalies, shownFrom, info, warn, incomplete };
}
