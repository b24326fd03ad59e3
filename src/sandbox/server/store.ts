// The sandbox's estate as something that can change: it owns the resources and their lookup
// tables, and every mutation (a field updated, a resource added or removed, a change scheduled
// to land later, as a stopping instance becomes stopped) keeps the tables in step, bumps the
// version and tells its listeners, which drop what they derived from the old resources (the
// server's estate slots, the manifest). Mutating calls — optimize --apply's — go through here.

import type { Estate, EstateResource } from '../estate/types.js';
import { type EstateIndex, indexEstate } from './index-estate.js';

export type EstateChange =
  | { type: 'update'; resource: EstateResource }
  | { type: 'add'; resource: EstateResource }
  | { type: 'remove'; resource: EstateResource };

export interface EstateStoreOptions {
  /** Milliseconds since the epoch; tests pass their own to step through pending → completed. */
  clock?: () => number;
  /**
   * How long each stage of an asynchronous change takes, in ms (a snapshot's pending, a volume
   * modification's modifying and optimizing, an instance's stopping). Default 1000.
   */
  settleMs?: number;
  /**
   * Whether Cost Explorer serves resource-level data (GetCostAndUsageWithResources). Real accounts
   * opt in from the Cost Management preferences; off, the API refuses (default on).
   */
  resourceLevelData?: boolean;
}

export const DEFAULT_SETTLE_MS = 1000;

interface Scheduled {
  at: number;
  /** Insertion order, so changes due at the same moment land in the order they were made. */
  seq: number;
  id: string;
  apply: (resource: EstateResource) => void;
}

export class EstateStore {
  /** The index is updated in place, so a reference taken before a change stays valid. */
  readonly index: EstateIndex;
  readonly clock: () => number;
  readonly settleMs: number;
  readonly resourceLevelData: boolean;
  private versionValue = 0;
  private readonly listeners: ((change: EstateChange) => void)[] = [];
  private readonly scheduled: Scheduled[] = [];
  private seq = 0;

  constructor(
    readonly estate: Estate,
    options: EstateStoreOptions = {},
  ) {
    this.index = indexEstate(estate);
    this.clock = options.clock ?? Date.now;
    this.settleMs = options.settleMs ?? DEFAULT_SETTLE_MS;
    this.resourceLevelData = options.resourceLevelData ?? true;
    if (!(Number.isFinite(this.settleMs) && this.settleMs >= 0)) throw new RangeError(`settle time must be ≥ 0 ms (got ${this.settleMs})`);
  }

  /** Bumped by every change: 0 for the estate as generated. */
  get version(): number {
    return this.versionValue;
  }

  onChange(listener: (change: EstateChange) => void): void {
    this.listeners.push(listener);
  }

  get(id: string): EstateResource | undefined {
    return this.index.byId.get(id);
  }

  /** Changes a resource's fields (never its id, kind, account or region, which the index is keyed by). */
  update<R extends EstateResource>(resource: R, change: (resource: R) => void): R {
    if (this.index.byId.get(resource.id) !== resource) throw new Error(`no resource ${resource.id} in the estate`);
    const { id, kind, account, region } = resource;
    change(resource);
    // A change that removed the resource (a delete landing) has told the listeners already.
    if (this.index.byId.get(id) !== resource) return resource;
    if (resource.id !== id || resource.kind !== kind || resource.account !== account || resource.region !== region) {
      throw new Error(`an update may not move ${id} (its id, kind, account and region are fixed)`);
    }
    this.changed({ type: 'update', resource });
    return resource;
  }

  add<R extends EstateResource>(resource: R): R {
    if (this.index.byId.has(resource.id)) throw new Error(`the estate already has ${resource.id}`);
    this.estate.resources.push(resource);
    this.index.byId.set(resource.id, resource);
    push(this.index.byScope, scopeKey(resource), resource);
    push(this.index.byAccount, accountKey(resource), resource);
    this.changed({ type: 'add', resource });
    return resource;
  }

  remove(resource: EstateResource): void {
    if (this.index.byId.get(resource.id) !== resource) throw new Error(`no resource ${resource.id} in the estate`);
    this.index.byId.delete(resource.id);
    drop(this.estate.resources, resource);
    drop(this.index.byScope.get(scopeKey(resource)), resource);
    drop(this.index.byAccount.get(accountKey(resource)), resource);
    this.scheduledFor(resource.id, true);
    this.changed({ type: 'remove', resource });
  }

  /** Applies `apply` to the resource `delayMs` from now (on the first settle() after that). */
  schedule<R extends EstateResource>(resource: R, delayMs: number, apply: (resource: R) => void): void {
    const entry: Scheduled = { at: this.clock() + delayMs, seq: this.seq++, id: resource.id, apply: apply as Scheduled['apply'] };
    let i = this.scheduled.length;
    while (i > 0 && this.scheduled[i - 1].at > entry.at) i--;
    this.scheduled.splice(i, 0, entry);
  }

  /** Whether a change to the resource is still to land. */
  pending(id: string): boolean {
    return this.scheduledFor(id, false);
  }

  /** Lands every scheduled change that is due; the server calls it before each request. */
  settle(): void {
    if (this.scheduled.length === 0) return;
    const now = this.clock();
    while (this.scheduled.length > 0 && this.scheduled[0].at <= now) {
      const entry = this.scheduled.shift() as Scheduled;
      const resource = this.index.byId.get(entry.id);
      if (resource) this.update(resource, entry.apply);
    }
  }

  private scheduledFor(id: string, cancel: boolean): boolean {
    let found = false;
    for (let i = this.scheduled.length - 1; i >= 0; i--) {
      if (this.scheduled[i].id !== id) continue;
      found = true;
      if (cancel) this.scheduled.splice(i, 1);
    }
    return found;
  }

  private changed(change: EstateChange): void {
    this.versionValue += 1;
    for (const listener of this.listeners) listener(change);
  }
}

const scopeKey = (r: EstateResource) => `${r.kind}|${r.account}|${r.region}`;
const accountKey = (r: EstateResource) => `${r.kind}|${r.account}`;

function push(map: Map<string, EstateResource[]>, key: string, resource: EstateResource): void {
  const list = map.get(key);
  if (list) list.push(resource);
  else map.set(key, [resource]);
}

function drop(list: EstateResource[] | undefined, resource: EstateResource): void {
  const at = list ? list.indexOf(resource) : -1;
  if (list && at >= 0) list.splice(at, 1);
}
