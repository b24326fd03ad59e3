// AWS Cost Explorer GetCostAndUsage and GetCostAndUsageWithResources (costexplorer-resources.ts) (AWS JSON 1.1, target AWSInsightsIndexService.*, SigV4
// service `ce`, region us-east-1) over the estate's true cost series. The management account
// sees every linked account; a member account sees only itself.
// https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_GetCostAndUsage.html

import { aggregateCosts, type CostGroupDimension, type CostLine, dayNumber, isoOfDay } from '../estate/costs.js';
import { cachedCostSeries } from '../server/cost-series.js';
import { serverSlot } from '../server/state.js';
import type { SandboxContext, SandboxRequest, SandboxResponse, SandboxService } from '../server/types.js';
import { CeInvalid, getCostAndUsageWithResources, type WithResourcesRequest } from './costexplorer-resources.js';
import { resolveCaller } from './identity.js';
import { decodeToken, encodeToken, jsonError, jsonResponse } from './protocol.js';

const TARGET_PREFIX = 'AWSInsightsIndexService.';
/** Group entries per page before Cost Explorer hands back a NextPageToken (whole periods only). */
export const CE_PAGE_GROUPS = 500;

const METRICS: Record<string, 'unblended' | 'amortized'> = {
  UnblendedCost: 'unblended',
  BlendedCost: 'unblended',
  NetUnblendedCost: 'unblended',
  AmortizedCost: 'amortized',
  NetAmortizedCost: 'amortized',
};
const ALL_METRICS = [
  'AmortizedCost',
  'BlendedCost',
  'NetAmortizedCost',
  'NetUnblendedCost',
  'NormalizedUsageAmount',
  'UnblendedCost',
  'UsageQuantity',
];
const DIMENSIONS: Record<string, 'service' | 'region' | 'account'> = { SERVICE: 'service', REGION: 'region', LINKED_ACCOUNT: 'account' };

interface Expression {
  And?: Expression[];
  Or?: Expression[];
  Not?: Expression;
  Dimensions?: { Key?: string; Values?: string[]; MatchOptions?: string[] };
  Tags?: { Key?: string; Values?: string[]; MatchOptions?: string[] };
  CostCategories?: unknown;
}

interface GetCostAndUsageRequest {
  TimePeriod?: { Start?: string; End?: string };
  Granularity?: string;
  Metrics?: string[];
  GroupBy?: { Type?: string; Key?: string }[];
  Filter?: Expression;
  NextPageToken?: string;
}

class Invalid extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

function dimensionPredicate(node: Expression['Dimensions']): (line: CostLine) => boolean {
  const field = DIMENSIONS[node?.Key ?? ''];
  if (!field)
    throw new Invalid(
      'ValidationException',
      `Dimension ${node?.Key ?? '(none)'} is not allowed. Allowed values: SERVICE, REGION, LINKED_ACCOUNT`,
    );
  const values = new Set(node?.Values ?? []);
  const options = node?.MatchOptions ?? ['EQUALS'];
  if (options.some((option) => option !== 'EQUALS'))
    throw new Invalid('ValidationException', `MatchOptions ${options.join(',')} is not supported for dimension ${node?.Key}`);
  return (line) => values.has(line[field]);
}

