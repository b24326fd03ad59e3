// Cost Explorer GetCostAndUsageWithResources (AWS JSON 1.1, target
// AWSInsightsIndexService.GetCostAndUsageWithResources) over the estate's resource-level split
// (estate/resource-costs.ts): the last 14 days only, a Filter naming the SERVICE required, grouped
// by RESOURCE_ID (and SERVICE, LINKED_ACCOUNT or REGION), DAILY, or HOURLY for EC2 instances only,
// NextPageToken pages. An account that has not opted in to resource-level data is refused.
// https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_GetCostAndUsageWithResources.html

import { dayNumber, isoOfDay, SERVICES } from '../estate/costs.js';
import { type BilledResource, RESOURCE_DATA_DAYS, resourceDayCents } from '../estate/resource-costs.js';
import { cachedCostSeries, cachedResourceSplit } from '../server/cost-series.js';
import { serverSlot } from '../server/state.js';
import type { SandboxContext, SandboxResponse } from '../server/types.js';
import { decodeToken, encodeToken, jsonResponse } from './protocol.js';

/** Group entries per page before a NextPageToken; a period's groups may continue on the next page. */
export const CE_RESOURCE_PAGE_GROUPS = 1000;

/** What the real API answers an account without resource-level data enabled. */
export const NOT_OPTED_IN = {
  type: 'DataUnavailableException',
  message:
    'Resource-level data is not enabled for this account. Opt in to hourly and resource-level data in the Cost Management preferences; data appears within 48 hours.',
} as const;

export class CeInvalid extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

interface Expression {
  And?: Expression[];
  Or?: Expression[];
  Not?: Expression;
  Dimensions?: { Key?: string; Values?: string[]; MatchOptions?: string[] };
  Tags?: unknown;
  CostCategories?: unknown;
}

export interface WithResourcesRequest {
  TimePeriod?: { Start?: string; End?: string };
  Granularity?: string;
  Metrics?: string[];
  GroupBy?: { Type?: string; Key?: string }[];
  Filter?: Expression;
  NextPageToken?: string;
}

type Field = 'id' | 'service' | 'region' | 'account';
const FIELDS: Record<string, Field> = { RESOURCE_ID: 'id', SERVICE: 'service', REGION: 'region', LINKED_ACCOUNT: 'account' };
const METRICS: Record<string, 'unblended' | 'amortized'> = {
  UnblendedCost: 'unblended',
  BlendedCost: 'unblended',
  NetUnblendedCost: 'unblended',
  AmortizedCost: 'amortized',
  NetAmortizedCost: 'amortized',
};
const DATE = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}):00:00Z)?$/;

function predicate(node: Expression): (r: BilledResource) => boolean {
  const operators = (['And', 'Or', 'Not', 'Dimensions', 'Tags', 'CostCategories'] as const).filter((key) => node[key] !== undefined);
  if (operators.length !== 1)
    throw new CeInvalid('ValidationException', 'Expression must have exactly one of And, Or, Not, Dimensions, Tags, CostCategories');
  if (node.Tags || node.CostCategories)
    throw new CeInvalid('ValidationException', 'Tags and CostCategories filters are not supported by the sandbox for resource-level data');
  if (node.And) {
    const parts = node.And.map(predicate);
    return (r) => parts.every((part) => part(r));
  }
  if (node.Or) {
    const parts = node.Or.map(predicate);
    return (r) => parts.some((part) => part(r));
  }
  if (node.Not) {
    const inner = predicate(node.Not);
    return (r) => !inner(r);
  }
  const field = FIELDS[node.Dimensions?.Key ?? ''];
  if (!field)
    throw new CeInvalid(
      'ValidationException',
      `Dimension ${node.Dimensions?.Key ?? '(none)'} is not allowed. Allowed values: SERVICE, REGION, LINKED_ACCOUNT, RESOURCE_ID`,
    );
  const options = node.Dimensions?.MatchOptions ?? ['EQUALS'];
  if (options.some((option) => option !== 'EQUALS' && option !== 'CASE_SENSITIVE'))
    throw new CeInvalid(
      'ValidationException',
      `MatchOptions ${options.join(',')} is not valid for Dimensions. Valid values: EQUALS, CASE_SENSITIVE`,
    );
  const values = new Set(node.Dimensions?.Values ?? []);
  return (r) => values.has(r[field]);
}

