// Amazon CloudWatch GetMetricData over the estate's metric generator, in both protocols current
// clients speak: AWS JSON 1.0 (target GraniteServiceVersion20100801.*, query-compatible errors),
// which the JS SDK v3 sends, and the query protocol (form body, XML answer), which awscli v2.9
// sends. Up to 500 queries a request, at most 100,800 points a response (fewer with
// MaxDatapoints), the rest through NextToken; newest first unless ScanBy=TimestampAscending.
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_GetMetricData.html

import { isoSeconds, type MetricName, type MetricStat, metricPointCount, metricSeries } from '../estate/metrics.js';
import type { EstateResource, LoadBalancer, RdsInstance } from '../estate/types.js';
import { estateSlot } from '../server/state.js';
import type { SandboxContext, SandboxRequest, SandboxResponse, SandboxService } from '../server/types.js';
import { callerScope, resolveCaller } from './identity.js';
import { decodeToken, el, encodeToken, esc, queryParams, requestId, xmlResponse } from './protocol.js';

const XMLNS = 'http://monitoring.amazonaws.com/doc/2010-08-01/';
const TARGET_PREFIX = 'GraniteServiceVersion20100801.';
export const MAX_QUERIES = 500;
export const MAX_DATAPOINTS = 100_800;

/** The metrics the sandbox publishes, per namespace: CloudWatch name → generator metric. */
const NAMESPACES: Record<
  string,
  { dimension: string; kind: EstateResource['kind']; metrics: Record<string, MetricName>; extraDimensions?: Record<string, string> }
> = {
  'AWS/EC2': {
    dimension: 'InstanceId',
    kind: 'aws.ec2.instance',
    metrics: {
      CPUUtilization: 'cpu',
      NetworkIn: 'network-in',
      NetworkOut: 'network-out',
      DiskReadOps: 'disk-read-ops',
      DiskWriteOps: 'disk-write-ops',
    },
  },
  // The CloudWatch agent on every instance, publishing root filesystem use per InstanceId and path
  // (aggregation_dimensions [["InstanceId", "path"]]).
  CWAgent: {
    dimension: 'InstanceId',
    kind: 'aws.ec2.instance',
    metrics: { disk_used_percent: 'disk-used' },
    extraDimensions: { path: '/' },
  },
  'AWS/RDS': {
    dimension: 'DBInstanceIdentifier',
    kind: 'aws.rds.instance',
    metrics: { CPUUtilization: 'cpu', DatabaseConnections: 'db-connections', FreeStorageSpace: 'free-storage' },
  },
  // Load balancers are named by the ARN's tail (app/name/id, net/name/id), each type in its namespace.
  'AWS/ApplicationELB': { dimension: 'LoadBalancer', kind: 'aws.elbv2.load-balancer', metrics: { RequestCount: 'requests' } },
  'AWS/NetworkELB': { dimension: 'LoadBalancer', kind: 'aws.elbv2.load-balancer', metrics: { NewFlowCount: 'requests' } },
};

const STATS: Record<string, MetricStat> = { Average: 'avg', Maximum: 'max', Minimum: 'min', Sum: 'sum', SampleCount: 'count' };
const PERCENTILE = /^p(\d{1,2}(\.\d{1,2})?|100)$/;
const QUERY_ID = /^[a-z][a-zA-Z0-9_]*$/;

interface Dimension {
  Name?: string;
  Value?: string;
}

interface MetricDataQuery {
  Id?: string;
  MetricStat?: {
    Metric?: { Namespace?: string; MetricName?: string; Dimensions?: Dimension[] };
    Period?: number;
    Stat?: string;
    Unit?: string;
  };
  Expression?: string;
  Label?: string;
  ReturnData?: boolean;
  Period?: number;
}

interface GetMetricDataInput {
  MetricDataQueries?: MetricDataQuery[];
  /** Epoch milliseconds (both protocols are read into this). */
  StartTime?: number;
  EndTime?: number;
  NextToken?: string;
  ScanBy?: string;
  MaxDatapoints?: number;
}