/** A filter splits into line predicates (dimensions) and at most one tag condition at the top. */
function compileFilter(expression: Expression | undefined): {
  lines?: (line: CostLine) => boolean;
  tag?: { key: string; accept: (value: string) => boolean };
} {
  if (!expression) return {};
  const operators = (['And', 'Or', 'Not', 'Dimensions', 'Tags', 'CostCategories'] as const).filter((key) => expression[key] !== undefined);
  if (operators.length !== 1)
    throw new Invalid('ValidationException', 'Expression must have exactly one of And, Or, Not, Dimensions, Tags, CostCategories');
  const lineOnly = (node: Expression): ((line: CostLine) => boolean) => {
    if (node.Dimensions) return dimensionPredicate(node.Dimensions);
    if (node.And) {
      const parts = node.And.map(lineOnly);
      return (line) => parts.every((part) => part(line));
    }
    if (node.Or) {
      const parts = node.Or.map(lineOnly);
      return (line) => parts.some((part) => part(line));
    }
    if (node.Not) {
      const inner = lineOnly(node.Not);
      return (line) => !inner(line);
    }
    throw new Invalid(
      'ValidationException',
      'Tags and CostCategories are only supported at the top level of a filter or directly under And',
    );
  };
  const tagCondition = (node: NonNullable<Expression['Tags']>) => {
    if (!node.Key) throw new Invalid('ValidationException', 'Tag key must be specified');
    const values = new Set(node.Values ?? []);
    const absent = node.MatchOptions?.includes('ABSENT') === true;
    return { key: node.Key, accept: (value: string) => values.has(value) || (absent && value === '') };
  };
  if (expression.Tags) return { tag: tagCondition(expression.Tags) };
  if (expression.CostCategories) throw new Invalid('ValidationException', 'No cost categories are defined for this account');
  if (expression.And) {
    const tags = expression.And.filter((node) => node.Tags);
    if (tags.length > 1) throw new Invalid('ValidationException', 'Only one tag condition per filter is supported');
    const rest = expression.And.filter((node) => !node.Tags);
    const parts = rest.map(lineOnly);
    return { lines: (line) => parts.every((part) => part(line)), tag: tags[0]?.Tags ? tagCondition(tags[0].Tags) : undefined };
  }
  return { lines: lineOnly(expression) };
}

type ResultByTime = {
  TimePeriod: { Start: string; End: string };
  Total: Record<string, { Amount: string; Unit: string }>;
  Groups: unknown[];
  Estimated: boolean;
};

/** Answers from the cost series, which is fixed when the server starts (see cachedCostSeries). */
const ANSWERS = serverSlot('aws.ce.answers', () => new Map<string, ResultByTime[]>());

function answerCache(ctx: SandboxContext): Map<string, ResultByTime[]> {
  return ctx.state.get(ANSWERS);
}

function amount(cents: number): string {
  return (cents / 100).toFixed(10);
}