/** The SERVICE values the filter names at its top (alone or under And): the API requires one. */
function filteredServices(filter: Expression): string[] | undefined {
  if (filter.Dimensions?.Key === 'SERVICE') return filter.Dimensions.Values ?? [];
  for (const node of filter.And ?? []) if (node.Dimensions?.Key === 'SERVICE') return node.Dimensions.Values ?? [];
  return undefined;
}

function filtersResourceId(filter: Expression): boolean {
  return filter.Dimensions?.Key === 'RESOURCE_ID' || (filter.And ?? []).some((node) => node.Dimensions?.Key === 'RESOURCE_ID');
}

interface Entry {
  period: number;
  keys: string[];
  metrics: Record<string, string>;
}

type Answer = { periods: { start: string; end: string; estimated: boolean }[]; entries: Entry[] };
const ANSWERS = serverSlot('aws.ce.resource-answers', () => new Map<string, Answer>());

function amount(cents: number): string {
  return (cents / 100).toFixed(10);
}

export function getCostAndUsageWithResources(request: WithResourcesRequest, accounts: string[], ctx: SandboxContext): SandboxResponse {
  if (!ctx.store.resourceLevelData) throw new CeInvalid(NOT_OPTED_IN.type, NOT_OPTED_IN.message);
  const granularity = request.Granularity;
  if (granularity !== 'DAILY' && granularity !== 'HOURLY')
    throw new CeInvalid(
      'ValidationException',
      granularity === 'MONTHLY'
        ? 'Resource-level data is available at DAILY granularity (HOURLY for EC2 instances), not MONTHLY'
        : `Granularity ${granularity ?? '(missing)'} is not valid. Valid values: DAILY, MONTHLY, HOURLY`,
    );
  const start = request.TimePeriod?.Start ?? '';
  const end = request.TimePeriod?.End ?? '';
  const startMatch = DATE.exec(start);
  const endMatch = DATE.exec(end);
  if (!startMatch || !endMatch || Number.isNaN(dayNumber(startMatch[1])) || Number.isNaN(dayNumber(endMatch[1])))
    throw new CeInvalid(
      'ValidationException',
      `Invalid date format: ${startMatch ? end : start}. Expected yyyy-MM-dd or yyyy-MM-ddTHH:mm:ssZ`,
    );
  const hourOf = (match: RegExpExecArray) => dayNumber(match[1]) * 24 + Number(match[2] ?? 0);
  const from = hourOf(startMatch);
  const to = hourOf(endMatch);
  if (from >= to) throw new CeInvalid('ValidationException', 'Start date (and hour) should be before end date (and hour)');
  if (granularity === 'DAILY' && (startMatch[2] || endMatch[2]))
    throw new CeInvalid('ValidationException', 'Time period with hours is only supported for HOURLY granularity');
  const series = cachedCostSeries(ctx.state);
  const today = dayNumber(series.end);
  // The real API's words, "hourly" even for a daily request.
  if (from < (today - RESOURCE_DATA_DAYS) * 24)
    throw new CeInvalid(
      'ValidationException',
      'Start date is more than 14 days ago for hourly granularity. Please adjust start date as we support only 14 days of data at hourly granularity.',
    );
  const metrics = request.Metrics ?? [];
  if (metrics.length === 0) throw new CeInvalid('ValidationException', 'Metrics must be specified');
  for (const metric of metrics)
    if (!METRICS[metric]) throw new CeInvalid('ValidationException', `Metric ${metric} is not valid for resource-level data`);
  if (!request.Filter)
    throw new CeInvalid('ValidationException', 'Filter is required: name the SERVICE (e.g. Amazon Elastic Compute Cloud - Compute)');
  const services = filteredServices(request.Filter);
  if (!services)
    throw new CeInvalid(
      'ValidationException',
      'The filter must include a SERVICE dimension (e.g. SERVICE = Amazon Elastic Compute Cloud - Compute)',
    );
  if (granularity === 'HOURLY' && services.some((service) => service !== SERVICES.aws.compute))
    throw new CeInvalid(
      'ValidationException',
      'Hourly granularity is only available for EC2-Instances (Elastic Compute Cloud) resource-level data',
    );
  const groupBy = request.GroupBy ?? [];
  if (groupBy.length > 2) throw new CeInvalid('ValidationException', 'Only up to 2 GroupBy dimensions are allowed');
  const fields = groupBy.map((group) => {
    const field = group.Type === 'DIMENSION' ? FIELDS[group.Key ?? ''] : undefined;
    if (!field)
      throw new CeInvalid(
        'ValidationException',
        `Group Definition ${group.Type ?? '(missing)'} ${group.Key ?? '(missing)'} is invalid for resource-level data. Valid dimensions: RESOURCE_ID, SERVICE, LINKED_ACCOUNT, REGION`,
      );
    return field;
  });
  if (!fields.includes('id') && !filtersResourceId(request.Filter))
    throw new CeInvalid('ValidationException', 'GetCostAndUsageWithResources requires a GroupBy or a Filter on RESOURCE_ID');
  const keep = predicate(request.Filter);

  const cacheKey = JSON.stringify([accounts, { ...request, NextPageToken: undefined }]);
  const answers = ctx.state.get(ANSWERS);
  let answer = answers.get(cacheKey);
  if (!answer) {
    answer = compute();
    answers.set(cacheKey, answer);
    if (answers.size > 16) answers.delete(answers.keys().next().value as string);
  }
  function compute(): Answer {
    const visible = new Set(accounts);
    const resources = cachedResourceSplit(ctx.state).resources.filter((r) => visible.has(r.account) && keep(r));
    const step = granularity === 'HOURLY' ? 1 : 24;
    const last = Math.min(to, (today + 1) * 24);
    const monthStart = Math.floor(
      Date.UTC(new Date(today * 86_400_000).getUTCFullYear(), new Date(today * 86_400_000).getUTCMonth(), 1) / 86_400_000,
    );
    const periods: Answer['periods'] = [];
    const entries: Entry[] = [];
    const iso = (hour: number) =>
      granularity === 'HOURLY' ? `${isoOfDay(Math.floor(hour / 24))}T${String(hour % 24).padStart(2, '0')}:00:00Z` : isoOfDay(hour / 24);
    for (let hour = from; hour < last; hour += step) {
      const day = Math.floor(hour / 24);
      const period = periods.length;
      periods.push({ start: iso(hour), end: iso(hour + step), estimated: day >= monthStart });
      const groups = new Map<string, { keys: string[]; cents: Record<string, number> }>();
      for (const r of resources) {
        const cents: Record<string, number> = {};
        let any = false;
        for (const metric of metrics) {
          const value = resourceDayCents(series, METRICS[metric], r, day) / (24 / step);
          cents[metric] = value;
          if (value !== 0) any = true;
        }
        if (!any) continue;
        const keys = fields.map((field) => r[field]);
        const id = keys.join('\u0000');
        const group = groups.get(id);
        if (group) for (const metric of metrics) group.cents[metric] += cents[metric];
        else groups.set(id, { keys, cents });
      }
      for (const group of groups.values()) {
        const values: Record<string, string> = {};
        for (const metric of metrics) values[metric] = amount(group.cents[metric]);
        entries.push({ period, keys: group.keys, metrics: values });
      }
    }
    return { periods, entries };
  }

  const listing = `ce-resources:${start}:${end}:${granularity}`;
  let offset = 0;
  if (request.NextPageToken) {
    const decoded = decodeToken(listing, request.NextPageToken);
    if (decoded === undefined || decoded > answer.entries.length)
      throw new CeInvalid('InvalidNextTokenException', 'The pagination token is invalid.');
    offset = decoded;
  }
  const stop = Math.min(answer.entries.length, offset + CE_RESOURCE_PAGE_GROUPS);
  const page = answer.entries.slice(offset, stop);
  // Every period appears once, on the page its first group is on (or the first page when it has none).
  const byPeriod = new Map<number, Entry[]>();
  for (const entry of page) {
    const list = byPeriod.get(entry.period);
    if (list) list.push(entry);
    else byPeriod.set(entry.period, [entry]);
  }
  if (offset === 0) for (let index = 0; index < answer.periods.length; index++) if (!byPeriod.has(index)) byPeriod.set(index, []);
  const results = [...byPeriod]
    .sort((a, b) => a[0] - b[0])
    .map(([index, list]) => {
      const period = answer.periods[index];
      return {
        TimePeriod: { Start: period.start, End: period.end },
        Total: {},
        Groups: list.map((entry) => ({
          Keys: entry.keys,
          Metrics: Object.fromEntries(Object.entries(entry.metrics).map(([metric, value]) => [metric, { Amount: value, Unit: 'USD' }])),
        })),
        Estimated: period.estimated,
      };
    });
  const body: Record<string, unknown> = {
    GroupDefinitions: groupBy.map((group) => ({ Type: group.Type, Key: group.Key })),
    ResultsByTime: results,
    DimensionValueAttributes: [],
  };
  if (stop < answer.entries.length) body.NextPageToken = encodeToken(listing, stop);
  return jsonResponse(body);
}
