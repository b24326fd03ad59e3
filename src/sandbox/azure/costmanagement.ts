// Azure Cost Management Query (POST {scope}/providers/Microsoft.CostManagement/query) over the
// estate's true cost series, as @azure/arm-costmanagement sends it: a columns/rows table, daily or
// monthly, grouped by up to two dimensions or a tag key, paged with a nextLink the client POSTs
// the same body to. https://learn.microsoft.com/rest/api/cost-management/query/usage

import { aggregateCosts, type CostGroupDimension, type CostLine, dayNumber, isoOfDay } from '../estate/costs.js';
import { cachedCostSeries } from '../server/cost-series.js';
import { serverSlot } from '../server/state.js';
import type { SandboxContext, SandboxRequest, SandboxResponse, SandboxService } from '../server/types.js';
import { armError, armJson, stableGuid } from './arm-protocol.js';
import { authenticateArmRequest } from './entra.js';

const QUERY_PATH = /^\/+subscriptions\/([^/]+)\/providers\/Microsoft\.CostManagement\/query\/?$/i;
/** Rows per page before a nextLink (Cost Management pages large results the same way). */
export const COST_QUERY_PAGE_ROWS = 1000;

const DIMENSIONS: Record<string, 'service' | 'region'> = { servicename: 'service', resourcelocation: 'region' };
const CANONICAL: Record<string, string> = { servicename: 'ServiceName', resourcelocation: 'ResourceLocation' };
const AGGREGATION_NAMES = new Set(['cost', 'pretaxcost', 'costusd', 'pretaxcostusd']);

interface QueryFilter {
  and?: QueryFilter[];
  or?: QueryFilter[];
  dimensions?: { name?: string; operator?: string; values?: string[] };
  tags?: { name?: string; operator?: string; values?: string[] };
}

interface QueryDefinition {
  type?: string;
  timeframe?: string;
  timePeriod?: { from?: string; to?: string };
  dataset?: {
    granularity?: string;
    aggregation?: Record<string, { name?: string; function?: string }>;
    grouping?: { type?: string; name?: string }[];
    filter?: QueryFilter;
  };
}

class BadQuery extends Error {}

interface QueryAnswer {
  columns: { name: string; type: string }[];
  rows: unknown[][];
}

/** Answers from the cost series, which is fixed when the server starts (see cachedCostSeries). */
const ANSWERS = serverSlot('azure.costmanagement.answers', () => new Map<string, QueryAnswer>());

function answerCache(ctx: SandboxContext): Map<string, QueryAnswer> {
  return ctx.state.get(ANSWERS);
}

function compileFilter(filter: QueryFilter | undefined): {
  lines?: (line: CostLine) => boolean;
  tag?: { key: string; accept: (value: string) => boolean };
} {
  if (!filter) return {};
  const lineOnly = (node: QueryFilter): ((line: CostLine) => boolean) => {
    if (node.dimensions) {
      const field = DIMENSIONS[(node.dimensions.name ?? '').toLowerCase()];
      if (!field) throw new BadQuery(`Invalid dimension name '${node.dimensions.name}' in filter.`);
      if ((node.dimensions.operator ?? 'In') !== 'In')
        throw new BadQuery(`Operator '${node.dimensions.operator}' is not supported in filter.`);
      const values = new Set((node.dimensions.values ?? []).map((v) => v.toLowerCase()));
      return (line) => values.has(line[field].toLowerCase());
    }
    if (node.and) {
      const parts = node.and.map(lineOnly);
      return (line) => parts.every((part) => part(line));
    }
    if (node.or) {
      const parts = node.or.map(lineOnly);
      return (line) => parts.some((part) => part(line));
    }
    throw new BadQuery('Tag filters are only supported at the top level of the filter or directly under and.');
  };
  const tag = (node: NonNullable<QueryFilter['tags']>) => {
    const values = new Set(node.values ?? []);
    return { key: node.name ?? '', accept: (value: string) => values.has(value) };
  };
  if (filter.tags) return { tag: tag(filter.tags) };
  if (filter.and) {
    const tags = filter.and.filter((node) => node.tags);
    const parts = filter.and.filter((node) => !node.tags).map(lineOnly);
    return { lines: (line) => parts.every((part) => part(line)), tag: tags[0]?.tags ? tag(tags[0].tags) : undefined };
  }
  return { lines: lineOnly(filter) };
}

