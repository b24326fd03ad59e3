// The metric statistics cost rules read, from what the metrics run returned: each series in
// Guardian's units (CPU in percent, GCP's 0-1 ratio times 100; network in + out as bytes per
// second), its p95 and maximum over the window, or why there is none (no point in the window, the
// call failed, the cloud does not publish it, or the run was offline).

import { percentile } from '../metrics/report.js';
import type { MetricsOutcome } from '../metrics/run.js';
import type { MetricWindow } from '../metrics/window.js';
import type { MetricGap, MetricName, MetricSeries } from '../model/metric.js';
import type { Resource } from '../model/resource.js';
import type { CostMetric, MetricReading } from '../rules/cost.js';

/** The cloud metrics a cost metric is made of. */
export const COST_METRIC_SOURCES: Record<CostMetric, MetricName[]> = {
  cpu: ['cpu'],
  network: ['network-in', 'network-out'],
  memory: ['memory'],
  'db-connections': ['db-connections'],
  requests: ['requests'],
};

/**
 * Seconds one value of a network series covers, per cloud metric, when read as a period's average:
 * EC2's NetworkIn is a sum per 5-minute sample (basic monitoring), Azure's Network In Total a sum per
 * minute, and Compute Engine's received_bytes_count a delta per 60-second sample.
 */
const NETWORK_SAMPLE_SECONDS: Record<string, number> = {
  NetworkIn: 300,
  NetworkOut: 300,
  'Network In Total': 60,
  'Network Out Total': 60,
  'compute.googleapis.com/instance/network/received_bytes_count': 60,
  'compute.googleapis.com/instance/network/sent_bytes_count': 60,
};

const keyOf = (r: Pick<Resource, 'cloud' | 'account' | 'id'>, metric: string) => `${r.cloud}|${r.account}|${r.id}|${metric}`;

export interface ReadingIndex {
  reading(resource: Resource, metric: CostMetric): MetricReading;
}

/** Offline (--input): nothing was read. */
export function offlineReadings(): ReadingIndex {
  return {
    reading: () => ({ status: 'missing', reason: 'not read: the inventory is a snapshot (--input) and metrics need the live clouds' }),
  };
}

function scaled(series: MetricSeries): number[] {
  if (series.metric === 'cpu' || series.metric === 'memory') {
    // Compute Engine reports utilisation as a ratio (unit 10^2.%): 0.25 is 25 %.
    const factor = series.unit === '10^2.%' ? 100 : 1;
    return series.points.map(([, v]) => v * factor);
  }
  if (series.metric === 'network-in' || series.metric === 'network-out') {
    const seconds = NETWORK_SAMPLE_SECONDS[series.cloudMetric] ?? series.periodSeconds;
    return series.points.map(([, v]) => v / seconds);
  }
  return series.points.map(([, v]) => v);
}

/** Per-point sum of several series (network in + out), matched by timestamp. */
function summed(parts: MetricSeries[]): number[] {
  const byTime = new Map<string, number>();
  for (const part of parts) {
    const values = scaled(part);
    part.points.forEach(([at], i) => {
      byTime.set(at, (byTime.get(at) ?? 0) + values[i]);
    });
  }
  return [...byTime.values()];
}

const UNITS: Record<CostMetric, string> = {
  cpu: 'Percent',
  network: 'bytes/s',
  memory: 'Percent',
  'db-connections': 'Count',
  requests: 'Count',
};

export function liveReadings(outcome: MetricsOutcome, window: MetricWindow): ReadingIndex {
  const series = new Map<string, MetricSeries>();
  for (const s of outcome.series) series.set(keyOf(s.resource, s.metric), s);
  const noData = new Set(outcome.noData.map((item) => keyOf(item.resource, item.metric)));
  const gaps = new Map<string, MetricGap>();
  for (const gap of outcome.gaps) gaps.set(keyOf(gap.resource, gap.metric), gap);

  return {
    reading(resource, metric) {
      const parts: MetricSeries[] = [];
      for (const source of COST_METRIC_SOURCES[metric]) {
        const key = keyOf(resource, source);
        const found = series.get(key);
        if (found) parts.push(found);
        else if (gaps.has(key)) return { status: 'missing', reason: gaps.get(key)!.reason };
        else if (!noData.has(key)) return { status: 'missing', reason: `the ${source} metric could not be read (see the warnings)` };
      }
      if (parts.length === 0) return { status: 'no-data' };
      const values = (parts.length === 1 ? scaled(parts[0]) : summed(parts)).sort((a, b) => a - b);
      return {
        status: 'read',
        metric,
        cloudMetric: parts.map((p) => p.cloudMetric).join(' + '),
        unit: UNITS[metric],
        points: values.length,
        p95: percentile(values, 95),
        max: values[values.length - 1],
        window: { start: window.start, end: window.end, periodSeconds: window.periodSeconds },
      };
    },
  };
}
