// The Azure provider's costs face: spend from the Cost Management Query API, one query per subscription, daily, in
// the subscription's billing currency. The SDK's query.usage does not follow nextLink, so later
// pages are POSTed (same body) through the client's own pipeline, credential and all.
// https://learn.microsoft.com/rest/api/cost-management/query/usage

import type { CostManagementClient, QueryDefinition, QueryResult } from '@azure/arm-costmanagement';
import type { AzureSettings } from '../../config/profile.js';
import type { CostGroup, CostQuery, CostReading, CostReadStats, CostSeries } from '../../model/cost.js';
import { emptyReadStats, tagKeyOf } from '../../model/cost.js';
import type { FaceReader } from '../types.js';
import type { AzureConnection } from './connection.js';

/**
 * The Cost Management query per subscription, and the subscription list when none are named. The
 * operations list names both query/action and query/read "Query usage data by a scope", and the
 * built-in Cost Management Reader (only the CostManagement read operations) can query, so both are granted.
 * https://learn.microsoft.com/azure/role-based-access-control/resource-provider-operations#microsoftcostmanagement
 */
export const COST_PERMISSIONS = [
  'Microsoft.CostManagement/query/action',
  'Microsoft.CostManagement/query/read',
  'Microsoft.Resources/subscriptions/read',
];

export interface AzureCostReadOptions {
  signal?: AbortSignal;
  stats: CostReadStats;
}

const DIMENSIONS = { service: 'ServiceName', region: 'ResourceLocation' } as const;

const dayBefore = (iso: string) => new Date(Date.parse(`${iso}T00:00:00Z`) - 86_400_000);

/** The query for one subscription. Azure's time period is inclusive of `to`, so it is the day before `end`. */
export function costManagementQuery(query: CostQuery): QueryDefinition {
  const tag = tagKeyOf(query.dimension);
  const grouping =
    tag !== undefined
      ? [{ type: 'TagKey', name: tag }]
      : query.dimension === 'account'
        ? []
        : [{ type: 'Dimension', name: DIMENSIONS[query.dimension as 'service' | 'region'] }];
  return {
    type: query.metric === 'amortized' ? 'AmortizedCost' : 'ActualCost',
    timeframe: 'Custom',
    timePeriod: { from: new Date(`${query.start}T00:00:00Z`), to: dayBefore(query.end) },
    dataset: { granularity: 'Daily', aggregation: { totalCost: { name: 'Cost', function: 'Sum' } }, grouping },
  };
}

function usageDate(value: unknown): string {
  const text = String(value);
  return /^\d{8}$/.test(text) ? `${text.slice(0, 4)}-${text.slice(4, 6)}-${text.slice(6, 8)}` : text.slice(0, 10);
}

function monthOf(date: string): string {
  return `${date.slice(0, 7)}-01`;
}

/** Fold a page's rows into groups (daily points, or summed into months). */
function addRows(result: QueryResult, subscription: string, query: CostQuery, groups: Map<string, CostGroup>): void {
  const columns = (result.columns ?? []).map((column) => column.name ?? '');
  const lower = columns.map((name) => name.toLowerCase());
  const costIndex = (result.columns ?? []).findIndex((column, i) => column.type === 'Number' && lower[i] !== 'usagedate');
  const dateIndex = lower.indexOf('usagedate');
  const currencyIndex = lower.indexOf('currency');
  const tag = tagKeyOf(query.dimension);
  const keyIndex =
    tag !== undefined
      ? lower.indexOf('tagvalue')
      : query.dimension === 'account'
        ? -1
        : lower.indexOf(DIMENSIONS[query.dimension as 'service' | 'region'].toLowerCase());
  for (const row of result.rows ?? []) {
    const amount = Number(row[costIndex]);
    if (!Number.isFinite(amount) || amount === 0) continue;
    const day = usageDate(row[dateIndex]);
    const date = query.granularity === 'monthly' ? (monthOf(day) < query.start ? query.start : monthOf(day)) : day;
    const key = keyIndex < 0 ? subscription : String(row[keyIndex] ?? '');
    const currency = String(row[currencyIndex] ?? 'USD');
    const id = `${key}\u0000${currency}`;
    let group = groups.get(id);
    if (!group) {
      group = { account: subscription, key, points: [] };
      groups.set(id, group);
    }
    const point = group.points.find((candidate) => candidate.date === date);
    if (point) point.amount += amount;
    else group.points.push({ date, amount, currency });
  }
}

