// What changed between two snapshots: resources added, removed, and changed (with the fields
// that changed), keyed by cloud/account/kind/id. A resource one snapshot did not look for (a
// listing that failed or did not finish, a cloud or kind it was not asked for) is "not compared":
// its absence there says nothing, so it is neither added nor removed.

import { isUnfinished, type ScopeSummary, type TaskError } from '../model/discovery.js';
import type { Cloud, Resource, ResourceKind } from '../model/resource.js';
import { resourceKey } from '../model/resource.js';
import { parseFilters } from './filter.js';

export interface FieldChange {
  field: string;
  before: unknown;
  after: unknown;
}

export interface ResourceChange {
  resource: Resource;
  changes: FieldChange[];
}

/** A resource found in one snapshot only, where the other one did not look (or did not finish looking). */
export interface UncomparedResource {
  resource: Resource;
  /** The snapshot that has it. */
  foundIn: 'before' | 'after';
  /** Why the other snapshot cannot say whether it is there. */
  reason: string;
}

export interface InventoryDiff {
  added: Resource[];
  removed: Resource[];
  changed: ResourceChange[];
  unchanged: number;
  notCompared: UncomparedResource[];
}

/** What a snapshot records about where it looked: its request, its failed listings, and the --filter it was printed with. */
export interface SnapshotCoverageInput {
  request?: { providers?: Cloud[]; regions?: string[]; kinds?: ResourceKind[] };
  scopes: ScopeSummary[];
  errors: TaskError[];
  /** Present on a snapshot printed with `discover --filter`: it holds only the matching resources. */
  filter?: string[];
}

/** Why a snapshot cannot know whether a resource exists, or undefined when it looked for it. */
export type Coverage = (resource: Resource) => string | undefined;

/** A GCP zone (us-central1-a) is in its region (us-central1); an AWS/Azure region is itself. */
export function inRegion(resourceRegion: string, region: string): boolean {
  return resourceRegion === region || resourceRegion.replace(/-[a-z]$/, '') === region;
}

/** The part of the estate a diff looks at (`discover diff --provider/--region/--kind`). */
export interface DiffSlice {
  providers?: Cloud[];
  regions?: string[];
  kinds?: ResourceKind[];
}

/**
 * The failed or unfinished listings that touch a slice: a snapshot whose only gaps are outside
 * what the diff looks at is complete for that diff.
 */
export function errorsWithin(errors: readonly TaskError[], slice: DiffSlice): TaskError[] {
  return errors.filter(
    (e) =>
      (!slice.providers || slice.providers.includes(e.cloud)) &&
      (!slice.kinds || !e.kind || slice.kinds.includes(e.kind)) &&
      (!slice.regions || !e.region || e.region === 'global' || slice.regions.some((region) => inRegion(region, e.region as string))),
  );
}

export function snapshotCoverage(snapshot: SnapshotCoverageInput): Coverage {
  const { providers, regions, kinds } = snapshot.request ?? {};
  const filter = snapshot.filter ? parseFilters(snapshot.filter) : undefined;
  const regional = new Set(snapshot.scopes.filter((s) => s.type === 'region').map((s) => `${s.cloud}|${s.account}|${s.region}`));
  const errorCovers = (error: TaskError, resource: Resource): boolean => {
    if (error.cloud !== resource.cloud) return false;
    if (error.account !== '*' && error.account !== resource.account) return false;
    if (error.kind && error.kind !== resource.kind) return false;
    // An account-wide scope (S3-style, Azure subscription, GCP aggregatedList) covers every region.
    if (error.account === '*' || !error.region || error.region === 'global') return true;
    if (!regional.has(`${error.cloud}|${error.account}|${error.region}`) && error.kind) return true;
    return inRegion(resource.region, error.region);
  };
  return (resource) => {
    if (providers && !providers.includes(resource.cloud)) return `${resource.cloud} was not discovered`;
    if (kinds && !kinds.includes(resource.kind)) return `${resource.kind} was not discovered`;
    if (regions && resource.region !== 'global' && !regions.some((region) => inRegion(resource.region, region)))
      return `${resource.region} was not discovered`;
    if (filter && !filter.matches(resource)) return `outside its --filter ${filter.expressions.join(' ')}`;
    const error = snapshot.errors.find((e) => errorCovers(e, resource));
    if (!error) return undefined;
    const region = error.region ? ` in ${error.region}` : '';
    const where = error.kind
      ? `${error.kind}${region}`
      : error.account === '*'
        ? `listing the ${error.cloud} accounts and regions`
        : `listing account ${error.account}${region}`;
    return isUnfinished(error) ? `${where} did not finish` : `${where} failed (${error.code})`;
  };
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

/**
 * Compare two resource lists. With coverage, a resource only in `after` is added only when `before`
 * looked for it, and one only in `before` is removed only when `after` did; otherwise it is not compared.
 */
export function diffInventories(
  before: Resource[],
  after: Resource[],
  coverage: { before?: Coverage; after?: Coverage } = {},
): InventoryDiff {
  const old = new Map(before.map((r) => [resourceKey(r), r]));
  const notCompared: UncomparedResource[] = [];
  const added: Resource[] = [];
  const changed: ResourceChange[] = [];
  let unchanged = 0;
  for (const resource of after) {
    const key = resourceKey(resource);
    const previous = old.get(key);
    if (!previous) {
      const reason = coverage.before?.(resource);
      if (reason) notCompared.push({ resource, foundIn: 'after', reason: `before: ${reason}` });
      else added.push(resource);
      continue;
    }
    old.delete(key);
    const changes = compareResources(previous, resource);
    if (changes.length > 0) changed.push({ resource, changes });
    else unchanged += 1;
  }
  const removed: Resource[] = [];
  for (const resource of old.values()) {
    const reason = coverage.after?.(resource);
    if (reason) notCompared.push({ resource, foundIn: 'before', reason: `after: ${reason}` });
    else removed.push(resource);
  }
  return { added, removed, changed, unchanged, notCompared };
}
