// The discovery engine: expands a request into tasks (provider × scope × kind), runs every page
// call through a global p-limit pool and a per-scope pool, retries throttling and transient
// failures with backoff, and streams resources out as they arrive. A failing scope is recorded
// beside the results; it never sinks the run.

import pLimit, { type LimitFunction } from 'p-limit';
import { type DiscoveryStats, emptyStats, isUnfinished, type ScopeSummary, type TaskError } from '../model/discovery.js';
import { type Resource, type ResourceKind, resourceKey } from '../model/resource.js';
import type { CloudProvider, KindSpec, Scope, ScopeListing } from '../providers/types.js';
import { CallFailed, callWithRetry } from './call.js';
import type { DiscoveryEvent } from './events.js';
import { backoffDelay, DEFAULT_RETRY, mayRetry, type RetryPolicy, sleep } from './retry.js';
import { listingDigest, type Shard, type ShardRecord, scopeIdentity, shardOf } from './shard.js';

export interface DiscoveryOptions {
  providers: CloudProvider[];
  kinds?: ResourceKind[];
  regions?: string[];
  /** Page calls in flight at once, over every cloud. */
  concurrency: number;
  /** Page calls in flight at once within one scope (account × region), so one throttled region cannot take every slot. */
  scopeConcurrency: number;
  /** Abort one call that takes longer than this. */
  callTimeoutMs: number;
  retry?: RetryPolicy;
  raw?: boolean;
  /** Ctrl-C and the overall --timeout: aborting stops every call and returns what was found. */
  signal: AbortSignal;
  onEvent?: (event: DiscoveryEvent) => void;
  /** Each page's resources as soon as they arrive (NDJSON streaming, the snapshot writer). */
  onResources?: (resources: Resource[]) => void;
  /**
   * Keep every resource in `result.resources` (default true). A run that streams them elsewhere
   * (the snapshot file) passes false so its memory does not grow with the estate.
   */
  keep?: boolean;
  /** Only the scopes of this shard (the listing still runs whole, and is recorded). */
  shard?: Shard;
  /** Injectable randomness for jitter (tests). */
  random?: () => number;
}

export interface DiscoveryResult {
  /** Every resource found; empty when the run was asked not to keep them. */
  resources: Resource[];
  scopes: ScopeSummary[];
  errors: TaskError[];
  stats: DiscoveryStats;
  /** False when interrupted, timed out, or any task failed. */
  complete: boolean;
  aborted: boolean;
  /** With a shard: what the listing found over every shard, for `discover merge` to check. */
  shard?: ShardRecord;
}

interface Task {
  provider: CloudProvider;
  spec: KindSpec;
  scope: Scope;
  summary: ScopeSummary;
}

function scopeKey(scope: Scope): string {
  return `${scope.cloud}|${scope.account}|${scope.region}`;
}

