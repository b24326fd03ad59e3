// The vocabulary of a discovery run that snapshots, diffs, reports and the engine share: what
// failed, how each scope ended, and the run's call statistics. Plain data, no behaviour beyond
// small predicates.

import type { Cloud, Resource, ResourceKind } from './resource.js';

/** How a failed cloud call is treated: retried (throttle, transient, timeout) or recorded. */
export type ErrorClass = 'throttle' | 'transient' | 'auth' | 'denied' | 'not-found' | 'timeout' | 'fatal';

/** 'region': one region/location/zone of an account; 'account': the whole account (region 'global'). */
export type ScopeType = 'region' | 'account';

export interface TaskError {
  cloud: Cloud;
  account: string;
  region?: string;
  /** Absent when the scope listing itself failed. */
  kind?: ResourceKind;
  class: ErrorClass;
  code: string;
  message: string;
  attempts: number;
}

export interface ScopeSummary {
  cloud: Cloud;
  account: string;
  region: string;
  type: ScopeType;
  label: string;
  /**
   * 'failed': every listing failed; 'partial': some did; 'unfinished': none failed but some were
   * still running when the run was stopped (Ctrl-C, --timeout), so what they would have found is unknown.
   */
  status: 'ok' | 'failed' | 'partial' | 'unfinished';
  resources: number;
  tasks: number;
  /** Listings that failed (an error from the cloud, a call timeout), not counting unfinished ones. */
  failedTasks: number;
  /** Listings stopped by Ctrl-C or --timeout before they finished. */
  unfinishedTasks: number;
}

export interface DiscoveryStats {
  calls: number;
  retries: number;
  throttled: number;
  pages: number;
  tasks: number;
  failedTasks: number;
  unfinishedTasks: number;
  duplicates: number;
}

/** Statistics of a run that has made no call yet. */
export function emptyStats(): DiscoveryStats {
  return { calls: 0, retries: 0, throttled: 0, pages: 0, tasks: 0, failedTasks: 0, unfinishedTasks: 0, duplicates: 0 };
}

/** The statistics of several runs (the shards of one) added up. */
export function sumStats(all: readonly (Partial<DiscoveryStats> | null | undefined)[]): DiscoveryStats {
  const total = emptyStats();
  for (const stats of all) for (const key of Object.keys(total) as (keyof DiscoveryStats)[]) total[key] += stats?.[key] ?? 0;
  return total;
}

/** The codes the engine gives a listing the run stopped before it finished (Ctrl-C, --timeout). */
export const UNFINISHED_CODES: readonly string[] = ['Interrupted', 'RunTimeout'];

/** A listing that did not finish because the run was stopped: not a failure of the cloud. */
export function isUnfinished(error: Pick<TaskError, 'code'>): boolean {
  return UNFINISHED_CODES.includes(error.code);
}

/** Sees every resource of its cloud as it arrives (keeping only small data), then resolves each one. */
export interface RelationIndex {
  observe(resource: Resource): void;
  /** Mutates and returns `resource`; only valid once every resource of the run was observed. */
  resolve(resource: Resource): Resource;
}

/** Shard `index` of `count`, both from 1 (`--shard 2/4`): see src/discovery/shard.ts. */
export interface Shard {
  index: number;
  count: number;
}

/** What a sharded run recorded in its snapshot about the whole listing. */
export interface ShardRecord extends Shard {
  /** Scopes the listing found over every shard (after --region), and a digest of them. */
  listed: number;
  digest: string;
}