/** One subscription's spend for a query, following nextLink. */
export async function readSubscriptionCosts(
  client: CostManagementClient,
  subscription: string,
  query: CostQuery,
  options: AzureCostReadOptions,
): Promise<CostGroup[]> {
  const definition = costManagementQuery(query);
  const groups = new Map<string, CostGroup>();
  options.stats.requests += 1;
  let result = await client.query.usage(`subscriptions/${subscription}`, definition, { abortSignal: options.signal });
  addRows(result, subscription, query, groups);
  const { createPipelineRequest, createHttpHeaders } = await import('@azure/core-rest-pipeline');
  const body = JSON.stringify({
    ...definition,
    timePeriod: { from: definition.timePeriod?.from.toISOString(), to: definition.timePeriod?.to.toISOString() },
  });
  while (result.nextLink) {
    options.stats.requests += 1;
    const request = createPipelineRequest({
      url: result.nextLink,
      method: 'POST',
      body,
      headers: createHttpHeaders({ 'content-type': 'application/json', accept: 'application/json' }),
      abortSignal: options.signal,
    });
    const response = await client.sendRequest(request);
    if (response.status !== 200) {
      const { RestError } = await import('@azure/core-rest-pipeline');
      let message = `Cost Management answered ${response.status} for the next page`;
      let code: string | undefined;
      try {
        const error = JSON.parse(response.bodyAsText ?? '{}').error;
        if (error?.message) message = error.message;
        code = error?.code;
      } catch {
        // keep the generic message
      }
      throw new RestError(message, { statusCode: response.status, code, request, response });
    }
    const parsed = JSON.parse(response.bodyAsText ?? '{}') as { properties?: QueryResult };
    result = parsed.properties ?? {};
    addRows(result, subscription, query, groups);
  }
  for (const group of groups.values()) group.points.sort((a, b) => a.date.localeCompare(b.date));
  return [...groups.values()];
}

/** The subscriptions to read: the profile's list, else every one the credential sees. */
async function subscriptionsOf(connection: AzureConnection, signal: AbortSignal): Promise<string[]> {
  if (connection.subscriptionIds && connection.subscriptionIds.length > 0) return connection.subscriptionIds;
  const client = await connection.subscriptions();
  const ids: string[] = [];
  for await (const subscription of client.subscriptions.list({ abortSignal: signal }))
    if (subscription.subscriptionId) ids.push(subscription.subscriptionId);
  return ids;
}

/** A Cost Management client on the profile's credential, endpoint and CA (connection.ts resolves them). */
export async function costManagementClient(
  settings: AzureSettings,
  env: NodeJS.ProcessEnv,
): Promise<{ client: CostManagementClient; connection: AzureConnection }> {
  const { connectAzure, resolveAzureSettings } = await import('./connection.js');
  const { CostManagementClient } = await import('@azure/arm-costmanagement');
  const resolved = resolveAzureSettings(settings, env);
  const connection = await connectAzure(resolved);
  const client = new CostManagementClient(connection.credential, {
    endpoint: connection.endpoint,
    credentialScopes: [connection.scope],
    ...(resolved.ca ? { tlsOptions: { ca: resolved.ca } } : {}),
  });
  return { client, connection };
}

/** The Azure costs face: every subscription's spend for a query, on one Cost Management client. */
export function createAzureCostReader(settings: AzureSettings, env: NodeJS.ProcessEnv): FaceReader<CostQuery, CostReading> {
  let connecting: Promise<{ client: CostManagementClient; connection: AzureConnection }> | undefined;
  return async (query, { signal }) => {
    connecting ??= costManagementClient(settings, env).catch((error) => {
      connecting = undefined;
      throw error;
    });
    const { client, connection } = await connecting;
    const stats = emptyReadStats();
    const groups: CostGroup[] = [];
    for (const subscription of await subscriptionsOf(connection, signal)) {
      groups.push(...(await readSubscriptionCosts(client, subscription, query, { signal, stats })));
    }
    const series: CostSeries = {
      cloud: 'azure',
      metric: query.metric,
      granularity: query.granularity,
      dimension: query.dimension,
      start: query.start,
      end: query.end,
      groups,
    };
    return { series, stats };
  };
}
