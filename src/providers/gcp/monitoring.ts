// Reads Compute Engine instance utilisation from Cloud Monitoring projects.timeSeries.list through
// @google-cloud/monitoring's REST transport (fallback mode, as the compute clients run: its
// protos ship as JSON, so no protobufjs install script is needed). A filter names one metric
// type, so a batch is one project × metric × as many instances as a filter can name (`one_of`);
// pages follow nextPageToken (at most 100,000 points each). Points come newest first and carry
// the end of their alignment period; a series' point is stamped with its period's start.
// https://cloud.google.com/monitoring/api/ref_v3/rest/v3/projects.timeSeries/list

import type { GcpSettings } from '../../config/profile.js';
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
} from '../../model/metric.js';
import type { ProviderFaces } from '../types.js';
import { type ComputeClient, callCompute, endpointOptions } from './clients.js';
import { resolveGcpCredentials } from './credentials.js';

/** projects.timeSeries.list, one filter per project × metric type. */
export const METRIC_PERMISSIONS = ['monitoring.timeSeries.list'];

/**
 * How long a batch's filter may be once URL-encoded. The REST transport sends it in the query
 * string of a GET, and Cloud Monitoring documents no length of its own for a filter (its quotas
 * page lists none; REFERENCE.md has none): what bounds it is the URL. RFC 9110 §4.1 asks every
 * HTTP recipient to take request URIs of at least 8,000 octets; this leaves 2,000 of them for
 * the host, path, interval, aggregation and page token. About 200 instance ids a filter.
 */
export const MAX_FILTER_URL_CHARS = 6_000;

const METRICS: Partial<Record<MetricName, { type: string; unit: string; labels?: string }>> = {
  cpu: { type: 'compute.googleapis.com/instance/cpu/utilization', unit: '10^2.%' },
  'network-in': { type: 'compute.googleapis.com/instance/network/received_bytes_count', unit: 'By' },
  'network-out': { type: 'compute.googleapis.com/instance/network/sent_bytes_count', unit: 'By' },
  'disk-read-ops': { type: 'compute.googleapis.com/instance/disk/read_ops_count', unit: '1' },
  'disk-write-ops': { type: 'compute.googleapis.com/instance/disk/write_ops_count', unit: '1' },
  // The Ops Agent's disk use, one series per device and state: the used share.
  'disk-used': { type: 'agent.googleapis.com/disk/percent_used', unit: '%', labels: 'metric.labels.state = "used"' },
};

const ALIGNERS: Record<MetricStat, string> = { average: 'ALIGN_MEAN', maximum: 'ALIGN_MAX', p95: 'ALIGN_PERCENTILE_95' };

type Json = Record<string, unknown>;

function gapReason(metric: MetricName): string {
  if (metric === 'memory')
    return 'memory unknown: Compute Engine publishes no memory metric without the Ops Agent (agent.googleapis.com/memory/percent_used)';
  return `Compute Engine has no ${metric} metric in Cloud Monitoring`;
}

export function planCloudMonitoring(query: MetricQuery): MetricPlan {
  const gaps: MetricGap[] = [];
  const byProject = new Map<string, MetricQuery['resources']>();
  for (const resource of query.resources) {
    if (resource.kind !== 'gcp.compute.instance') continue;
    let list = byProject.get(resource.account);
    if (!list) {
      list = [];
      byProject.set(resource.account, list);
    }
    list.push(resource);
  }
  const batches: MetricBatch[] = [];
  for (const [project, resources] of byProject) {
    for (const metric of query.metrics ?? KIND_METRICS['gcp.compute.instance'] ?? []) {
      if (!METRICS[metric]) {
        for (const resource of resources) gaps.push({ resource, metric, reason: gapReason(metric) });
        continue;
      }
      const type = METRICS[metric]!.type;
      let from = 0;
      while (from < resources.length) {
        // As many instances as the filter can name; always at least one, however long its id.
        let to = from + 1;
        let length = encodedLength(instanceFilter(type, [resources[from].id], METRICS[metric]!.labels));
        while (to < resources.length) {
          length += encodedLength(`,${JSON.stringify(resources[to].id)}`);
          if (length > MAX_FILTER_URL_CHARS) break;
          to += 1;
        }
        batches.push({
          account: project,
          region: 'global',
          items: resources.slice(from, to).map((resource) => ({ resource, metric })),
          start: query.start,
          end: query.end,
          periodSeconds: query.periodSeconds,
          stat: query.stat,
        });
        from = to;
      }
    }
  }
  return { batches, gaps };
}