function range(definition: QueryDefinition, now: number): [number, number] {
  const timeframe = (definition.timeframe ?? '').toLowerCase();
  const today = new Date(now * 86_400_000);
  const monthStart = Math.floor(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), 1) / 86_400_000);
  switch (timeframe) {
    case 'custom': {
      const from = definition.timePeriod?.from;
      const to = definition.timePeriod?.to;
      if (!from || !to) throw new BadQuery("Invalid query definition: 'timePeriod' is required when timeframe is Custom.");
      const start = dayNumber(from);
      // The period's `to` names the last day included.
      const end = dayNumber(to) + 1;
      if (Number.isNaN(start) || Number.isNaN(end)) throw new BadQuery('Invalid query definition: the time period dates are not valid.');
      if (start >= end) throw new BadQuery("Invalid query definition: 'from' must be on or before 'to'.");
      return [start, end];
    }
    case 'monthtodate':
    case 'billingmonthtodate':
      return [monthStart, now + 1];
    case 'thelastmonth':
    case 'thelastbillingmonth': {
      const lastStart = Math.floor(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() - 1, 1) / 86_400_000);
      return [lastStart, monthStart];
    }
    default:
      throw new BadQuery(
        `Invalid query definition: timeframe '${definition.timeframe ?? ''}' is not supported. Use Custom, MonthToDate or TheLastMonth.`,
      );
  }
}

