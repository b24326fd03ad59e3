// The GCP provider's costs face: spend from the Cloud Billing export in BigQuery (settings.billingExportTable), the
// way GCP users get spend programmatically. Two fixed queries (BILLING_QUERIES) with named
// parameters; grouping, project selection and monthly totals happen here.
// https://cloud.google.com/billing/docs/how-to/export-data-bigquery-tables/standard-usage

import type { BigQuery } from '@google-cloud/bigquery';
import type { GcpSettings } from '../../config/profile.js';
import { ConfigError } from '../../errors.js';
import type { CostGroup, CostQuery, CostReading, CostReadStats, CostSeries } from '../../model/cost.js';
import { emptyReadStats, tagKeyOf } from '../../model/cost.js';
import type { FaceReader } from '../types.js';

/**
 * The only SQL Guardian sends (`{table}` is the export table). `byDimension` returns a row per
 * day × project × service × region × currency; `byLabel` a row per day × project × value of one
 * label key ('' when unlabelled). The sandbox recognises exactly these.
 */
/** The SQL over the billing export runs as a query job in the job project; the job reads the export table. */
export const COST_PERMISSIONS = ['bigquery.jobs.create', 'bigquery.tables.getData'];

export const BILLING_QUERIES = {
  byDimension: [
    "SELECT DATE(usage_start_time) AS usage_date, project.id AS project_id, service.description AS service, IFNULL(location.region, 'global') AS region, currency, SUM(cost) AS cost",
    'FROM `{table}`',
    'WHERE DATE(usage_start_time) >= @start AND DATE(usage_start_time) < @end',
    'GROUP BY usage_date, project_id, service, region, currency',
    'ORDER BY usage_date, project_id, service, region',
  ].join('\n'),
  byLabel: [
    "SELECT DATE(usage_start_time) AS usage_date, project.id AS project_id, IFNULL((SELECT l.value FROM UNNEST(labels) AS l WHERE l.key = @label), '') AS label_value, currency, SUM(cost) AS cost",
    'FROM `{table}`',
    'WHERE DATE(usage_start_time) >= @start AND DATE(usage_start_time) < @end',
    'GROUP BY usage_date, project_id, label_value, currency',
    'ORDER BY usage_date, project_id, label_value',
  ].join('\n'),
} as const;

export interface GcpCostReadOptions {
  signal?: AbortSignal;
  stats: CostReadStats;
}

/** `project.dataset.table` (backticks optional); a bad value is a configuration error. */
export function parseExportTable(value: string | undefined): string {
  const table = (value ?? '').replace(/`/g, '').trim();
  if (!/^[a-z][a-z0-9-]{4,61}[a-z0-9]\.[A-Za-z0-9_]+\.[A-Za-z0-9_]+$/.test(table)) {
    throw new ConfigError(value ? `gcp.billingExportTable '${value}' is not project.dataset.table` : 'gcp.billingExportTable is not set', {
      hint: "set it with 'guardian config set gcp.billingExportTable PROJECT.DATASET.gcp_billing_export_v1_XXXXXX'",
    });
  }
  return table;
}

function dateOf(value: unknown): string {
  if (value && typeof value === 'object' && 'value' in value) return String((value as { value: unknown }).value);
  return String(value).slice(0, 10);
}

async function bigQueryClient(settings: GcpSettings, env: NodeJS.ProcessEnv, table: string): Promise<BigQuery> {
  const { resolveGcpCredentials } = await import('./credentials.js');
  const { BigQuery } = await import('@google-cloud/bigquery');
  const credentials = await resolveGcpCredentials(settings, env);
  const jobProject = settings.projects?.[0] ?? credentials.projectId ?? table.split('.')[0];
  return new BigQuery({
    projectId: jobProject,
    authClient: credentials.auth as never,
    // Retries are Guardian's (src/discovery/call.ts), as for discovery.
    autoRetry: false,
    ...(settings.endpoint ? { apiEndpoint: settings.endpoint } : {}),
  });
}

/** The GCP costs face: the billing export's spend for a query, on one BigQuery client. */
export function createGcpCostReader(settings: GcpSettings, env: NodeJS.ProcessEnv): FaceReader<CostQuery, CostReading> {
  let client: Promise<BigQuery> | undefined;
  return async (query, { signal }) => {
    const table = parseExportTable(settings.billingExportTable);
    client ??= bigQueryClient(settings, env, table).catch((error) => {
      client = undefined;
      throw error;
    });
    const stats = emptyReadStats();
    const series = await readGcpCosts(settings, await client, table, query, { signal, stats });
    return { series, stats };
  };
}

async function readGcpCosts(
  settings: GcpSettings,
  bigquery: BigQuery,
  table: string,
  query: CostQuery,
  options: GcpCostReadOptions,
): Promise<CostSeries> {
  const label = tagKeyOf(query.dimension);
  const sql = (label === undefined ? BILLING_QUERIES.byDimension : BILLING_QUERIES.byLabel).replace('{table}', table);
  // DATE parameters must be BigQueryDate values: a string with types {start: 'DATE'} is sent without a value.
  const params: Record<string, unknown> = {
    start: bigquery.date(query.start),
    end: bigquery.date(query.end),
    ...(label !== undefined ? { label } : {}),
  };
  options.stats.requests += 1;
  // The client has no per-call signal: settleOnAbort (src/discovery/call.ts) lets the caller go on a timeout.
  const [rows] = await bigquery.query({ query: sql, params, useLegacySql: false });
  const projects = settings.projects && settings.projects.length > 0 ? new Set(settings.projects) : undefined;
  const groups = new Map<string, CostGroup>();
  for (const row of rows as Record<string, unknown>[]) {
    const project = String(row.project_id ?? '');
    if (projects && !projects.has(project)) continue;
    const amount = Number(row.cost);
    if (!Number.isFinite(amount) || amount === 0) continue;
    const day = dateOf(row.usage_date);
    const date = query.granularity === 'monthly' ? (`${day.slice(0, 7)}-01` < query.start ? query.start : `${day.slice(0, 7)}-01`) : day;
    const key =
      label !== undefined
        ? String(row.label_value ?? '')
        : query.dimension === 'account'
          ? project
          : String(query.dimension === 'service' ? row.service : row.region);
    const currency = String(row.currency ?? 'USD');
    const id = `${project}\u0000${key}\u0000${currency}`;
    let group = groups.get(id);
    if (!group) {
      group = { account: project, key, points: [] };
      groups.set(id, group);
    }
    const point = group.points.find((candidate) => candidate.date === date);
    if (point) point.amount += amount;
    else group.points.push({ date, amount, currency });
  }
  for (const group of groups.values()) group.points.sort((a, b) => a.date.localeCompare(b.date));
  return {
    cloud: 'gcp',
    metric: query.metric,
    granularity: query.granularity,
    dimension: query.dimension,
    start: query.start,
    end: query.end,
    groups: [...groups.values()],
  };
}