interface Result {
  id: string;
  label: string;
  timestamps: number[];
  values: number[];
}

class Invalid extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The JSON protocol sends epoch seconds; the query protocol ISO 8601 (both accepted by AWS). */
function timeOf(value: unknown, name: string): number {
  const ms = typeof value === 'number' ? value * 1000 : typeof value === 'string' ? Date.parse(value) : Number.NaN;
  if (!Number.isFinite(ms)) throw new Invalid('InvalidParameterValue', `The parameter ${name} must be a valid timestamp.`);
  return ms;
}

function readJsonInput(body: string): GetMetricDataInput {
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(body || '{}');
  } catch {
    throw new Invalid('SerializationException', 'Malformed JSON body');
  }
  return {
    MetricDataQueries: raw.MetricDataQueries as MetricDataQuery[] | undefined,
    StartTime: raw.StartTime === undefined ? undefined : timeOf(raw.StartTime, 'StartTime'),
    EndTime: raw.EndTime === undefined ? undefined : timeOf(raw.EndTime, 'EndTime'),
    NextToken: raw.NextToken as string | undefined,
    ScanBy: raw.ScanBy as string | undefined,
    MaxDatapoints: raw.MaxDatapoints as number | undefined,
  };
}

function readQueryInput(params: URLSearchParams): GetMetricDataInput {
  const queries: MetricDataQuery[] = [];
  for (let n = 1; ; n++) {
    const p = `MetricDataQueries.member.${n}`;
    if (params.get(`${p}.Id`) === null && params.get(`${p}.MetricStat.Metric.MetricName`) === null) break;
    const dimensions: Dimension[] = [];
    for (let d = 1; ; d++) {
      const name = params.get(`${p}.MetricStat.Metric.Dimensions.member.${d}.Name`);
      if (name === null) break;
      dimensions.push({ Name: name, Value: params.get(`${p}.MetricStat.Metric.Dimensions.member.${d}.Value`) ?? undefined });
    }
    const period = params.get(`${p}.MetricStat.Period`);
    const namespace = params.get(`${p}.MetricStat.Metric.Namespace`);
    queries.push({
      Id: params.get(`${p}.Id`) ?? undefined,
      Label: params.get(`${p}.Label`) ?? undefined,
      Expression: params.get(`${p}.Expression`) ?? undefined,
      ReturnData: params.get(`${p}.ReturnData`) === null ? undefined : params.get(`${p}.ReturnData`) === 'true',
      MetricStat:
        namespace === null && period === null
          ? undefined
          : {
              Metric: {
                Namespace: namespace ?? undefined,
                MetricName: params.get(`${p}.MetricStat.Metric.MetricName`) ?? undefined,
                Dimensions: dimensions,
              },
              Period: period === null ? undefined : Number(period),
              Stat: params.get(`${p}.MetricStat.Stat`) ?? undefined,
            },
    });
  }
  const start = params.get('StartTime');
  const end = params.get('EndTime');
  const max = params.get('MaxDatapoints');
  return {
    MetricDataQueries: queries,
    StartTime: start === null ? undefined : timeOf(start, 'StartTime'),
    EndTime: end === null ? undefined : timeOf(end, 'EndTime'),
    NextToken: params.get('NextToken') ?? undefined,
    ScanBy: params.get('ScanBy') ?? undefined,
    MaxDatapoints: max === null ? undefined : Number(max),
  };
}

/** By `${account}|${region}`. */
const RDS_BY_IDENTIFIER = estateSlot('aws.cloudwatch.rds', () => new Map<string, Map<string, EstateResource>>());

/** RDS instances of one account × region by DBInstanceIdentifier (built once per scope). */
function rdsByIdentifier(ctx: SandboxContext, account: string, region: string): Map<string, EstateResource> {
  const scopes = ctx.state.get(RDS_BY_IDENTIFIER);
  const key = `${account}|${region}`;
  let map = scopes.get(key);
  if (!map) {
    map = new Map();
    for (const r of (ctx.index.byScope.get(`aws.rds.instance|${account}|${region}`) ?? []) as RdsInstance[]) map.set(r.spec.identifier, r);
    scopes.set(key, map);
  }
  return map;
}