export async function discover(options: DiscoveryOptions): Promise<DiscoveryResult> {
  const policy = options.retry ?? DEFAULT_RETRY;
  const random = options.random ?? Math.random;
  const emit = options.onEvent ?? (() => {});
  const global = pLimit(options.concurrency);
  const scopePools = new Map<string, LimitFunction>();
  const stats: DiscoveryStats = emptyStats();
  const resources: Resource[] = [];
  const keep = options.keep !== false;
  const seen = new Set<string>();
  const errors: TaskError[] = [];
  const scopes: ScopeSummary[] = [];
  const kindFilter = options.kinds ? new Set(options.kinds) : undefined;
  /** Every scope identity the listings found with work in them, in any shard. */
  const listed: string[] = [];

  const poolFor = (key: string): LimitFunction => {
    let pool = scopePools.get(key);
    if (!pool) {
      pool = pLimit(options.scopeConcurrency);
      scopePools.set(key, pool);
    }
    return pool;
  };

  /** One call with the engine's pools, per-call timeout and retry policy. */
  function call<T>(provider: CloudProvider, poolKey: string, label: string, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
    return callWithRetry(provider, fn, {
      signal: options.signal,
      callTimeoutMs: options.callTimeoutMs,
      retry: policy,
      random,
      schedule: (attempt) => poolFor(poolKey)(() => global(attempt)),
      onAttempt: () => {
        stats.calls += 1;
      },
      onFailure: (error) => {
        if (error.class === 'throttle') stats.throttled += 1;
      },
      onRetry: (error, attempt, delayMs) => {
        stats.retries += 1;
        emit({ type: 'retry', cloud: provider.cloud, label, error, attempt, delayMs });
      },
    });
  }

  async function runTask(task: Task): Promise<void> {
    const { provider, spec, scope, summary } = task;
    let token: string | undefined;
    let pages = 0;
    let found = 0;
    try {
      do {
        const page = await call(provider, scopeKey(scope), `${scope.label} ${spec.kind}`, (signal) =>
          spec.listPage(scope, token, { signal, raw: options.raw === true }),
        );
        pages += 1;
        stats.pages += 1;
        const fresh: Resource[] = [];
        for (const resource of page.resources) {
          const key = resourceKey(resource);
          if (seen.has(key)) {
            stats.duplicates += 1;
            continue;
          }
          seen.add(key);
          fresh.push(resource);
          if (keep) resources.push(resource);
        }
        found += fresh.length;
        summary.resources += fresh.length;
        if (fresh.length > 0) options.onResources?.(fresh);
        emit({ type: 'page', scope, kind: spec.kind, resources: fresh.length });
        token = page.next;
      } while (token !== undefined);
      emit({ type: 'task-done', scope, kind: spec.kind, resources: found, pages });
    } catch (error) {
      const detail = error instanceof CallFailed ? error.classified : provider.classify(error);
      const attempts = error instanceof CallFailed ? error.attempts : 1;
      if (isUnfinished(detail)) {
        stats.unfinishedTasks += 1;
        summary.unfinishedTasks += 1;
      } else {
        stats.failedTasks += 1;
        summary.failedTasks += 1;
      }
      errors.push({
        cloud: scope.cloud,
        account: scope.account,
        region: scope.region,
        kind: spec.kind,
        class: detail.class,
        code: detail.code,
        message: detail.message,
        attempts: attempts ?? 1,
      });
      emit({ type: 'task-failed', scope, kind: spec.kind, error: detail, attempts: attempts ?? 1 });
    }
  }

  /**
   * A provider's scope listing makes several dependent calls (identity, organization, regions).
   * It reports failed accounts instead of throwing; when those failures are retryable the whole
   * listing runs again after a backoff, and the scopes of every attempt are merged.
   */
  async function listScopesWithRetry(provider: CloudProvider): Promise<ScopeListing> {
    const merged = new Map<string, Scope>();
    for (let attempt = 1; ; attempt++) {
      const listing = await call(provider, `${provider.cloud}|scopes`, `${provider.cloud} scopes`, (signal) =>
        provider.listScopes({ regions: options.regions, signal }),
      );
      for (const scope of listing.scopes) merged.set(`${scope.type}|${scopeKey(scope)}`, scope);
      // A failure can be about reaching other accounts (ListAccounts, AssumeRole), so it is never
      // judged "covered" by the scopes found: retry while any is retryable, then report what remains.
      const retryable = listing.failures.filter((failure) => mayRetry(policy, failure.error.class, attempt));
      if (retryable.length === 0 || options.signal.aborted) return { scopes: [...merged.values()], failures: listing.failures };
      const delayMs = backoffDelay(policy, attempt, random, retryable[0].error.retryAfterMs);
      stats.retries += 1;
      emit({ type: 'retry', cloud: provider.cloud, label: `${provider.cloud} scopes`, error: retryable[0].error, attempt, delayMs });
      try {
        await sleep(delayMs, options.signal);
      } catch {
        return { scopes: [...merged.values()], failures: listing.failures };
      }
    }
  }

  async function runProvider(provider: CloudProvider): Promise<void> {
    emit({ type: 'scopes-start', cloud: provider.cloud });
    let listing: ScopeListing;
    try {
      listing = await listScopesWithRetry(provider);
    } catch (error) {
      const detail = error instanceof CallFailed ? error.classified : provider.classify(error);
      const attempts = error instanceof CallFailed ? error.attempts : 1;
      errors.push({
        cloud: provider.cloud,
        account: '*',
        class: detail.class,
        code: detail.code,
        message: detail.message,
        attempts: attempts ?? 1,
      });
      emit({ type: 'scopes-done', cloud: provider.cloud, scopes: 0, failures: 1, tasks: 0 });
      return;
    }
    for (const failure of listing.failures) {
      errors.push({
        cloud: failure.cloud,
        account: failure.account,
        region: failure.region,
        class: failure.error.class,
        code: failure.error.code,
        message: failure.error.message,
        attempts: 1,
      });
    }
    const tasks: Task[] = [];
    for (const scope of listing.scopes) {
      if (options.regions && scope.type === 'region' && !options.regions.includes(scope.region)) continue;
      const summary: ScopeSummary = {
        cloud: scope.cloud,
        account: scope.account,
        region: scope.region,
        type: scope.type,
        label: scope.label,
        status: 'ok',
        resources: 0,
        tasks: 0,
        failedTasks: 0,
        unfinishedTasks: 0,
      };
      const specs = provider.kinds.filter((spec) => spec.scopeType === scope.type && (!kindFilter || kindFilter.has(spec.kind)));
      if (specs.length === 0) continue;
      const identity = scopeIdentity(scope);
      listed.push(identity);
      if (options.shard && shardOf(identity, options.shard.count) !== options.shard.index) continue;
      for (const spec of specs) tasks.push({ provider, spec, scope, summary });
      summary.tasks = specs.length;
      scopes.push(summary);
    }
    stats.tasks += tasks.length;
    emit({
      type: 'scopes-done',
      cloud: provider.cloud,
      scopes: listing.scopes.length,
      failures: listing.failures.length,
      tasks: tasks.length,
    });
    await Promise.all(tasks.map(runTask));
  }

  await Promise.all(options.providers.map(runProvider));

  for (const summary of scopes) {
    if (summary.failedTasks > 0) summary.status = summary.failedTasks === summary.tasks ? 'failed' : 'partial';
    else if (summary.unfinishedTasks > 0) summary.status = 'unfinished';
  }
  const aborted = options.signal.aborted;
  const shard = options.shard && { ...options.shard, listed: listed.length, digest: listingDigest(listed) };
  return { resources, scopes, errors, stats, complete: !aborted && errors.length === 0, aborted, ...(shard && { shard }) };
}
