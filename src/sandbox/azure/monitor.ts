// Azure Monitor platform metrics for virtual machines (Microsoft.Insights/metrics, api-version
// 2018-01-01 as @azure/arm-monitor 7 sends it) over the estate's metric generator: one resource
// per request, up to 20 metric names, timespan `start/end`, interval PT5M and up, aggregations
// Average/Minimum/Maximum/Total/Count. Periods without data are present with a timeStamp only,
// as Azure answers them; values come oldest first.
// https://learn.microsoft.com/rest/api/monitor/metrics/list

import { isoSeconds, type MetricName, type MetricStat, metricSeries } from '../estate/metrics.js';
import type { AzureVm } from '../estate/types.js';
import { estateSlot } from '../server/state.js';
import type { SandboxContext, SandboxRequest, SandboxResponse, SandboxService } from '../server/types.js';
import { armError, armJson } from './arm-protocol.js';
import { authenticateArmRequest } from './entra.js';

const METRICS_PATH =
  /^\/*(subscriptions\/([^/]+)\/resourceGroups\/[^/]+\/providers\/Microsoft\.Compute\/virtualMachines\/[^/]+)\/providers\/Microsoft\.Insights\/metrics\/?$/i;
export const MONITOR_API_VERSIONS = ['2018-01-01', '2019-07-01', '2021-05-01', '2023-10-01', '2024-02-01'];
export const MAX_METRIC_NAMES = 20;

/** VM platform metrics: Azure name → generator metric, unit, and the divisor of a per-second rate. */
const VM_METRICS: Record<string, { metric: MetricName; unit: string; perSecond?: boolean; description: string }> = {
  'Percentage CPU': {
    metric: 'cpu',
    unit: 'Percent',
    description: 'The percentage of allocated compute units that are currently in use by the Virtual Machine(s)',
  },
  'Network In Total': {
    metric: 'network-in',
    unit: 'Bytes',
    description: 'The number of bytes received on all network interfaces by the Virtual Machine(s) (Incoming Traffic)',
  },
  'Network Out Total': {
    metric: 'network-out',
    unit: 'Bytes',
    description: 'The number of bytes out on all network interfaces by the Virtual Machine(s) (Outgoing Traffic)',
  },
  'Disk Read Operations/Sec': { metric: 'disk-read-ops', unit: 'CountPerSecond', perSecond: true, description: 'Disk Read IOPS' },
  'Disk Write Operations/Sec': { metric: 'disk-write-ops', unit: 'CountPerSecond', perSecond: true, description: 'Disk Write IOPS' },
};

const AGGREGATIONS: Record<string, { stat: MetricStat; field: string }> = {
  average: { stat: 'avg', field: 'average' },
  minimum: { stat: 'min', field: 'minimum' },
  maximum: { stat: 'max', field: 'maximum' },
  total: { stat: 'sum', field: 'total' },
  count: { stat: 'count', field: 'count' },
};

const INTERVALS: Record<string, number> = { PT5M: 300, PT15M: 900, PT30M: 1800, PT1H: 3600, PT6H: 21_600, PT12H: 43_200, P1D: 86_400 };

const VMS_BY_LOWER_ID = estateSlot('azure.monitor.vms', ({ index }) => {
  const map = new Map<string, AzureVm>();
  for (const resource of index.byId.values()) if (resource.kind === 'azure.compute.vm') map.set(resource.id.toLowerCase(), resource);
  return map;
});

function vmByLowerId(ctx: SandboxContext): Map<string, AzureVm> {
  return ctx.state.get(VMS_BY_LOWER_ID);
}

function perSecond(value: number): number {
  return Math.round((value / 300) * 10_000) / 10_000;
}