/** By `${account}|${region}`. */
const LOAD_BALANCERS_BY_DIMENSION = estateSlot('aws.cloudwatch.elb', () => new Map<string, Map<string, EstateResource>>());

/** Load balancers of one account × region by their LoadBalancer dimension (built once per scope). */
function loadBalancersByDimension(ctx: SandboxContext, account: string, region: string): Map<string, EstateResource> {
  const scopes = ctx.state.get(LOAD_BALANCERS_BY_DIMENSION);
  const key = `${account}|${region}`;
  let map = scopes.get(key);
  if (!map) {
    map = new Map();
    for (const r of (ctx.index.byScope.get(`aws.elbv2.load-balancer|${account}|${region}`) ?? []) as LoadBalancer[]) {
      const tail = r.id.slice(r.id.indexOf(':loadbalancer/') + ':loadbalancer/'.length);
      // A network load balancer publishes nothing to AWS/ApplicationELB and the other way round.
      map.set(`${r.spec.type === 'network' ? 'AWS/NetworkELB' : 'AWS/ApplicationELB'}|${tail}`, r);
    }
    scopes.set(key, map);
  }
  return map;
}

interface Resolved {
  id: string;
  label: string;
  resource?: EstateResource;
  metric?: MetricName;
  periodSeconds: number;
  stat: MetricStat;
}

function resolveQuery(query: MetricDataQuery, account: string, region: string, ctx: SandboxContext): Resolved {
  const id = query.Id ?? '';
  if (!QUERY_ID.test(id))
    throw new Invalid(
      'ValidationError',
      `The value ${id} for parameter MetricDataQueries.member.Id is not valid: it must start with a lowercase letter.`,
    );
  if (query.Expression !== undefined) throw new Invalid('ValidationError', 'The sandbox does not evaluate metric math expressions.');
  const stat = query.MetricStat;
  if (!stat?.Metric?.MetricName || !stat.Metric.Namespace || stat.Period === undefined || !stat.Stat)
    throw new Invalid('ValidationError', `Query ${id}: exactly one of Expression and MetricStat (Metric, Period, Stat) must be specified.`);
  const period = stat.Period;
  if (!Number.isInteger(period) || period < 1 || (period >= 60 ? period % 60 !== 0 : ![1, 5, 10, 30].includes(period)))
    throw new Invalid(
      'InvalidParameterValue',
      `The parameter MetricDataQueries.member.Period must be 1, 5, 10, 30 or a multiple of 60 (got ${period}).`,
    );
  const statName = STATS[stat.Stat] ?? (PERCENTILE.test(stat.Stat) ? (stat.Stat as MetricStat) : undefined);
  if (!statName)
    throw new Invalid(
      'InvalidParameterValue',
      `The value ${stat.Stat} for parameter MetricDataQueries.member.MetricStat.Stat is not valid.`,
    );
  const label = query.Label ?? stat.Metric.MetricName;
  const namespace = NAMESPACES[stat.Metric.Namespace];
  const metric = namespace?.metrics[stat.Metric.MetricName];
  const dimensions = stat.Metric.Dimensions ?? [];
  // A metric is identified by its exact dimension set: anything else matches no data.
  const extra = Object.entries(namespace?.extraDimensions ?? {});
  const main = dimensions.find((d) => d.Name === namespace?.dimension);
  const exact =
    dimensions.length === 1 + extra.length &&
    main !== undefined &&
    extra.every(([name, wanted]) => dimensions.some((d) => d.Name === name && d.Value === wanted));
  if (!namespace || !metric || !exact) return { id, label, periodSeconds: period, stat: statName };
  const value = main.Value ?? '';
  const resource =
    namespace.kind === 'aws.rds.instance'
      ? rdsByIdentifier(ctx, account, region).get(value)
      : namespace.kind === 'aws.elbv2.load-balancer'
        ? loadBalancersByDimension(ctx, account, region).get(`${stat.Metric.Namespace}|${value}`)
        : ctx.index.byId.get(value);
  const visible = resource && resource.kind === namespace.kind && resource.account === account && resource.region === region;
  return { id, label, resource: visible ? resource : undefined, metric, periodSeconds: period, stat: statName };
}