/** The filter naming one metric type of these instances. */
export function instanceFilter(type: string, ids: readonly string[], labels?: string): string {
  return `metric.type = "${type}"${labels ? ` AND ${labels}` : ''} AND resource.type = "gce_instance" AND resource.labels.instance_id = one_of(${ids.map((id) => JSON.stringify(id)).join(',')})`;
}

const encodedLength = (text: string) => encodeURIComponent(text).length;

/** The ListTimeSeries request of a batch (the client transcodes it to the REST query string). */
export function timeSeriesRequest(batch: MetricBatch, token: string | undefined): Json {
  const type = METRICS[batch.items[0].metric]!.type;
  const seconds = (iso: string) => ({ seconds: Math.floor(Date.parse(iso) / 1000) });
  return {
    name: `projects/${batch.account}`,
    filter: instanceFilter(
      type,
      batch.items.map((item) => item.resource.id),
      METRICS[batch.items[0].metric]!.labels,
    ),
    interval: { startTime: seconds(batch.start), endTime: seconds(batch.end) },
    aggregation: { alignmentPeriod: { seconds: batch.periodSeconds }, perSeriesAligner: ALIGNERS[batch.stat] },
    view: 'FULL',
    ...(token ? { pageToken: token } : {}),
  };
}

/** A protobuf Timestamp as the REST transport decodes it ({seconds, nanos}) or an RFC 3339 string. */
function epochMs(value: unknown): number {
  if (typeof value === 'string') return Date.parse(value);
  const stamp = value as { seconds?: number | string; nanos?: number } | undefined;
  return Number(stamp?.seconds ?? 0) * 1000 + Math.floor((stamp?.nanos ?? 0) / 1e6);
}

/** The point's value as the API sent it: doubleValue, or int64Value (a decimal string on the wire). */
function pointValue(value: Json | undefined): number | undefined {
  if (!value) return undefined;
  if (value.doubleValue !== undefined && value.doubleValue !== null) return Number(value.doubleValue);
  if (value.int64Value !== undefined && value.int64Value !== null) return Number(value.int64Value);
  return undefined;
}

export function createMonitoringReader(
  settings: GcpSettings,
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
): Pick<ProviderFaces, 'metricPlan' | 'metrics'> & { close(): Promise<void> } {
  let client: Promise<ComputeClient> | undefined;
  const metricClient = () => {
    client ??= (async () => {
      const credentials = await resolveGcpCredentials(settings, env);
      const { MetricServiceClient } = await import('@google-cloud/monitoring/build/src/v3/metric_service_client.js');
      const made = new MetricServiceClient({ auth: credentials.auth, fallback: true, ...endpointOptions(settings.endpoint) } as never);
      await made.initialize();
      return made as unknown as ComputeClient;
    })().catch((error) => {
      client = undefined;
      throw error;
    });
    return client;
  };
  return {
    metricPlan: async (query) => planCloudMonitoring(query),
    async metrics({ batch, token }, options) {
      const response = ((
        await callCompute(await metricClient(), 'listTimeSeries', timeSeriesRequest(batch, token), options.signal, timeoutMs)
      )[2] ?? {}) as Json;
      const byId = new Map(batch.items.map((item) => [item.resource.id, item]));
      const definition = METRICS[batch.items[0].metric]!;
      const series: MetricSeries[] = [];
      for (const raw of (response.timeSeries as Json[] | undefined) ?? []) {
        const labels = ((raw.resource as Json | undefined)?.labels ?? {}) as Record<string, string>;
        const item = byId.get(labels.instance_id);
        if (!item) continue;
        const points: MetricSeries['points'] = [];
        for (const point of (raw.points as Json[] | undefined) ?? []) {
          const value = pointValue(point.value as Json | undefined);
          const end = epochMs((point.interval as Json | undefined)?.endTime);
          if (value !== undefined && Number.isFinite(end)) points.push([pointTimestamp(end - batch.periodSeconds * 1000), value]);
        }
        points.reverse();
        series.push({
          resource: item.resource,
          metric: item.metric,
          cloudMetric: definition.type,
          unit: typeof raw.unit === 'string' && raw.unit !== '' ? raw.unit : definition.unit,
          periodSeconds: batch.periodSeconds,
          stat: batch.stat,
          points,
        });
      }
      const next = typeof response.nextPageToken === 'string' && response.nextPageToken !== '' ? response.nextPageToken : undefined;
      return { series, ...(next ? { next } : {}) };
    },
    async close() {
      const made = await client?.catch(() => undefined);
      await made?.close();
    },
  };
}