function getCostAndUsage(request: GetCostAndUsageRequest, accounts: string[], ctx: SandboxContext): SandboxResponse {
  const start = request.TimePeriod?.Start;
  const end = request.TimePeriod?.End;
  if (!start || !end) throw new Invalid('ValidationException', 'TimePeriod Start and End are required');
  if (!ISO_DATE.test(start) || !ISO_DATE.test(end) || Number.isNaN(dayNumber(start)) || Number.isNaN(dayNumber(end))) {
    throw new Invalid('ValidationException', `Invalid date format: ${ISO_DATE.test(start) ? end : start}. Expected yyyy-MM-dd`);
  }
  if (dayNumber(start) >= dayNumber(end))
    throw new Invalid('ValidationException', 'Start date (and hour) should be before end date (and hour)');
  const granularity = request.Granularity;
  if (granularity !== 'DAILY' && granularity !== 'MONTHLY') {
    if (granularity === 'HOURLY') throw new Invalid('ValidationException', 'Hourly granularity is not enabled for this account');
    throw new Invalid(
      'ValidationException',
      `Granularity ${granularity ?? '(missing)'} is not valid. Valid values: DAILY, MONTHLY, HOURLY`,
    );
  }
  const metrics = request.Metrics ?? [];
  if (metrics.length === 0) throw new Invalid('ValidationException', 'Metrics must be specified');
  for (const metric of metrics) {
    if (!ALL_METRICS.includes(metric))
      throw new Invalid('ValidationException', `Metric ${metric} is not valid. Valid values: ${ALL_METRICS.join(', ')}`);
    if (!METRICS[metric]) throw new Invalid('ValidationException', `Metric ${metric} is not available for this account`);
  }
  const groupBy = request.GroupBy ?? [];
  if (groupBy.length > 2) throw new Invalid('ValidationException', 'Only up to 2 GroupBy dimensions are allowed');
  const dims: CostGroupDimension[] = groupBy.map((group) => {
    if (group.Type === 'TAG') {
      if (!group.Key) throw new Invalid('ValidationException', 'Tag key must be specified in GroupBy');
      return { tag: group.Key };
    }
    if (group.Type !== 'DIMENSION')
      throw new Invalid(
        'ValidationException',
        `GroupBy type ${group.Type ?? '(missing)'} is not valid. Valid values: DIMENSION, TAG, COST_CATEGORY`,
      );
    const dim = DIMENSIONS[group.Key ?? ''];
    if (!dim)
      throw new Invalid(
        'ValidationException',
        `Group Definition dimension is invalid. Valid values are AZ, INSTANCE_TYPE, LEGAL_ENTITY_NAME, INVOICING_ENTITY, LINKED_ACCOUNT, OPERATION, PLATFORM, PURCHASE_TYPE, SERVICE, TENANCY, RECORD_TYPE, and USAGE_TYPE`,
      );
    return dim;
  });
  if (dims.filter((dim) => typeof dim === 'object').length > 1)
    throw new Invalid('ValidationException', 'Only one TAG GroupBy is supported');

  const series = cachedCostSeries(ctx.state);
  const now = dayNumber(series.end);
  if (dayNumber(start) < dayNumber(series.start)) {
    throw new Invalid('DataUnavailableException', `Data is not available before ${series.start}. Please try to adjust the time period.`);
  }
  const nowDate = new Date(now * 86_400_000);
  const nextMonth = Math.floor(Date.UTC(nowDate.getUTCFullYear(), nowDate.getUTCMonth() + 1, 1) / 86_400_000);
  if (dayNumber(end) > nextMonth) throw new Invalid('ValidationException', 'end date past the beginning of next month');

  const filter = compileFilter(request.Filter);
  const tagGroup = dims.find((dim): dim is { tag: string } => typeof dim === 'object');
  if (tagGroup && filter.tag && filter.tag.key !== tagGroup.tag) {
    throw new Invalid('ValidationException', 'Filtering on one tag key while grouping by another is not supported by the sandbox');
  }
  const startDay: string = start;
  const endDay: string = end;
  // Paging re-sends the whole request: compute the answer once and serve later pages from it.
  const cacheKey = JSON.stringify([accounts, { ...request, NextPageToken: undefined }]);
  const answers = answerCache(ctx);
  let results = answers.get(cacheKey);
  if (!results) {
    results = computeResults();
    answers.set(cacheKey, results);
    if (answers.size > 16) answers.delete(answers.keys().next().value as string);
  }
  function computeResults() {
    const byMetric = new Map<string, ReturnType<typeof aggregateCosts>>();
    for (const metric of metrics) {
      byMetric.set(
        metric,
        aggregateCosts(series, {
          cloud: 'aws',
          accounts: new Set(accounts),
          from: startDay,
          to: endDay,
          metric: METRICS[metric],
          granularity: granularity === 'DAILY' ? 'daily' : 'monthly',
          groupBy: dims,
          lineFilter: filter.lines,
          tagFilter: filter.tag,
        }),
      );
    }
    const periods = byMetric.get(metrics[0]) ?? [];
    const monthStart = isoOfDay(Math.floor(Date.UTC(nowDate.getUTCFullYear(), nowDate.getUTCMonth(), 1) / 86_400_000));
    const results = periods.map((period, index) => {
      const estimated = period.end > monthStart;
      if (dims.length === 0) {
        const total: Record<string, { Amount: string; Unit: string }> = {};
        for (const metric of metrics) {
          const cents = (byMetric.get(metric)?.[index]?.groups ?? []).reduce((sum, group) => sum + group.cents, 0);
          total[metric] = { Amount: amount(cents), Unit: 'USD' };
        }
        return { TimePeriod: { Start: period.start, End: period.end }, Total: total, Groups: [], Estimated: estimated };
      }
      const groups = new Map<string, { Keys: string[]; Metrics: Record<string, { Amount: string; Unit: string }> }>();
      for (const metric of metrics) {
        for (const group of byMetric.get(metric)?.[index]?.groups ?? []) {
          const keys = group.keys.map((key, i) => (typeof dims[i] === 'object' ? `${(dims[i] as { tag: string }).tag}$${key}` : key));
          const id = keys.join('\u0000');
          let entry = groups.get(id);
          if (!entry) {
            entry = { Keys: keys, Metrics: {} };
            groups.set(id, entry);
          }
          entry.Metrics[metric] = { Amount: amount(group.cents), Unit: 'USD' };
        }
      }
      for (const entry of groups.values()) for (const metric of metrics) entry.Metrics[metric] ??= { Amount: amount(0), Unit: 'USD' };
      return { TimePeriod: { Start: period.start, End: period.end }, Total: {}, Groups: [...groups.values()], Estimated: estimated };
    });
    return results;
  }
  // Pages hold whole periods, up to CE_PAGE_GROUPS group entries (at least one period).
  const listing = `ce:${start}:${end}:${granularity}`;
  let offset = 0;
  if (request.NextPageToken) {
    const decoded = decodeToken(listing, request.NextPageToken);
    if (decoded === undefined || decoded > results.length) throw new Invalid('ValidationException', 'Invalid NextPageToken');
    offset = decoded;
  }
  let stop = offset;
  let used = 0;
  while (stop < results.length && (stop === offset || used + results[stop].Groups.length <= CE_PAGE_GROUPS)) {
    used += results[stop].Groups.length;
    stop += 1;
  }
  const page = results.slice(offset, stop);
  const body: Record<string, unknown> = {
    GroupDefinitions: groupBy.map((group) => ({ Type: group.Type, Key: group.Key })),
    ResultsByTime: page,
    DimensionValueAttributes: dims.includes('account')
      ? accounts.map((id) => ({ Value: id, Attributes: { description: ctx.estate.aws.accounts.find((a) => a.id === id)?.name ?? id } }))
      : [],
  };
  if (stop < results.length) body.NextPageToken = encodeToken(listing, stop);
  return jsonResponse(body);
}

