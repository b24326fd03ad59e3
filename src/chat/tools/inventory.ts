// inventory_* tools: the discovered resources (a live discovery once per session, or --input),
// queried by cloud, account, region, kind, tag, state, name or id; counted by one dimension; and
// one resource's relations both ways.

import type { Resource } from '../../model/resource.js';
import { countBy, DEFAULT_LIMIT, MAX_GROUPS, MAX_LIMIT, page } from './bound.js';
import { RESOURCE_FILTER_SCHEMA, type ResourceFilter, resourceMatcher, resourceRow } from './filters.js';
import type { ChatTool } from './types.js';

const LIMIT = { type: 'integer', minimum: 1, maximum: MAX_LIMIT, description: `rows to return (default ${DEFAULT_LIMIT})` };

/** What every inventory answer says about where its figures come from. */
async function sourceOf(ctx: Parameters<ChatTool['run']>[1]) {
  const inventory = await ctx.estate.inventory();
  return {
    inventory,
    source: { from: inventory.source, complete: inventory.complete, failedListings: inventory.errors.length },
  };
}

export const inventoryResources: ChatTool<ResourceFilter & { limit?: number }> = {
  name: 'inventory_resources',
  description:
    'List discovered resources matching filters (cloud, account, region, kind, tag, state, name, id). Returns the total matched, up to `limit` rows and how many more.',
  parameters: { type: 'object', additionalProperties: false, properties: { ...RESOURCE_FILTER_SCHEMA, limit: LIMIT } },
  async run(args, ctx) {
    const { inventory, source } = await sourceOf(ctx);
    const matched = inventory.resources.filter(resourceMatcher(args));
    const { total, rows, more } = page(matched, args.limit ?? DEFAULT_LIMIT);
    return { total, resources: rows.map(resourceRow), more, source };
  },
};

const DIMENSION = '^(cloud|account|region|kind|state|tag:.+)$';

function keyOf(by: string): (resource: Resource) => string | undefined {
  if (by.startsWith('tag:')) {
    const key = by.slice(4).toLowerCase();
    return (r) => Object.entries(r.tags).find(([k]) => k.toLowerCase() === key)?.[1];
  }
  return (r) => r[by as 'cloud' | 'account' | 'region' | 'kind' | 'state'];
}

export const inventoryCounts: ChatTool<ResourceFilter & { by: string }> = {
  name: 'inventory_counts',
  description: `Count discovered resources grouped by cloud, account, region, kind, state or tag:KEY, after the same filters as inventory_resources. Largest groups first, at most ${MAX_GROUPS}; the rest summed in "others".`,
  parameters: {
    type: 'object',
    additionalProperties: false,
    required: ['by'],
    properties: {
      by: { type: 'string', pattern: DIMENSION, description: 'cloud, account, region, kind, state or tag:KEY (e.g. tag:env)' },
      ...RESOURCE_FILTER_SCHEMA,
    },
  },
  async run(args, ctx) {
    const { inventory, source } = await sourceOf(ctx);
    const { by, ...filter } = args;
    const matched = inventory.resources.filter(resourceMatcher(filter));
    return { by, ...countBy(matched, keyOf(by)), source };
  },
};

export const inventoryRelations: ChatTool<{ id: string }> = {
  name: 'inventory_relations',
  description:
    'One resource by id and its relations: what it points at (attached-to, protected-by, in-network, snapshot-of, associated-with) and what points at it.',
  parameters: {
    type: 'object',
    additionalProperties: false,
    required: ['id'],
    properties: { id: RESOURCE_FILTER_SCHEMA.id },
  },
  async run(args, ctx) {
    const { inventory, source } = await sourceOf(ctx);
    const byId = new Map(inventory.resources.map((r) => [r.id, r]));
    const resource = byId.get(args.id);
    if (!resource) return { found: false, id: args.id, source };
    const brief = (id: string) => {
      const target = byId.get(id);
      return target ? { id, name: target.name, kind: target.kind } : { id, found: false };
    };
    const outgoing = resource.relations.map((relation) => ({ type: relation.type, ...brief(relation.target) }));
    const incoming = inventory.resources.flatMap((other) =>
      other.relations.filter((rel) => rel.target === resource.id).map((rel) => ({ type: rel.type, ...brief(other.id) })),
    );
    return {
      found: true,
      resource: resourceRow(resource),
      relations: page(outgoing, MAX_LIMIT),
      referrers: page(incoming, MAX_LIMIT),
      source,
    };
  },
};