/** Finest period CloudWatch keeps for data this old (ms before the estate's clock). */
function retainedFrom(nowMs: number, periodSeconds: number): number {
  const hour = 3_600_000;
  const day = 24 * hour;
  if (periodSeconds < 60) return nowMs - 3 * hour;
  if (periodSeconds < 300) return nowMs - 15 * day;
  if (periodSeconds < 3600) return nowMs - 63 * day;
  return nowMs - 455 * day;
}

function seriesOf(
  q: Resolved,
  input: Required<Pick<GetMetricDataInput, 'StartTime' | 'EndTime'>>,
  ctx: SandboxContext,
  descending: boolean,
): Result {
  if (!q.resource || !q.metric) return { id: q.id, label: q.label, timestamps: [], values: [] };
  const { estate } = ctx;
  // The generator's finest grain is five minutes (EC2 basic monitoring): shorter periods get those points.
  const series = metricSeries(estate.seed, estate.now, q.resource, q.metric, {
    startMs: input.StartTime,
    endMs: input.EndTime,
    periodSeconds: Math.max(300, q.periodSeconds),
    stat: q.stat,
  });
  const kept = retainedFrom(Date.parse(estate.now) + 86_400_000, q.periodSeconds);
  let timestamps = series.timestamps;
  let values = series.values;
  if (timestamps.length > 0 && timestamps[0] < kept) {
    const first = timestamps.findIndex((t) => t >= kept);
    timestamps = first < 0 ? [] : timestamps.slice(first);
    values = first < 0 ? [] : values.slice(first);
  }
  if (descending) {
    timestamps = [...timestamps].reverse();
    values = [...values].reverse();
  }
  return { id: q.id, label: q.label, timestamps, values };
}

/** How many points a query has: counted without computing values unless retention cuts the window. */
function countOf(q: Resolved, input: Required<Pick<GetMetricDataInput, 'StartTime' | 'EndTime'>>, ctx: SandboxContext): number {
  if (!q.resource || !q.metric) return 0;
  const { estate } = ctx;
  if (input.StartTime < retainedFrom(Date.parse(estate.now) + 86_400_000, q.periodSeconds))
    return seriesOf(q, input, ctx, false).timestamps.length;
  return metricPointCount(estate.seed, estate.now, q.resource, q.metric, {
    startMs: input.StartTime,
    endMs: input.EndTime,
    periodSeconds: Math.max(300, q.periodSeconds),
    stat: q.stat,
  });
}

/** How many points each query has: counted once per request (every page re-sends it), kept briefly. */
const COUNTS = estateSlot('aws.cloudwatch.counts', () => new Map<string, number[]>());

function countsFor(key: string, compute: () => number[], ctx: SandboxContext): number[] {
  const cache = ctx.state.get(COUNTS);
  let counts = cache.get(key);
  if (!counts) {
    counts = compute();
    cache.set(key, counts);
    if (cache.size > 4096) cache.delete(cache.keys().next().value as string);
  }
  return counts;
}

interface PageResult {
  results: { id: string; label: string; timestamps: number[]; values: number[]; status: 'Complete' | 'PartialData' }[];
  next?: string;
}