async function handle(req: SandboxRequest, ctx: SandboxContext): Promise<SandboxResponse> {
  const caller = resolveCaller(req, ctx);
  if (!caller.ok) {
    return caller.reason === 'expired'
      ? jsonError(400, 'ExpiredTokenException', 'The security token included in the request is expired')
      : jsonError(400, 'UnrecognizedClientException', 'The security token included in the request is invalid.');
  }
  if (req.aws?.region !== 'us-east-1') return jsonError(400, 'InvalidSignatureException', 'Credential should be scoped to a valid region.');
  const target = req.headers['x-amz-target'] ?? '';
  const operation = target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : '';
  if (operation !== 'GetCostAndUsage' && operation !== 'GetCostAndUsageWithResources')
    return jsonError(400, 'UnknownOperationException', `Operation ${operation || target || '(none)'} is not supported by the sandbox`);
  let request: GetCostAndUsageRequest;
  try {
    request = JSON.parse(req.body.toString('utf8') || '{}') as GetCostAndUsageRequest;
  } catch {
    return jsonError(400, 'SerializationException', 'Malformed JSON body');
  }
  const account = caller.caller.account;
  const visible = account.management ? ctx.estate.aws.accounts.map((a) => a.id) : [account.id];
  try {
    return operation === 'GetCostAndUsage'
      ? getCostAndUsage(request, visible, ctx)
      : getCostAndUsageWithResources(request as WithResourcesRequest, visible, ctx);
  } catch (error) {
    if (error instanceof Invalid || error instanceof CeInvalid) return jsonError(400, error.type, error.message);
    throw error;
  }
}

export const costExplorerService: SandboxService = {
  name: 'aws.ce',
  matches: (req) => req.aws?.service === 'ce',
  scope: (req, ctx) => {
    const caller = resolveCaller(req, ctx);
    return { account: caller.ok ? caller.caller.account.id : 'unknown', region: 'us-east-1' };
  },
  handle,
  faultResponse: (_req, fault) => {
    if (fault === 'throttle')
      return jsonError(400, 'LimitExceededException', 'You have exceeded the rate limit for this API. Please slow down and try again.');
    if (fault === 'outage') return jsonError(503, 'ServiceUnavailableException', 'Service is unavailable');
    return jsonError(500, 'InternalErrorException', 'An internal error occurred');
  },
};
