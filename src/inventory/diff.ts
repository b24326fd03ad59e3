// What changed between two snapshots: resources added, removed, and changed (with the fields
// that changed), keyed by cloud/account/kind/id.

import { type Resource, resourceKey } from '../model/resource.js';

export interface FieldChange {
  field: string;
  before: unknown;
  after: unknown;
}

export interface ResourceChange {
  resource: Resource;
  changes: FieldChange[];
}

export interface InventoryDiff {
  added: Resource[];
  removed: Resource[];
  changed: ResourceChange[];
  unchanged: number;
}

function flatten(value: unknown, prefix: string, out: Map<string, string>): void {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [key, child] of Object.entries(value)) flatten(child, prefix ? `${prefix}.${key}` : key, out);
    return;
  }
  if (value !== undefined) out.set(prefix, JSON.stringify(value));
}

/** Compare what a person would call the resource's configuration: name, state, tags, attributes, relations. */
export function compareResources(before: Resource, after: Resource): FieldChange[] {
  const pick = (r: Resource) => ({
    name: r.name,
    region: r.region,
    state: r.state,
    tags: r.tags,
    attributes: r.attributes,
    relations: r.relations,
  });
  const a = new Map<string, string>();
  const b = new Map<string, string>();
  flatten(pick(before), '', a);
  flatten(pick(after), '', b);
  const fields = new Set([...a.keys(), ...b.keys()]);
  const changes: FieldChange[] = [];
  for (const field of [...fields].sort()) {
    const x = a.get(field);
    const y = b.get(field);
    if (x !== y)
      changes.push({ field, before: x === undefined ? undefined : JSON.parse(x), after: y === undefined ? undefined : JSON.parse(y) });
  }
  return changes;
}

export function diffInventories(before: Resource[], after: Resource[]): InventoryDiff {
  const old = new Map(before.map((r) => [resourceKey(r), r]));
  const added: Resource[] = [];
  const changed: ResourceChange[] = [];
  let unchanged = 0;
  for (const resource of after) {
    const key = resourceKey(resource);
    const previous = old.get(key);
    if (!previous) {
      added.push(resource);
      continue;
    }
    old.delete(key);
    const changes = compareResources(previous, resource);
    if (changes.length > 0) changed.push({ resource, changes });
    else unchanged += 1;
  }
  return { added, removed: [...old.values()], changed, unchanged };
}
