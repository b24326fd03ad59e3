// BigQuery jobs.query / jobs.getQueryResults over the Cloud Billing export table, as
// @google-cloud/bigquery sends them. There is no SQL engine here: the sandbox recognises the
// exact query shapes Guardian's GCP cost reader sends (BILLING_QUERIES in src/providers/gcp/costs.ts,
// whitespace-insensitive,
// with the table name and named parameters filled in) and answers anything else with BigQuery's
// invalidQuery error. Results use BigQuery's schema + rows ({f:[{v}]}) format.
// https://cloud.google.com/bigquery/docs/reference/rest/v2/jobs/query

import { createHash } from 'node:crypto';
import { BILLING_QUERIES } from '../../providers/gcp/costs.js';
import { aggregateCosts, dayNumber, isoOfDay } from '../estate/costs.js';
import type { Estate } from '../estate/types.js';
import { cachedCostSeries } from '../server/cost-series.js';
import { serverSlot } from '../server/state.js';
import type { SandboxContext, SandboxRequest, SandboxResponse, SandboxService } from '../server/types.js';
import { googleError, jsonResponse } from './google-errors.js';
import { checkAccessToken } from './oauth.js';

/** The estate's billing export table: `project.dataset.gcp_billing_export_v1_<billing account>`. */
export function sandboxBillingExportTable(estate: Estate): string {
  const hex = createHash('sha256').update(`billing:${estate.seed}`).digest('hex').toUpperCase();
  const account = `${hex.slice(0, 6)}_${hex.slice(6, 12)}_${hex.slice(12, 18)}`;
  return `${estate.gcp.projects[0]?.id ?? 'billing'}.billing_export.gcp_billing_export_v1_${account}`;
}

const QUERY_PATH = /^\/bigquery\/v2\/projects\/([^/]+)\/queries\/?$/;
const RESULTS_PATH = /^\/bigquery\/v2\/projects\/([^/]+)\/queries\/([^/]+)\/?$/;
const DEFAULT_PAGE_ROWS = 10_000;

const normalize = (sql: string) =>
  sql
    .replace(/\s+/g, ' ')
    .replace(/\s*;\s*$/, '')
    .trim();

interface Field {
  name: string;
  type: string;
  mode: 'NULLABLE';
}
interface StoredJob {
  projectId: string;
  schema: { fields: Field[] };
  rows: { f: { v: string }[] }[];
}

function invalidQuery(message: string): SandboxResponse {
  return googleError(400, message, { reason: 'invalidQuery', extra: { location: 'q', locationType: 'parameter' } });
}

const JOBS = serverSlot('gcp.bigquery.jobs', () => new Map<string, StoredJob>());

function jobs(ctx: SandboxContext): Map<string, StoredJob> {
  return ctx.state.get(JOBS);
}

interface QueryRequest {
  query?: string;
  useLegacySql?: boolean;
  maxResults?: number;
  location?: string;
  queryParameters?: { name?: string; parameterType?: { type?: string }; parameterValue?: { value?: string } }[];
}

function page(job: StoredJob, jobId: string, offset: number, maxResults: number | undefined, location: string) {
  const size = maxResults && maxResults > 0 ? maxResults : DEFAULT_PAGE_ROWS;
  const rows = job.rows.slice(offset, offset + size);
  const body: Record<string, unknown> = {
    kind: 'bigquery#getQueryResultsResponse',
    schema: job.schema,
    jobReference: { projectId: job.projectId, jobId, location },
    totalRows: String(job.rows.length),
    rows,
    totalBytesProcessed: String(job.rows.length * 96),
    jobComplete: true,
    cacheHit: false,
  };
  if (offset + size < job.rows.length) body.pageToken = Buffer.from(String(offset + size)).toString('base64url');
  return body;
}

