// Cloud Monitoring projects.timeSeries.list (REST, as @google-cloud/monitoring sends it in
// fallback mode) for Compute Engine instances over the estate's metric generator. One metric type
// per request (the filter's `metric.type`), instances chosen by `resource.labels.instance_id`
// (`=` or `one_of(…)`) and `resource.labels.zone`; points aligned per `aggregation.alignmentPeriod`,
// newest first; at most `pageSize` points a page (100,000 by default), the rest by nextPageToken.
// https://cloud.google.com/monitoring/api/ref_v3/rest/v3/projects.timeSeries/list

import { isoSeconds, type MetricName, type MetricStat, metricPointCount, metricSeries } from '../estate/metrics.js';
import type { GcpInstance } from '../estate/types.js';
import { estateSlot } from '../server/state.js';
import type { SandboxContext, SandboxRequest, SandboxResponse, SandboxService } from '../server/types.js';
import { googleError, jsonResponse } from './google-errors.js';
import { checkAccessToken } from './oauth.js';

const LIST_PATH = /^\/v3\/projects\/([^/]+)\/timeSeries\/?$/;
export const MAX_PAGE_POINTS = 100_000;

/** Instance metrics: type → generator metric, kind, value type and unit as the descriptors say. */
const METRICS: Record<
  string,
  {
    metric: MetricName;
    kind: 'GAUGE' | 'DELTA';
    valueType: 'DOUBLE' | 'INT64';
    unit: string;
    scale?: number;
    /** The metric's own labels on every series (the Ops Agent's disk metrics: device and state). */
    labels?: Record<string, string>;
  }
> = {
  'compute.googleapis.com/instance/cpu/utilization': { metric: 'cpu', kind: 'GAUGE', valueType: 'DOUBLE', unit: '10^2.%', scale: 0.01 },
  'compute.googleapis.com/instance/network/received_bytes_count': { metric: 'network-in', kind: 'DELTA', valueType: 'INT64', unit: 'By' },
  'compute.googleapis.com/instance/network/sent_bytes_count': { metric: 'network-out', kind: 'DELTA', valueType: 'INT64', unit: 'By' },
  'compute.googleapis.com/instance/disk/read_ops_count': { metric: 'disk-read-ops', kind: 'DELTA', valueType: 'INT64', unit: '1' },
  'compute.googleapis.com/instance/disk/write_ops_count': { metric: 'disk-write-ops', kind: 'DELTA', valueType: 'INT64', unit: '1' },
  // The Ops Agent on every instance: the root disk's share in each state; the generator knows "used".
  'agent.googleapis.com/disk/percent_used': {
    metric: 'disk-used',
    kind: 'GAUGE',
    valueType: 'DOUBLE',
    unit: '%',
    labels: { device: 'sda1', state: 'used' },
  },
};

/** Aligners, by name and by the enum number gax may send; whether the result is always DOUBLE. */
const ALIGNERS: Record<string, { stat: MetricStat; double: boolean }> = {
  ALIGN_MEAN: { stat: 'avg', double: true },
  ALIGN_MAX: { stat: 'max', double: false },
  ALIGN_MIN: { stat: 'min', double: false },
  ALIGN_SUM: { stat: 'sum', double: false },
  ALIGN_COUNT: { stat: 'count', double: false },
  ALIGN_PERCENTILE_99: { stat: 'p99', double: true },
  ALIGN_PERCENTILE_95: { stat: 'p95', double: true },
  ALIGN_PERCENTILE_50: { stat: 'p50', double: true },
  ALIGN_PERCENTILE_05: { stat: 'p5', double: true },
};
const ALIGNER_NUMBERS: Record<string, string> = {
  '12': 'ALIGN_MEAN',
  '10': 'ALIGN_MIN',
  '11': 'ALIGN_MAX',
  '13': 'ALIGN_COUNT',
  '14': 'ALIGN_SUM',
  '18': 'ALIGN_PERCENTILE_99',
  '19': 'ALIGN_PERCENTILE_95',
  '20': 'ALIGN_PERCENTILE_50',
  '21': 'ALIGN_PERCENTILE_05',
};

class BadRequest extends Error {}

interface Filter {
  metricType: string;
  /** metric.labels.NAME = value clauses: a series is listed only when its labels have these values. */
  metricLabels: Map<string, Set<string>>;
  instanceIds?: Set<string>;
  zones?: Set<string>;
}

const QUOTED = /^"((?:[^"\\]|\\.)*)"$/;

function values(text: string): string[] {
  const trimmed = text.trim();
  const oneOf = /^one_of\((.*)\)$/s.exec(trimmed);
  const parts = oneOf ? oneOf[1].split(',').map((part) => part.trim()) : [trimmed];
  return parts.map((part) => {
    const match = QUOTED.exec(part);
    if (!match) throw new BadRequest(`The value ${part} must be a double-quoted string.`);
    return match[1].replace(/\\(.)/g, '$1');
  });
}

