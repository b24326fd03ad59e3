// The versioned on-disk form of one discovery run. Analysis commands read it back with
// --input; `discover diff` compares two.

import { readFile } from 'node:fs/promises';
import { UsageError } from '../errors.js';
import type { DiscoveryStats, ScopeSummary, Shard, ShardRecord, TaskError } from '../model/discovery.js';
import { CLOUDS, type Cloud, RESOURCE_KINDS, type Resource, type ResourceKind } from '../model/resource.js';

export const SNAPSHOT_KIND = 'guardian.snapshot';
export const SNAPSHOT_VERSION = 1;

export interface Snapshot {
  schemaVersion: typeof SNAPSHOT_VERSION;
  kind: typeof SNAPSHOT_KIND;
  /** Sortable id: the start time in compact ISO form. */
  id: string;
  profile: string;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  /** False when interrupted, timed out, or any scope or task failed. */
  complete: boolean;
  /** Stopped by Ctrl-C, a signal, or the reader of its output going away. */
  interrupted: boolean;
  /** Stopped by --timeout (snapshots older than this field read as false). */
  timedOut: boolean;
  request: {
    providers: Cloud[];
    regions?: string[];
    kinds?: ResourceKind[];
    /** One shard of a run split over processes (`--shard I/N`); `discover merge` joins them. */
    shard?: Shard;
    /** Names the run its shards belong to (`--run-id`, GUARDIAN_RUN_ID). */
    runId?: string;
  };
  /** A shard's record of the whole listing, so a merge can prove the shards cover it. */
  shard?: ShardRecord;
  /** Set on a merged snapshot: the shards' snapshot ids, in shard order. */
  mergedFrom?: string[];
  /** Set when printed with `discover --filter`: the file holds only the matching resources. */
  filter?: string[];
  summary: { resources: number; byCloud: Record<string, number>; byKind: Record<string, number> };
  scopes: ScopeSummary[];
  errors: TaskError[];
  stats: DiscoveryStats;
  resources: Resource[];
}

/** Everything in a snapshot but its resources: what a run reports without holding them. */
export type SnapshotMeta = Omit<Snapshot, 'resources'>;

/** The snapshot's sortable id: its start time in compact ISO form (also its file name). */
export function snapshotId(startedAt: Date): string {
  return startedAt
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
}

const KINDS = new Set<string>(RESOURCE_KINDS);
const CLOUD_SET = new Set<string>(CLOUDS);

/** Read and check a snapshot file; anything that is not one is a usage error naming the file. */
export async function readSnapshot(path: string): Promise<Snapshot> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(
      `cannot read snapshot ${path}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (error as Error).message}`,
    );
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${path} is not valid JSON: ${(error as Error).message}`);
  }
  const snapshot = data as Partial<Snapshot>;
  if (typeof data !== 'object' || data === null || snapshot.kind !== SNAPSHOT_KIND) {
    throw new UsageError(
      `${path} is not a Guardian snapshot (expected "kind": "${SNAPSHOT_KIND}"; write one with 'guardian discover --json > FILE')`,
    );
  }
  if (snapshot.schemaVersion !== SNAPSHOT_VERSION) {
    throw new UsageError(
      `${path} has snapshot schemaVersion ${String(snapshot.schemaVersion)}; this Guardian reads version ${SNAPSHOT_VERSION}`,
    );
  }
  if (!Array.isArray(snapshot.resources)) throw new UsageError(`${path} has no "resources" array`);
  snapshot.resources.forEach((resource, index) => {
    if (
      typeof resource !== 'object' ||
      resource === null ||
      !CLOUD_SET.has(resource.cloud) ||
      !KINDS.has(resource.kind) ||
      typeof resource.id !== 'string' ||
      typeof resource.account !== 'string'
    ) {
      throw new UsageError(`${path}: resources[${index}] is not a resource (needs cloud, kind, id, account)`);
    }
    resource.tags ??= {};
    resource.attributes ??= {};
    resource.relations ??= [];
  });
  snapshot.errors ??= [];
  snapshot.scopes ??= [];
  snapshot.timedOut ??= false;
  return snapshot as Snapshot;
}
