// Series from the clouds' metrics of discovered machines: what `guardian metrics` reads
// (src/metrics), one Series per resource × metric × statistic, for the predictors.

import type { MetricSeries } from '../../model/metric.js';
import type { Series } from '../../model/series.js';

/** `aws/123456789012/eu-west-1/i-0abc/cpu`: stable across reads of the same machine and metric. */
export function metricSeriesId(series: MetricSeries): string {
  const { resource } = series;
  return `${resource.cloud}/${resource.account}/${resource.region}/${resource.id}/${series.metric}`;
}

export function seriesFromMetrics(list: MetricSeries[]): Series[] {
  return list.map((m) => ({
    id: metricSeriesId(m),
    name: `${m.resource.name || m.resource.id} ${m.metric}`,
    unit: m.unit,
    labels: { metric: m.metric, cloudMetric: m.cloudMetric, stat: m.stat, period: String(m.periodSeconds), kind: m.resource.kind },
    resource: m.resource,
    points: m.points.map(([timestamp, v]) => ({ t: Date.parse(timestamp), v })),
  }));
}