/** The subset of the monitoring filter language a metrics reader uses: `field = value` clauses joined by AND. */
function parseFilter(text: string): Filter {
  const filter: Partial<Filter> = { metricLabels: new Map() };
  for (const clause of text.split(/\s+AND\s+/)) {
    const match = /^\s*([a-z_.]+)\s*=\s*(.+?)\s*$/s.exec(clause);
    if (!match) throw new BadRequest(`Could not parse the filter clause '${clause.trim()}'.`);
    const [, field, value] = match;
    const list = values(value);
    if (field === 'metric.type') filter.metricType = list[0];
    else if (field === 'resource.type') {
      if (list[0] !== 'gce_instance') filter.instanceIds = new Set();
    } else if (field === 'resource.labels.instance_id' || field === 'resource.label.instance_id') filter.instanceIds = new Set(list);
    else if (field === 'resource.labels.zone' || field === 'resource.label.zone') filter.zones = new Set(list);
    else if (/^metric\.labels?\.[a-z_]+$/.test(field)) filter.metricLabels!.set(field.slice(field.lastIndexOf('.') + 1), new Set(list));
    else if (field !== 'resource.labels.project_id' && field !== 'project')
      throw new BadRequest(`The sandbox does not filter on ${field}.`);
  }
  if (!filter.metricType) throw new BadRequest('A filter must specify a metric type: metric.type = "…".');
  return filter as Filter;
}

function seconds(text: string | null, name: string): number {
  const match = text === null ? null : /^(\d+)(\.\d+)?s$/.exec(text);
  if (!match || Number(match[1]) <= 0)
    throw new BadRequest(`Field ${name} had an invalid value of "${text}": expected a duration such as "300s".`);
  return Number(match[1]);
}

function timeParam(params: URLSearchParams, name: string): number {
  const text = params.get(name);
  const ms = text === null ? Number.NaN : Date.parse(text);
  if (!Number.isFinite(ms)) throw new BadRequest(`Field ${name} had an invalid value of "${text}".`);
  return ms;
}

function listTimeSeries(req: SandboxRequest, ctx: SandboxContext, project: string): SandboxResponse {
  const params = req.url.searchParams;
  const filter = parseFilter(params.get('filter') ?? '');
  const endMs = timeParam(params, 'interval.endTime');
  const startMs = params.has('interval.startTime') ? timeParam(params, 'interval.startTime') : endMs;
  if (startMs > endMs) throw new BadRequest('The start time must be before the end time.');
  const alignerText = params.get('aggregation.perSeriesAligner') ?? '';
  const alignerName = ALIGNER_NUMBERS[alignerText] ?? alignerText;
  const aligner = ALIGNERS[alignerName];
  if (!aligner)
    throw new BadRequest(`The sandbox serves aligned series only; perSeriesAligner ${alignerText || '(none)'} is not supported.`);
  const period = seconds(params.get('aggregation.alignmentPeriod'), 'aggregation.alignmentPeriod');
  if (period % 300 !== 0)
    throw new BadRequest(`The sandbox's metrics have a five-minute grain: alignmentPeriod must be a multiple of 300s.`);
  const pageSizeText = params.get('pageSize');
  const pageSize = pageSizeText === null || Number(pageSizeText) <= 0 ? MAX_PAGE_POINTS : Math.min(MAX_PAGE_POINTS, Number(pageSizeText));
  if (!Number.isInteger(pageSize)) throw new BadRequest(`Invalid pageSize ${pageSizeText}.`);

  const definition = METRICS[filter.metricType];
  if (!definition) return jsonResponse({});
  for (const [name, wanted] of filter.metricLabels) if (!wanted.has(definition.labels?.[name] ?? '')) return jsonResponse({});
  const instances = ((ctx.index.byAccount.get(`gcp.compute.instance|${project}`) ?? []) as GcpInstance[]).filter(
    (instance) => (!filter.instanceIds || filter.instanceIds.has(instance.id)) && (!filter.zones || filter.zones.has(instance.region)),
  );
  const { seed, now } = ctx.estate;
  const seriesOf = (instance: GcpInstance) =>
    metricSeries(seed, now, instance, definition.metric, { startMs, endMs, periodSeconds: period, stat: aligner.stat });
  // Paging re-sends the request: count each series' points once per request.
  const counts = countsFor(ctx, JSON.stringify([project, [...params].filter(([key]) => key !== 'pageToken')]), () =>
    instances.map((instance) =>
      metricPointCount(seed, now, instance, definition.metric, { startMs, endMs, periodSeconds: period, stat: aligner.stat }),
    ),
  );
  const total = counts.reduce((sum, n) => sum + n, 0);
  let offset = 0;
  const token = params.get('pageToken');
  if (token) {
    offset = Number(Buffer.from(token, 'base64url').toString('utf8'));
    if (!Number.isInteger(offset) || offset < 0 || offset > total) throw new BadRequest(`Invalid page token ${token}.`);
  }
  const stop = Math.min(total, offset + pageSize);
  const double = aligner.double || definition.valueType === 'DOUBLE';
  // An aligned DELTA stays a DELTA only under ALIGN_SUM; every other aligner yields a GAUGE.
  const outputKind = definition.kind === 'DELTA' && aligner.stat === 'sum' ? 'DELTA' : 'GAUGE';
  // A page carries up to 100,000 points: its JSON is written as text, each point's times taken from
  // a cache, rather than built as objects for JSON.stringify (what the real API sends, byte for byte
  // the same shape: {"timeSeries":[…],"nextPageToken":…,"unit":…}).
  const parts: string[] = [];
  let at = 0;
  for (let i = 0; i < instances.length; i++) {
    const from = at;
    at += counts[i];
    if (counts[i] === 0 || at <= offset || from >= stop) continue;
    const instance = instances[i];
    const series = seriesOf(instance);
    let points = '';
    // Newest first: position p of the page is the (count-1-p)-th period of the ascending series.
    for (let p = Math.max(0, offset - from); p < Math.min(counts[i], stop - from); p++) {
      const k = counts[i] - 1 - p;
      const end = series.timestamps[k] + period * 1000;
      const raw = series.values[k] * (definition.scale ?? 1);
      const endText = isoSeconds(end);
      const startText = outputKind === 'GAUGE' ? endText : isoSeconds(end - period * 1000);
      const value = double ? `{"doubleValue":${JSON.stringify(raw)}}` : `{"int64Value":"${Math.round(raw)}"}`;
      points += `${points === '' ? '' : ','}{"interval":{"startTime":"${startText}","endTime":"${endText}"},"value":${value}}`;
    }
    const head = JSON.stringify({
      metric: { type: filter.metricType, labels: { ...definition.labels, instance_name: instance.name } },
      resource: { type: 'gce_instance', labels: { project_id: project, instance_id: instance.id, zone: instance.region } },
      metricKind: outputKind,
      valueType: double ? 'DOUBLE' : 'INT64',
    });
    parts.push(`${head.slice(0, -1)},"points":[${points}],"unit":${JSON.stringify(definition.unit)}}`);
  }
  const next = stop < total ? `,"nextPageToken":${JSON.stringify(Buffer.from(String(stop)).toString('base64url'))}` : '';
  return { ...jsonResponse({}), body: `{"timeSeries":[${parts.join(',')}]${next},"unit":${JSON.stringify(definition.unit)}}` };
}