function getMetricData(input: GetMetricDataInput, account: string, region: string, ctx: SandboxContext, cacheKey: string): PageResult {
  const queries = input.MetricDataQueries ?? [];
  if (queries.length === 0) throw new Invalid('MissingParameter', 'The parameter MetricDataQueries is required.');
  if (queries.length > MAX_QUERIES)
    throw new Invalid('InvalidParameterValue', `The collection MetricDataQueries must not have a size greater than ${MAX_QUERIES}.`);
  if (input.StartTime === undefined || input.EndTime === undefined)
    throw new Invalid('MissingParameter', `The parameter ${input.StartTime === undefined ? 'StartTime' : 'EndTime'} is required.`);
  if (input.StartTime >= input.EndTime)
    throw new Invalid('InvalidParameterValue', 'The parameter StartTime must be less than the parameter EndTime.');
  if (input.ScanBy !== undefined && input.ScanBy !== 'TimestampDescending' && input.ScanBy !== 'TimestampAscending')
    throw new Invalid('InvalidParameterValue', `The value ${input.ScanBy} for parameter ScanBy is not valid.`);
  const limit = input.MaxDatapoints === undefined ? MAX_DATAPOINTS : input.MaxDatapoints;
  if (!Number.isInteger(limit) || limit < 1)
    throw new Invalid('InvalidParameterValue', 'The parameter MaxDatapoints must be a positive integer.');
  const pageSize = Math.min(limit, MAX_DATAPOINTS);
  const resolved = queries.map((query) => resolveQuery(query, account, region, ctx));
  const ids = new Set(resolved.map((q) => q.id));
  if (ids.size !== resolved.length)
    throw new Invalid('ValidationError', 'The values for parameter id in MetricDataQueries are not unique.');
  const descending = input.ScanBy !== 'TimestampAscending';
  const window = { StartTime: input.StartTime, EndTime: input.EndTime };
  // ReturnData=false queries only feed expressions, which the sandbox does not evaluate: no output.
  const counts = countsFor(cacheKey, () => resolved.map((q, i) => (queries[i].ReturnData === false ? 0 : countOf(q, window, ctx))), ctx);
  const total = counts.reduce((sum, n) => sum + n, 0);

  const listing = `GetMetricData:${input.StartTime}:${input.EndTime}:${queries.length}`;
  let offset = 0;
  if (input.NextToken) {
    const decoded = decodeToken(listing, input.NextToken);
    if (decoded === undefined || decoded > total) throw new Invalid('InvalidNextToken', 'The service returned an invalid NextToken.');
    offset = decoded;
  }
  const stop = Math.min(total, offset + pageSize);
  const results: PageResult['results'] = [];
  let at = 0;
  for (let i = 0; i < resolved.length; i++) {
    const from = at;
    const to = at + counts[i];
    at = to;
    // A query belongs to the pages its points fall on; one without points to the page its place is on.
    if (queries[i].ReturnData === false) continue;
    const onPage = counts[i] === 0 ? from >= offset && (from < stop || (stop === total && from === total)) : to > offset && from < stop;
    if (!onPage) continue;
    const series = seriesOf(resolved[i], window, ctx, descending);
    const lo = Math.max(0, offset - from);
    const hi = Math.min(counts[i], stop - from);
    results.push({
      id: series.id,
      label: series.label,
      timestamps: series.timestamps.slice(lo, hi),
      values: series.values.slice(lo, hi),
      status: hi < counts[i] ? 'PartialData' : 'Complete',
    });
  }
  return { results, ...(stop < total ? { next: encodeToken(listing, stop) } : {}) };
}

function jsonError(status: number, code: string, message: string): SandboxResponse {
  return {
    status,
    headers: {
      'content-type': 'application/x-amz-json-1.0',
      'x-amzn-requestid': requestId(),
      'x-amzn-query-error': `${code};${status >= 500 ? 'Receiver' : 'Sender'}`,
    },
    body: JSON.stringify({ __type: `com.amazonaws.cloudwatch#${code}`, message }),
  };
}

function xmlError(status: number, code: string, message: string): SandboxResponse {
  return xmlResponse(
    status,
    `<ErrorResponse xmlns="${XMLNS}"><Error><Type>${status >= 500 ? 'Receiver' : 'Sender'}</Type><Code>${esc(code)}</Code><Message>${esc(message)}</Message></Error><RequestId>${requestId()}</RequestId></ErrorResponse>`,
  );
}

function isJson(req: SandboxRequest): boolean {
  return req.headers['x-amz-target'] !== undefined || (req.headers['content-type'] ?? '').startsWith('application/x-amz-json');
}