function runQuery(req: SandboxRequest, ctx: SandboxContext, projectId: string): SandboxResponse {
  let request: QueryRequest;
  try {
    request = JSON.parse(req.body.toString('utf8') || '{}') as QueryRequest;
  } catch {
    return googleError(400, 'Invalid JSON payload received.', { reason: 'invalid' });
  }
  if (!request.query) return googleError(400, 'Required parameter is missing: query', { reason: 'required' });
  if (request.useLegacySql === true) return invalidQuery('Legacy SQL is not supported for this query. Set useLegacySql to false.');
  const sql = normalize(request.query);
  const tableMatch = /FROM `([^`]+)`/.exec(sql);
  const table = tableMatch?.[1] ?? '';
  const shape = (Object.keys(BILLING_QUERIES) as (keyof typeof BILLING_QUERIES)[]).find(
    (name) => normalize(BILLING_QUERIES[name].replace('{table}', table)) === sql,
  );
  if (!shape) {
    return invalidQuery(
      'Unrecognized query: the sandbox answers only the billing-export queries Guardian sends (see BILLING_QUERIES in src/providers/gcp/costs.ts) at [1:1]',
    );
  }
  const expected = sandboxBillingExportTable(ctx.estate);
  if (table !== expected) {
    const [p, d, t] = table.split('.');
    return googleError(404, `Not found: Table ${p}:${d}.${t} was not found in location US`, { reason: 'notFound' });
  }
  const params = new Map((request.queryParameters ?? []).map((p) => [p.name ?? '', p]));
  const need = shape === 'byLabel' ? ['start', 'end', 'label'] : ['start', 'end'];
  for (const name of need) {
    if (!params.has(name)) return invalidQuery(`Query parameter '${name}' not found at [3:${name === 'end' ? 60 : 32}]`);
  }
  const dateParam = (name: string): string | undefined => {
    const p = params.get(name);
    const value = p?.parameterValue?.value ?? '';
    return p?.parameterType?.type === 'DATE' && /^\d{4}-\d{2}-\d{2}$/.test(value) ? value : undefined;
  };
  const start = dateParam('start');
  const end = dateParam('end');
  if (!start || !end)
    return invalidQuery(
      'No matching signature for operator >= for argument types: DATE, STRING. Pass @start and @end as DATE parameters at [3:7]',
    );

  const series = cachedCostSeries(ctx.state);
  // The export holds what has been billed so far: nothing after the estate's last day.
  const from = isoOfDay(Math.max(dayNumber(start), dayNumber(series.start)));
  const to = isoOfDay(Math.min(dayNumber(end), dayNumber(series.end) + 1));
  const label = params.get('label')?.parameterValue?.value ?? '';
  const rows: { f: { v: string }[] }[] = [];
  const fields: Field[] =
    shape === 'byDimension'
      ? ['usage_date:DATE', 'project_id:STRING', 'service:STRING', 'region:STRING', 'currency:STRING', 'cost:FLOAT'].map((f) => field(f))
      : ['usage_date:DATE', 'project_id:STRING', 'label_value:STRING', 'currency:STRING', 'cost:FLOAT'].map((f) => field(f));
  if (from < to) {
    const periods = aggregateCosts(series, {
      cloud: 'gcp',
      accounts: new Set(ctx.estate.gcp.projects.map((p) => p.id)),
      from,
      to,
      metric: 'unblended',
      granularity: 'daily',
      groupBy: shape === 'byDimension' ? ['account', 'service', 'region'] : ['account', { tag: label }],
    });
    for (const period of periods) {
      for (const group of period.groups) {
        const cost = String(group.cents / 100);
        rows.push({ f: [period.start, ...group.keys, group.currency, cost].map((v) => ({ v })) });
      }
    }
  }
  const jobId = `job_${createHash('sha1').update(`${sql}|${start}|${end}|${label}|${rows.length}`).digest('base64url').slice(0, 27)}`;
  const job: StoredJob = { projectId, schema: { fields }, rows };
  jobs(ctx).set(jobId, job);
  const location = request.location ?? 'US';
  return jsonResponse({ ...page(job, jobId, 0, request.maxResults, location), kind: 'bigquery#queryResponse' });
}

function field(spec: string): Field {
  const [name, type] = spec.split(':');
  return { name, type, mode: 'NULLABLE' };
}

function getQueryResults(req: SandboxRequest, ctx: SandboxContext, jobId: string): SandboxResponse {
  const job = jobs(ctx).get(jobId);
  if (!job) return googleError(404, `Not found: Job ${jobId}`, { reason: 'notFound' });
  const token = req.url.searchParams.get('pageToken');
  const offset = token ? Number(Buffer.from(token, 'base64url').toString('utf8')) : 0;
  if (!Number.isInteger(offset) || offset < 0 || offset > job.rows.length)
    return googleError(400, `Invalid page token: ${token}`, { reason: 'invalid' });
  const maxResults = Number(req.url.searchParams.get('maxResults') ?? 0) || undefined;
  return jsonResponse(page(job, jobId, offset, maxResults, req.url.searchParams.get('location') ?? 'US'));
}

export const bigQueryService: SandboxService = {
  name: 'gcp.bigquery',
  matches: (req) => !req.aws && req.url.pathname.startsWith('/bigquery/v2/'),
  scope: (req) => ({ account: /\/projects\/([^/]+)/.exec(req.url.pathname)?.[1] ?? 'unknown', region: 'US' }),
  handle(req, ctx) {
    const denied = checkAccessToken(req, ctx, 'bigquery.jobs.query');
    if (denied) return denied;
    const path = req.url.pathname;
    const queryMatch = QUERY_PATH.exec(path);
    if (queryMatch && req.method === 'POST') {
      const project = ctx.estate.gcp.projects.find((p) => p.id === queryMatch[1]);
      if (!project) return googleError(404, `Not found: Project ${queryMatch[1]}`, { reason: 'notFound' });
      return runQuery(req, ctx, project.id);
    }
    const resultsMatch = RESULTS_PATH.exec(path);
    if (resultsMatch && req.method === 'GET') return getQueryResults(req, ctx, resultsMatch[2]);
    return googleError(404, `Not found: ${req.method} ${path}`, { reason: 'notFound' });
  },
  faultResponse: (_req, fault) => {
    if (fault === 'throttle')
      return googleError(429, 'Exceeded rate limits: too many api requests per user per method for this user_method.', {
        reason: 'rateLimitExceeded',
      });
    if (fault === 'outage') return googleError(503, 'The service is currently unavailable.', { reason: 'backendError' });
    return googleError(500, 'An internal error occurred and the request could not be completed.', { reason: 'internalError' });
  },
};
