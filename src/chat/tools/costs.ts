// costs_* tools: spend from the billing APIs over a period grouped by service, region or account
// (the same read as `guardian costs`), the month-end projection with an optional budget, and the
// estate's run-rate at list prices (`guardian costs --estimate`) from the session's inventory.

import { MAX_GROUPS, page } from './bound.js';
import { RESOURCE_FILTER_SCHEMA, type ResourceFilter, resourceMatcher } from './filters.js';
import type { ChatTool, SpendQuery } from './types.js';

const CLOUDS_SCHEMA = { type: 'array', items: { type: 'string', enum: ['aws', 'azure', 'gcp'] }, uniqueItems: true, minItems: 1 };
const round2 = (n: number) => Math.round(n * 100) / 100;

const PERIOD_SCHEMA = {
  last: { type: 'string', pattern: '^\\d+\\s*[dwmyDWMY]$', description: 'a span ending today: 30d, 12w, 3m, 1y' },
  month: { type: 'string', pattern: '^\\d{4}-\\d{2}$', description: 'a calendar month, YYYY-MM' },
  from: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'first day included, YYYY-MM-DD' },
  to: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'last day included, YYYY-MM-DD (needs from)' },
};

const NO_BILLING =
  'spend comes from the billing APIs and this session reads a saved snapshot (--input); costs_estimate prices the snapshot at list prices instead';

export const costsSpend: ChatTool<Omit<SpendQuery, 'top' | 'budget'> & { top?: number }> = {
  name: 'costs_spend',
  description:
    "Actual spend from the clouds' billing APIs over a period (default: month to date), in total and grouped by service, region or account, compared with the period before. Currencies are never added together.",
  parameters: {
    type: 'object',
    additionalProperties: false,
    properties: {
      groupBy: { type: 'string', enum: ['service', 'region', 'account'], description: 'default service' },
      ...PERIOD_SCHEMA,
      clouds: CLOUDS_SCHEMA,
      top: { type: 'integer', minimum: 1, maximum: MAX_GROUPS, description: 'groups to return (default 10)' },
    },
  },
  async run(args, ctx) {
    if (ctx.estate.mode === 'snapshot') throw new Error(NO_BILLING);
    const { report } = await ctx.estate.spend({ ...args, groupBy: args.groupBy ?? 'service', top: args.top ?? 10 });
    const groups = report.groups[0];
    return {
      period: report.period,
      previousPeriod: report.previousPeriod,
      metric: report.metric,
      clouds: report.clouds,
      totals: report.totals,
      groupBy: groups?.dimension,
      groups: groups?.rows ?? [],
      others: groups?.others ?? [],
      missing: report.missing,
      noComparison: report.noComparison,
    };
  },
};

export const costsProjection: ChatTool<{ clouds?: SpendQuery['clouds']; budget?: number }> = {
  name: 'costs_projection',
  description:
    "This month's spend to date and its projected month-end total (run-rate plus recurring monthly charges) per currency; with a budget (in USD), whether it is exceeded.",
  parameters: {
    type: 'object',
    additionalProperties: false,
    properties: {
      clouds: CLOUDS_SCHEMA,
      budget: { type: 'number', exclusiveMinimum: 0, description: 'a monthly budget in USD to judge the projection against' },
    },
  },
  async run(args, ctx) {
    if (ctx.estate.mode === 'snapshot') throw new Error(NO_BILLING);
    const { report } = await ctx.estate.spend({ clouds: args.clouds, top: 5, budget: args.budget });
    return {
      projections: report.projections,
      budget: report.budget,
      missing: report.monthMissing,
    };
  },
};

export const costsEstimate: ChatTool<ResourceFilter & { top?: number }> = {
  name: 'costs_estimate',
  description:
    "The estate's monthly run-rate at public list prices (USD, 730 hours a month) from the discovered resources: total, by cloud and kind, the most expensive resources, and how many could not be priced.",
  parameters: {
    type: 'object',
    additionalProperties: false,
    properties: {
      ...RESOURCE_FILTER_SCHEMA,
      top: { type: 'integer', minimum: 1, maximum: MAX_GROUPS, description: 'most expensive resources to return (default 10)' },
    },
  },
  async run(args, ctx) {
    const inventory = await ctx.estate.inventory();
    const { top, ...filter } = args;
    const { estimateEstate } = await import('../../pricing/estimate.js');
    const estimate = estimateEstate(inventory.resources.filter(resourceMatcher(filter)));
    const priced = [...estimate.priced].sort((a, b) => b.monthly - a.monthly || a.id.localeCompare(b.id));
    const roundAll = (record: Record<string, number>) => Object.fromEntries(Object.entries(record).map(([k, v]) => [k, round2(v)]));
    const unpricedReasons = new Map<string, number>();
    for (const u of estimate.unpriced) unpricedReasons.set(u.reason, (unpricedReasons.get(u.reason) ?? 0) + 1);
    return {
      currency: estimate.currency,
      priceBasis: 'list',
      monthly: round2(estimate.monthly),
      byCloud: roundAll(estimate.byCloud),
      byKind: roundAll(estimate.byKind),
      mostExpensive: page(
        priced.map((p) => ({ ...p, monthly: round2(p.monthly) })),
        top ?? 10,
      ),
      free: estimate.free,
      unpriced: { count: estimate.unpriced.length, reasons: Object.fromEntries([...unpricedReasons].slice(0, 10)) },
      source: { from: inventory.source, complete: inventory.complete },
    };
  },
};