function answerJson(page: PageResult): SandboxResponse {
  // Up to 100,800 points a page: the arrays are written as text, not mapped into new arrays first.
  const results = page.results.map((r) => {
    let timestamps = '';
    for (const t of r.timestamps) timestamps += `${timestamps === '' ? '' : ','}${t / 1000}`;
    let values = '';
    for (const v of r.values) values += `${values === '' ? '' : ','}${JSON.stringify(v)}`;
    return `{"Id":${JSON.stringify(r.id)},"Label":${JSON.stringify(r.label)},"Timestamps":[${timestamps}],"Values":[${values}],"StatusCode":"${r.status}"}`;
  });
  const next = page.next ? `,"NextToken":${JSON.stringify(page.next)}` : '';
  return {
    status: 200,
    headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': requestId() },
    body: `{"MetricDataResults":[${results.join(',')}]${next},"Messages":[]}`,
  };
}

function answerXml(page: PageResult): SandboxResponse {
  let members = '';
  for (const r of page.results) {
    let timestamps = '';
    let values = '';
    for (const t of r.timestamps) timestamps += `<member>${isoSeconds(t)}</member>`;
    for (const v of r.values) values += `<member>${v}</member>`;
    members += `<member>${el('Id', r.id)}${el('Label', r.label)}<Timestamps>${timestamps}</Timestamps><Values>${values}</Values>${el('StatusCode', r.status)}<Messages/></member>`;
  }
  return xmlResponse(
    200,
    `<GetMetricDataResponse xmlns="${XMLNS}"><GetMetricDataResult><MetricDataResults>${members}</MetricDataResults>${el('NextToken', page.next)}<Messages/></GetMetricDataResult><ResponseMetadata><RequestId>${requestId()}</RequestId></ResponseMetadata></GetMetricDataResponse>`,
  );
}

function handle(req: SandboxRequest, ctx: SandboxContext): SandboxResponse {
  const json = isJson(req);
  const fail = json ? jsonError : xmlError;
  const who = resolveCaller(req, ctx);
  if (!who.ok) {
    return who.reason === 'expired'
      ? fail(403, 'ExpiredToken', 'The security token included in the request is expired')
      : fail(403, 'InvalidClientTokenId', 'The security token included in the request is invalid.');
  }
  const region = req.aws?.region ?? '';
  if (!who.caller.account.regions.includes(region))
    return fail(403, 'OptInRequired', 'You are not subscribed to this service. Please go to http://aws.amazon.com to subscribe.');
  let action: string;
  let input: GetMetricDataInput;
  try {
    if (json) {
      const target = req.headers['x-amz-target'] ?? '';
      action = target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : target;
      input = action === 'GetMetricData' ? readJsonInput(req.body.toString('utf8')) : {};
    } else {
      const params = queryParams(req);
      action = params.get('Action') ?? '';
      input = action === 'GetMetricData' ? readQueryInput(params) : {};
    }
    if (action !== 'GetMetricData')
      return json
        ? fail(400, 'UnknownOperationException', `Operation ${action || '(none)'} is not supported by the sandbox`)
        : fail(400, 'InvalidAction', `The action ${action || '(none)'} is not valid for this web service.`);
    const cacheKey = JSON.stringify([who.caller.account.id, region, { ...input, NextToken: undefined }]);
    const page = getMetricData(input, who.caller.account.id, region, ctx, cacheKey);
    return json ? answerJson(page) : answerXml(page);
  } catch (error) {
    if (error instanceof Invalid) return fail(400, error.code, error.message);
    throw error;
  }
}

export const cloudwatch: SandboxService = {
  name: 'aws.cloudwatch',
  matches: (req) => req.aws?.service === 'monitoring',
  scope: callerScope,
  handle,
  faultResponse: (req, fault) => {
    const fail = isJson(req) ? jsonError : xmlError;
    if (fault === 'throttle') return fail(400, 'Throttling', 'Rate exceeded');
    if (fault === 'outage') return fail(503, 'ServiceUnavailable', 'Service is unavailable');
    return fail(500, 'InternalServiceError', 'An internal error occurred');
  },
};
