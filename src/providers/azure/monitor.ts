// Reads VM utilisation from Azure Monitor platform metrics (`metrics.list` of @azure/arm-monitor,
// api-version 2018-01-01): the API answers for one resource per request, so each VM is one batch
// carrying all of its metric names (up to 20 a request). Periods Azure reports without a value are
// absent from the series, never zero. Azure has no percentile aggregation for platform metrics.
// https://learn.microsoft.com/rest/api/monitor/metrics/list

import {
  KIND_METRICS,
  type MetricBatch,
  type MetricGap,
  type MetricName,
  type MetricPlan,
  type MetricQuery,
  type MetricSeries,
  type MetricStat,
  pointTimestamp,
  type ResourceRef,
} from '../../model/metric.js';
import type { ProviderFaces } from '../types.js';
import type { AzureConnection } from './connection.js';

/** Azure's VM metric names and units (Microsoft.Compute/virtualMachines). */
const VM_METRICS: Partial<Record<MetricName, { name: string; unit: string }>> = {
  cpu: { name: 'Percentage CPU', unit: 'Percent' },
  'network-in': { name: 'Network In Total', unit: 'Bytes' },
  'network-out': { name: 'Network Out Total', unit: 'Bytes' },
  'disk-read-ops': { name: 'Disk Read Operations/Sec', unit: 'CountPerSecond' },
  'disk-write-ops': { name: 'Disk Write Operations/Sec', unit: 'CountPerSecond' },
};

const AGGREGATIONS: Partial<Record<MetricStat, 'average' | 'maximum'>> = { average: 'average', maximum: 'maximum' };

/** ISO 8601 durations Azure Monitor accepts as an interval, by seconds. */
const INTERVALS: Record<number, string> = {
  60: 'PT1M',
  300: 'PT5M',
  900: 'PT15M',
  1800: 'PT30M',
  3600: 'PT1H',
  21600: 'PT6H',
  43200: 'PT12H',
  86400: 'P1D',
};

/** metrics.list on each VM. */
export const METRIC_PERMISSIONS = ['Microsoft.Insights/metrics/read'];

export function azureIntervalOf(periodSeconds: number): string | undefined {
  return INTERVALS[periodSeconds];
}

export function planAzureMonitor(query: MetricQuery): MetricPlan {
  const gaps: MetricGap[] = [];
  const batches: MetricBatch[] = [];
  const interval = azureIntervalOf(query.periodSeconds);
  for (const resource of query.resources) {
    if (resource.kind !== 'azure.compute.vm') continue;
    const items: MetricBatch['items'] = [];
    for (const metric of query.metrics ?? KIND_METRICS[resource.kind] ?? []) {
      if (!VM_METRICS[metric])
        gaps.push({
          resource,
          metric,
          reason:
            metric === 'disk-used'
              ? 'disk used unknown: Azure Monitor has no guest filesystem platform metric (VM insights writes it to a Log Analytics workspace, which Guardian does not read)'
              : `Azure Monitor has no ${metric} platform metric for VMs Guardian reads`,
        });
      else if (!AGGREGATIONS[query.stat])
        gaps.push({
          resource,
          metric,
          reason: `Azure Monitor platform metrics have no ${query.stat} aggregation (only average, minimum, maximum, total, count)`,
        });
      else if (!interval)
        gaps.push({
          resource,
          metric,
          reason: `Azure Monitor has no ${query.periodSeconds}-second interval (${Object.keys(INTERVALS).join(', ')} s)`,
        });
      else items.push({ resource, metric });
    }
    if (items.length > 0) {
      batches.push({
        account: resource.account,
        region: 'global',
        items,
        start: query.start,
        end: query.end,
        periodSeconds: query.periodSeconds,
        stat: query.stat,
      });
    }
  }
  return { batches, gaps };
}

export function createMonitorReader(connection: () => Promise<AzureConnection>): Pick<ProviderFaces, 'metricPlan' | 'metrics'> {
  return {
    metricPlan: async (query) => planAzureMonitor(query),
    async metrics({ batch }, options) {
      const conn = await connection();
      const resource: ResourceRef = batch.items[0].resource;
      const aggregation = AGGREGATIONS[batch.stat]!;
      const byName = new Map(batch.items.map((item) => [VM_METRICS[item.metric]!.name.toLowerCase(), item]));
      const client = await conn.monitor(batch.account);
      const answer = await conn.withSignal(options.signal, () =>
        client.metrics.list(resource.id.replace(/^\/+/, ''), {
          timespan: `${batch.start}/${batch.end}`,
          interval: azureIntervalOf(batch.periodSeconds),
          metricnames: batch.items.map((item) => VM_METRICS[item.metric]!.name).join(','),
          aggregation: aggregation === 'average' ? 'Average' : 'Maximum',
          abortSignal: options.signal,
        }),
      );
      const series: MetricSeries[] = [];
      for (const metric of answer.value) {
        const item = byName.get((metric.name.value ?? '').toLowerCase());
        if (!item) continue;
        const points: MetricSeries['points'] = [];
        for (const timeseries of metric.timeseries ?? []) {
          for (const point of timeseries.data ?? []) {
            const value = point[aggregation];
            if (value !== undefined && value !== null) points.push([pointTimestamp(point.timeStamp.getTime()), value]);
          }
        }
        series.push({
          resource: item.resource,
          metric: item.metric,
          cloudMetric: metric.name.value,
          unit: metric.unit,
          periodSeconds: batch.periodSeconds,
          stat: batch.stat,
          points,
        });
      }
      return { series };
    },
  };
}
