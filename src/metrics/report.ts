// What `guardian metrics` shows: per resource and metric, the p50, p95 and maximum of the points
// the cloud returned (nearest-rank percentiles), and the JSON form with every point as returned.

import type { MetricGap, MetricSeries } from '../model/metric.js';
import type { TableView } from '../render/output.js';
import type { Collected } from './collect.js';
import type { MetricFailure, MetricsOutcome } from './run.js';

export interface SeriesSummary {
  series: MetricSeries;
  points: number;
  p50: number;
  p95: number;
  max: number;
}

/** Nearest-rank percentile: the value at rank ceil(p/100 × n) of the sorted values. */
export function percentile(sorted: number[], p: number): number {
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)];
}

export function summarize(series: MetricSeries): SeriesSummary {
  const sorted = series.points.map(([, value]) => value).sort((a, b) => a - b);
  return { series, points: sorted.length, p50: percentile(sorted, 50), p95: percentile(sorted, 95), max: sorted[sorted.length - 1] };
}

const round = (value: number) => Math.round(value * 1000) / 1000;

export function metricsTable(outcome: MetricsOutcome): TableView<SeriesSummary> {
  const rows = outcome.series.map(summarize);
  return {
    columns: [
      // Table cells are escaped by the renderer (cloud text can hold control characters).
      { header: 'cloud', value: (r) => r.series.resource.cloud },
      { header: 'resource', value: (r) => r.series.resource.name || r.series.resource.id },
      { header: 'region', value: (r) => r.series.resource.region, priority: 2 },
      { header: 'metric', value: (r) => r.series.metric },
      { header: 'unit', value: (r) => r.series.unit, priority: 3 },
      { header: 'stat', value: (r) => r.series.stat, priority: 1 },
      { header: 'points', value: (r) => r.points, align: 'right', priority: 1 },
      { header: 'p50', value: (r) => round(r.p50), align: 'right' },
      { header: 'p95', value: (r) => round(r.p95), align: 'right' },
      { header: 'max', value: (r) => round(r.max), align: 'right' },
    ],
    rows,
  };
}

/** One line per kind of gap ("memory unknown: …" for 12 EC2 instances), for stderr. */
export function gapLines(gaps: MetricGap[]): string[] {
  const byReason = new Map<string, number>();
  for (const gap of gaps) byReason.set(gap.reason, (byReason.get(gap.reason) ?? 0) + 1);
  return [...byReason].map(([reason, count]) => `${reason} (${count} resource${count === 1 ? '' : 's'})`);
}

/** One line per account, region and error: how many series it cost. */
export function failureLines(failures: MetricFailure[]): string[] {
  const groups = new Map<string, { failure: MetricFailure; series: number }>();
  for (const failure of failures) {
    const key = [failure.cloud, failure.account, failure.region, failure.code, failure.message].join('|');
    const group = groups.get(key) ?? { failure, series: 0 };
    group.series += failure.series;
    groups.set(key, group);
  }
  return [...groups.values()].map(({ failure, series }) => {
    const where = failure.region === 'global' ? failure.account : `${failure.account} ${failure.region}`;
    return `${failure.cloud} ${where}: ${series} series not read: ${failure.code}: ${failure.message}`;
  });
}

/** The --json document's data: every series with its points exactly as the cloud returned them. */
export function metricsJson(outcome: MetricsOutcome, window: { start: string; end: string }): object {
  return {
    window,
    series: outcome.series.map((s) => ({
      resource: s.resource,
      metric: s.metric,
      cloudMetric: s.cloudMetric,
      unit: s.unit,
      periodSeconds: s.periodSeconds,
      stat: s.stat,
      points: s.points,
    })),
    noData: outcome.noData,
    gaps: outcome.gaps,
    failures: outcome.failures,
    stats: outcome.stats,
    complete: outcome.failures.length === 0,
  };
}

/** What stderr says after a read, by level: the counts (verbose), gaps and empty series (info), failures and a partial inventory (warnings). */
export function collectionNotes(collected: Collected): { verbose: string[]; info: string[]; warn: string[] } {
  const { outcome } = collected;
  const { stats } = outcome;
  const info = gapLines(outcome.gaps);
  if (outcome.noData.length > 0) info.push(`${outcome.noData.length} series had no data in the window (stopped or newer machines)`);
  const warn = failureLines(outcome.failures);
  if (!collected.inventoryComplete) warn.push(`the inventory (${collected.source}) is incomplete: some machines may be missing`);
  return {
    verbose: [
      `${collected.resources} machine(s) from ${collected.source}; ${stats.calls} call(s), ${stats.pages} page(s), ${stats.points} point(s)`,
    ],
    info,
    warn,
  };
}