function query(req: SandboxRequest, ctx: SandboxContext, subscription: string): SandboxResponse {
  let definition: QueryDefinition;
  try {
    definition = JSON.parse(req.body.toString('utf8') || '{}') as QueryDefinition;
  } catch {
    return armError(400, 'BadRequest', 'The request body is not valid JSON.');
  }
  const series = cachedCostSeries(ctx.state);
  try {
    const type = (definition.type ?? '').toLowerCase();
    if (!['actualcost', 'amortizedcost', 'usage'].includes(type))
      throw new BadQuery(
        `Invalid query definition: type '${definition.type ?? ''}' is not valid. Valid values are Usage, ActualCost, AmortizedCost.`,
      );
    const dataset = definition.dataset ?? {};
    const granularity = (dataset.granularity ?? 'None').toLowerCase();
    if (!['daily', 'monthly', 'none'].includes(granularity))
      throw new BadQuery(`Invalid query definition: granularity '${dataset.granularity}' is not valid.`);
    const aggregations = Object.values(dataset.aggregation ?? {});
    if (aggregations.length === 0) throw new BadQuery('Invalid query definition: at least one aggregation is required.');
    for (const aggregation of aggregations) {
      if (!AGGREGATION_NAMES.has((aggregation.name ?? '').toLowerCase()) || (aggregation.function ?? '').toLowerCase() !== 'sum') {
        throw new BadQuery(
          `Invalid query definition: aggregation '${aggregation.name}' with function '${aggregation.function}' is not supported.`,
        );
      }
    }
    const grouping = dataset.grouping ?? [];
    if (grouping.length > 2) throw new BadQuery('Invalid query definition: at most 2 groupings are allowed.');
    const dims: CostGroupDimension[] = grouping.map((group) => {
      const groupType = (group.type ?? '').toLowerCase();
      if (groupType === 'tagkey') return { tag: group.name ?? '' };
      if (groupType !== 'dimension') throw new BadQuery(`Invalid query definition: grouping type '${group.type}' is not valid.`);
      const dim = DIMENSIONS[(group.name ?? '').toLowerCase()];
      if (!dim) throw new BadQuery(`Invalid query definition: invalid dimension name '${group.name}' in grouping.`);
      return dim;
    });
    const now = dayNumber(series.end);
    const [start, end] = range(definition, now);
    if (start < dayNumber(series.start)) throw new BadQuery(`Invalid query definition: data is available from ${series.start} only.`);
    const filter = compileFilter(dataset.filter);
    const tagGroup = dims.find((dim): dim is { tag: string } => typeof dim === 'object');
    if (tagGroup && filter.tag && tagGroup.tag !== filter.tag.key)
      throw new BadQuery('Invalid query definition: filtering by one tag while grouping by another is not supported.');
    if (dims.filter((dim) => typeof dim === 'object').length > 1)
      throw new BadQuery('Invalid query definition: at most one TagKey grouping is allowed.');
    // nextLink pages re-send the same body: compute the table once and serve later pages from it.
    const answers = answerCache(ctx);
    const cacheKey = `${subscription}\u0000${req.body.toString('utf8')}`;
    let table = answers.get(cacheKey);
    if (!table) {
      table = computeTable();
      answers.set(cacheKey, table);
      if (answers.size > 16) answers.delete(answers.keys().next().value as string);
    }
    const { columns, rows } = table;
    function computeTable(): { columns: { name: string; type: string }[]; rows: unknown[][] } {
      const periods = aggregateCosts(series, {
        cloud: 'azure',
        accounts: new Set([subscription]),
        from: isoOfDay(start),
        to: isoOfDay(Math.min(end, now + 1)),
        metric: type === 'amortizedcost' ? 'amortized' : 'unblended',
        granularity: granularity as 'daily' | 'monthly' | 'none',
        groupBy: dims,
        lineFilter: filter.lines,
        tagFilter: filter.tag,
      });
      const currency = series.lines.find((line) => line.cloud === 'azure' && line.account === subscription)?.currency ?? 'USD';
      const columns: { name: string; type: string }[] = aggregations.map((aggregation) => ({
        name: aggregation.name as string,
        type: 'Number',
      }));
      if (granularity === 'daily') columns.push({ name: 'UsageDate', type: 'Number' });
      if (granularity === 'monthly') columns.push({ name: 'BillingMonth', type: 'Datetime' });
      grouping.forEach((group, i) => {
        if (typeof dims[i] === 'object') columns.push({ name: 'TagKey', type: 'String' }, { name: 'TagValue', type: 'String' });
        else columns.push({ name: CANONICAL[(group.name ?? '').toLowerCase()], type: 'String' });
      });
      columns.push({ name: 'Currency', type: 'String' });
      const rows: unknown[][] = [];
      for (const period of periods) {
        for (const group of period.groups) {
          const usd = (name: string) => name.toLowerCase().endsWith('usd') && group.currency !== 'USD';
          const row: unknown[] = aggregations.map((aggregation) =>
            usd(aggregation.name as string) ? Math.round(group.cents / 0.92) / 100 : group.cents / 100,
          );
          if (granularity === 'daily') row.push(Number(period.start.replaceAll('-', '')));
          if (granularity === 'monthly') row.push(`${period.start.slice(0, 7)}-01T00:00:00`);
          group.keys.forEach((key, i) => {
            if (typeof dims[i] === 'object') row.push((dims[i] as { tag: string }).tag, key);
            else row.push(key);
          });
          row.push(currency);
          rows.push(row);
        }
      }
      return { columns, rows };
    }
    const top = Number(req.url.searchParams.get('$top') ?? COST_QUERY_PAGE_ROWS);
    const pageRows = Number.isInteger(top) && top > 0 ? Math.min(top, 5000) : COST_QUERY_PAGE_ROWS;
    const token = req.url.searchParams.get('$skiptoken');
    const offset = token === null ? 0 : Number(Buffer.from(token, 'base64url').toString('utf8'));
    if (!Number.isInteger(offset) || offset < 0 || offset > rows.length)
      return armError(400, 'InvalidSkipToken', `The provided skip token '${token}' is not valid.`);
    let nextLink: string | null = null;
    if (offset + pageRows < rows.length) {
      const next = new URL(req.url.pathname, ctx.origin);
      next.searchParams.set('api-version', req.url.searchParams.get('api-version') ?? '');
      if (req.url.searchParams.has('$top')) next.searchParams.set('$top', String(pageRows));
      next.searchParams.set('$skiptoken', Buffer.from(String(offset + pageRows)).toString('base64url'));
      nextLink = next.toString();
    }
    return armJson(200, {
      id: `subscriptions/${subscription}/providers/Microsoft.CostManagement/query/${stableGuid(req.body.toString('utf8'))}`,
      name: stableGuid(req.body.toString('utf8')),
      type: 'Microsoft.CostManagement/query',
      location: null,
      sku: null,
      eTag: null,
      properties: { nextLink, columns, rows: rows.slice(offset, offset + pageRows) },
    });
  } catch (error) {
    if (error instanceof BadQuery) return armError(400, 'BadRequest', error.message);
    throw error;
  }
}