function listMetrics(req: SandboxRequest, ctx: SandboxContext, resourceId: string): SandboxResponse {
  const params = req.url.searchParams;
  const vm = vmByLowerId(ctx).get(`/${resourceId}`.toLowerCase());
  if (!vm) return armError(404, 'ResourceNotFound', `The Resource '${resourceId.split('/providers/')[1] ?? resourceId}' was not found.`);
  const nowMs = Date.parse(ctx.estate.now);
  const timespan = params.get('timespan') ?? `${new Date(nowMs - 3_600_000).toISOString()}/${new Date(nowMs).toISOString()}`;
  const [from, to] = timespan.split('/');
  const startMs = Date.parse(from ?? '');
  const endMs = Date.parse(to ?? '');
  if (!Number.isFinite(startMs) || !Number.isFinite(endMs) || startMs >= endMs)
    return armError(400, 'BadRequest', `Invalid time range '${timespan}': expected 'start/end' in ISO 8601 with start before end.`);
  const intervalText = params.get('interval') ?? 'PT5M';
  const intervalSeconds = INTERVALS[intervalText.toUpperCase()];
  if (!intervalSeconds)
    return armError(
      400,
      'BadRequest',
      `Invalid interval '${intervalText}'. The sandbox's metrics have a five-minute grain; supported: ${Object.keys(INTERVALS).join(', ')}.`,
    );
  const names = (params.get('metricnames') ?? 'Percentage CPU').split(',').map((name) => name.trim());
  if (names.length > MAX_METRIC_NAMES)
    return armError(400, 'BadRequest', `Requested metrics count: ${names.length} bigger than allowed max: ${MAX_METRIC_NAMES}`);
  const byLower = new Map(Object.keys(VM_METRICS).map((name) => [name.toLowerCase(), name]));
  const unknown = names.find((name) => !byLower.has(name.toLowerCase()));
  if (unknown !== undefined) {
    return armError(
      400,
      'BadRequest',
      `Failed to find metric configuration for provider: Microsoft.Compute, resource Type: virtualMachines, metric: ${unknown}, Valid metrics: ${Object.keys(VM_METRICS).join(',')}`,
    );
  }
  const aggregationNames = (params.get('aggregation') ?? 'average').split(',').map((name) => name.trim().toLowerCase());
  const badAggregation = aggregationNames.find((name) => !AGGREGATIONS[name]);
  if (badAggregation !== undefined)
    return armError(400, 'BadRequest', `Invalid aggregation '${badAggregation}'. Valid: Average, Minimum, Maximum, Total, Count`);

  const { seed, now } = ctx.estate;
  // A 14-day answer has 4,032 points a metric: written as JSON text with cached timestamps rather
  // than built as objects for JSON.stringify; the document is the same.
  const value = names.map((requested) => {
    const name = byLower.get(requested.toLowerCase())!;
    const definition = VM_METRICS[name];
    const columns = aggregationNames.map((aggregation) => {
      const { stat, field } = AGGREGATIONS[aggregation];
      const series = metricSeries(seed, now, vm, definition.metric, { startMs, endMs, periodSeconds: intervalSeconds, stat });
      return { key: JSON.stringify(field), series, next: 0, rate: definition.perSecond && stat !== 'count' };
    });
    let data = '';
    for (let t = startMs; t < endMs; t += intervalSeconds * 1000) {
      let point = `{"timeStamp":"${isoSeconds(t)}"`;
      for (const column of columns) {
        // Both walk the same grid from startMs: a column's next timestamp is t or later.
        const { timestamps, values } = column.series;
        while (column.next < timestamps.length && timestamps[column.next] < t) column.next += 1;
        if (timestamps[column.next] !== t) continue;
        const v = values[column.next];
        point += `,${column.key}:${JSON.stringify(column.rate ? perSecond(v) : v)}`;
      }
      data += `${data === '' ? '' : ','}${point}}`;
    }
    const head = JSON.stringify({
      id: `/${resourceId}/providers/Microsoft.Insights/metrics/${name}`,
      type: 'Microsoft.Insights/metrics',
      name: { value: name, localizedValue: name },
      displayDescription: definition.description,
      unit: definition.unit,
    });
    return `${head.slice(0, -1)},"timeseries":[{"metadatavalues":[],"data":[${data}]}],"errorCode":"Success"}`;
  });
  const head = JSON.stringify({
    cost: value.length * Math.ceil((endMs - startMs) / (intervalSeconds * 1000)),
    timespan: `${isoSeconds(startMs)}/${isoSeconds(endMs)}`,
    interval: intervalText.toUpperCase(),
    namespace: 'Microsoft.Compute/virtualMachines',
    resourceregion: vm.region,
  });
  return { ...armJson(200, {}), body: `${head.slice(0, -1)},"value":[${value.join(',')}]}` };
}

export const monitorService: SandboxService = {
  name: 'azure.monitor',
  matches: (req) => !req.aws && METRICS_PATH.test(req.url.pathname),
  // Azure Monitor answers from the resource's region: throttling and outages follow the VM's location.
  scope: (req, ctx) => {
    const match = METRICS_PATH.exec(req.url.pathname);
    const vm = match ? vmByLowerId(ctx).get(`/${match[1]}`.toLowerCase()) : undefined;
    return { account: match?.[2]?.toLowerCase() ?? 'unknown', region: vm?.region ?? 'global' };
  },
  handle(req, ctx) {
    const auth = authenticateArmRequest(req, ctx);
    if ('response' in auth) return auth.response;
    const apiVersion = req.url.searchParams.get('api-version');
    if (!apiVersion)
      return armError(400, 'MissingApiVersionParameter', 'The api-version query parameter (?api-version=) is required for all requests.');
    if (!MONITOR_API_VERSIONS.includes(apiVersion)) {
      return armError(
        400,
        'InvalidApiVersionParameter',
        `The api-version '${apiVersion}' is invalid. The supported versions are '${MONITOR_API_VERSIONS.join(',')}'.`,
      );
    }
    if (req.method !== 'GET')
      return armError(405, 'MethodNotAllowed', `The requested resource does not support http method '${req.method}'.`);
    const resourceId = METRICS_PATH.exec(req.url.pathname)![1];
    return listMetrics(req, ctx, resourceId);
  },
  faultResponse: (_req, fault, retryAfterSeconds) => {
    if (fault === 'throttle') {
      const seconds = String(retryAfterSeconds ?? 1);
      return armError(429, 'TooManyRequests', `The request is being throttled. Please try again after ${seconds} seconds.`, {
        'retry-after': seconds,
      });
    }
    if (fault === 'outage')
      return armError(
        504,
        'GatewayTimeout',
        "The gateway did not receive a response from 'Microsoft.Insights' within the specified time period.",
      );
    return armError(503, 'ServiceUnavailable', 'The server is currently unavailable to handle the request. Please retry after some time.', {
      'retry-after': '1',
    });
  },
};
