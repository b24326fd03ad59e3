// optimize_* tools: the cost recommendations of `guardian optimize` (the same cost rules, metrics
// and list prices), filtered by action, cloud, resource or saving; and their totals by action.
// Read-only: a recommendation carries the command that would apply it, never the change itself.

import { RECOMMENDATION_ACTIONS, type Recommendation } from '../../model/recommendation.js';
import { DEFAULT_LIMIT, MAX_LIMIT, page } from './bound.js';
import { RESOURCE_FILTER_SCHEMA } from './filters.js';
import type { ChatTool, ToolContext } from './types.js';

interface RecommendationFilter {
  action?: string;
  cloud?: string;
  account?: string;
  resource?: string;
  minSaving?: number;
}

const FILTER_SCHEMA = {
  action: { type: 'string', enum: [...RECOMMENDATION_ACTIONS], description: 'what the recommendation does' },
  cloud: RESOURCE_FILTER_SCHEMA.cloud,
  account: RESOURCE_FILTER_SCHEMA.account,
  resource: { type: 'string', minLength: 1, description: "a resource's id, or part of its name" },
  minSaving: { type: 'number', minimum: 0, description: 'only those saving at least this many USD a month (unpriced ones stay)' },
};

async function recommendations(args: RecommendationFilter, ctx: ToolContext) {
  const outcome = await ctx.estate.optimize();
  const needle = args.resource?.toLowerCase();
  const list = outcome.recommendations.filter(
    (r) =>
      (!args.action || r.action === args.action) &&
      (!args.cloud || r.resource.cloud === args.cloud) &&
      (!args.account || r.resource.account === args.account) &&
      (!needle || r.resource.id === args.resource || r.resource.name.toLowerCase().includes(needle)) &&
      (args.minSaving === undefined || r.monthlySaving === null || r.monthlySaving >= args.minSaving),
  );
  const notes = {
    source: outcome.source,
    inventoryComplete: outcome.inventoryComplete,
    ...(outcome.skippedRules.length
      ? { skippedRules: outcome.skippedRules.map((r) => r.id), skippedBecause: 'offline: they need metrics' }
      : {}),
    ...(outcome.undecided.length ? { notJudged: outcome.undecided.length } : {}),
    ...(outcome.metricFailures.length ? { metricReadsFailed: outcome.metricFailures.length } : {}),
  };
  return { list, notes };
}

const row = (r: Recommendation) => ({
  id: r.id,
  rule: r.rule,
  action: r.action,
  resource: r.resource,
  summary: r.summary,
  monthlySaving: r.monthlySaving,
  currency: r.currency,
  ...(r.unpriced ? { unpriced: r.unpriced } : {}),
  evidence: r.evidence,
  risk: r.risk,
  /** What the user would run; chat never runs it. */
  command: r.command.cli,
});

export const optimizeRecommendations: ChatTool<RecommendationFilter & { limit?: number }> = {
  name: 'optimize_recommendations',
  description:
    'Cost recommendations (stop idle machines, resize, delete unattached disks, release addresses, old snapshots…), largest monthly saving first, each with its evidence, risk and the command that would apply it (never run by chat). Filters: action, cloud, account, resource, minimum saving.',
  parameters: {
    type: 'object',
    additionalProperties: false,
    properties: {
      ...FILTER_SCHEMA,
      limit: { type: 'integer', minimum: 1, maximum: MAX_LIMIT, description: `recommendations to return (default ${DEFAULT_LIMIT})` },
    },
  },
  async run(args, ctx) {
    const { list, notes } = await recommendations(args, ctx);
    const { total, rows, more } = page(list, args.limit ?? DEFAULT_LIMIT);
    return { total, recommendations: rows.map(row), more, ...notes };
  },
};

export const optimizeTotals: ChatTool<RecommendationFilter> = {
  name: 'optimize_totals',
  description:
    'What the cost recommendations save in total (USD a month at list prices, each resource counted once) and per action, after the same filters as optimize_recommendations.',
  parameters: { type: 'object', additionalProperties: false, properties: FILTER_SCHEMA },
  async run(args, ctx) {
    const { list, notes } = await recommendations(args, ctx);
    const { totalsOf } = await import('../../optimize/totals.js');
    return { ...totalsOf(list), priceBasis: 'list', ...notes };
  },
};