/**
 * Microsoft.CostManagement/query's published api-versions (the installed SDK sends 2022-10-01); any
 * other is refused as ARM refuses a version a provider does not have.
 */
const QUERY_API_VERSIONS: readonly string[] = [
  '2019-01-01',
  '2019-11-01',
  '2020-06-01',
  '2021-10-01',
  '2022-10-01',
  '2023-03-01',
  '2023-08-01',
  '2023-11-01',
  '2024-08-01',
];

export const costManagementService: SandboxService = {
  name: 'azure.costmanagement',
  matches: (req) => !req.aws && QUERY_PATH.test(req.url.pathname),
  scope: (req) => ({ account: QUERY_PATH.exec(req.url.pathname)?.[1]?.toLowerCase() ?? 'unknown', region: 'global' }),
  handle(req, ctx) {
    const auth = authenticateArmRequest(req, ctx);
    if ('response' in auth) return auth.response;
    if (!req.url.searchParams.get('api-version')) {
      return armError(400, 'MissingApiVersionParameter', 'The api-version query parameter (?api-version=) is required for all requests.');
    }
    const version = req.url.searchParams.get('api-version') ?? '';
    if (!QUERY_API_VERSIONS.includes(version)) {
      return armError(
        400,
        'NoRegisteredProviderFound',
        `No registered resource provider found for location * and API version '${version}' for type 'query'. The supported api-versions are '${QUERY_API_VERSIONS.join(', ')}'.`,
      );
    }
    if (req.method !== 'POST')
      return armError(405, 'MethodNotAllowed', `The requested resource does not support http method '${req.method}'.`);
    const requested = QUERY_PATH.exec(req.url.pathname)?.[1] ?? '';
    const subscription = ctx.estate.azure.subscriptions.find((s) => s.id.toLowerCase() === requested.toLowerCase());
    if (!subscription) return armError(404, 'SubscriptionNotFound', `The subscription '${requested}' could not be found.`);
    return query(req, ctx, subscription.id);
  },
  faultResponse: (_req, fault, retryAfterSeconds) => {
    if (fault === 'throttle') {
      const wait = String(retryAfterSeconds ?? 10);
      return armError(429, '429', 'Too many requests. Please retry.', {
        'retry-after': wait,
        'x-ms-ratelimit-microsoft.costmanagement-qpu-retry-after': wait,
      });
    }
    if (fault === 'outage') return armError(503, 'ServiceUnavailable', 'The service is temporarily unavailable.');
    return armError(500, 'InternalServerError', 'An unexpected error occurred.');
  },
};