const COUNTS = estateSlot('gcp.monitoring.counts', () => new Map<string, number[]>());

function countsFor(ctx: SandboxContext, key: string, compute: () => number[]): number[] {
  const cache = ctx.state.get(COUNTS);
  let counts = cache.get(key);
  if (!counts) {
    counts = compute();
    cache.set(key, counts);
    if (cache.size > 4096) cache.delete(cache.keys().next().value as string);
  }
  return counts;
}

function handle(req: SandboxRequest, ctx: SandboxContext): SandboxResponse {
  const denied = checkAccessToken(req, ctx, 'google.monitoring.v3.MetricService.ListTimeSeries', 'monitoring.googleapis.com');
  if (denied) return denied;
  const project = LIST_PATH.exec(req.url.pathname)?.[1];
  if (!project || req.method !== 'GET') return googleError(404, 'The requested URL was not found on this server.', { reason: 'notFound' });
  if (!ctx.estate.gcp.projects.some((p) => p.id === project))
    return googleError(403, `Permission monitoring.timeSeries.list denied (or the resource may not exist) on projects/${project}.`, {
      reason: 'forbidden',
    });
  try {
    return listTimeSeries(req, ctx, project);
  } catch (error) {
    if (error instanceof BadRequest) return googleError(400, error.message, { reason: 'badRequest' });
    throw error;
  }
}

export const monitoringService: SandboxService = {
  name: 'gcp.monitoring',
  matches: (req) => !req.aws && req.url.pathname.startsWith('/v3/projects/'),
  scope: (req) => ({ account: LIST_PATH.exec(req.url.pathname)?.[1] ?? 'unknown', region: 'global' }),
  handle,
  faultResponse: (req, fault) => {
    const project = LIST_PATH.exec(req.url.pathname)?.[1] ?? 'unknown';
    if (fault === 'throttle') {
      return googleError(
        429,
        `Quota exceeded for quota metric 'Time series queries' and limit 'Time series queries per minute' of service 'monitoring.googleapis.com' for consumer 'project:${project}'.`,
        {
          reason: 'rateLimitExceeded',
          domain: 'usageLimits',
          errorInfo: { reason: 'RATE_LIMIT_EXCEEDED', metadata: { consumer: `projects/${project}` } },
        },
      );
    }
    return googleError(503, 'The service is currently unavailable.', { reason: 'backendError' });
  },
};
