// A run in the inventory schema back as a snapshot (`discover --from postgres://… --run ID`):
// its shards' metadata joined as `discover merge` would, its resources streamed out in
// primary-key pages into a snapshot file, so reading does not hold the estate. A shard that is
// missing or was never written (`writing`: its transaction was lost) makes the snapshot
// incomplete, and the caller is told which.

import type { FinishedSnapshot } from '../inventory/snapshot-writer.js';
import { SnapshotWriter } from '../inventory/snapshot-writer.js';
import { type DiscoveryStats, type ScopeSummary, sumStats, type TaskError } from '../model/discovery.js';
import type { Cloud, Resource, ResourceKind } from '../model/resource.js';
import type { SqlClient } from './client.js';

const PAGE = 5_000;

interface ShardRow {
  shard: number;
  state: 'writing' | 'written';
  snapshot_id: string | null;
  started_at: Date | null;
  finished_at: Date | null;
  complete: boolean;
  interrupted: boolean;
  timed_out: boolean;
  stats: DiscoveryStats | null;
}

export interface ReadRun extends FinishedSnapshot {
  runId: string;
  /** Why the run is incomplete beyond its shards' own errors: missing or unwritten shards. */
  gaps: string[];
}

export class RunNotFound extends Error {}

/** The run to read: the one named, or the latest complete one. */
async function resolveRun(sql: SqlClient, runId: string | undefined) {
  const { rows } = runId
    ? await sql.query<{ run_id: string; profile: string; request: Record<string, unknown>; shard_count: number }>(
        'SELECT run_id, profile, request, shard_count FROM runs WHERE run_id = $1',
        [runId],
      )
    : await sql.query<{ run_id: string; profile: string; request: Record<string, unknown>; shard_count: number }>(
        `SELECT r.run_id, r.profile, r.request, r.shard_count FROM runs r JOIN complete_runs c USING (run_id)
          ORDER BY c.finished_at DESC, r.run_id DESC LIMIT 1`,
      );
  const run = rows[0];
  if (!run) throw new RunNotFound(runId ? `run ${runId} is not in the database` : 'the database holds no complete run');
  return run;
}

export async function readRun(sql: SqlClient, env: NodeJS.ProcessEnv, runId: string | undefined): Promise<ReadRun> {
  const run = await resolveRun(sql, runId);
  const shards = (await sql.query<ShardRow>('SELECT * FROM run_shards WHERE run_id = $1 ORDER BY shard', [run.run_id])).rows;
  const gaps: string[] = [];
  const present = new Set(shards.map((s) => s.shard));
  const missing = Array.from({ length: run.shard_count }, (_, i) => i + 1).filter((i) => !present.has(i));
  if (missing.length > 0)
    gaps.push(`shard${missing.length > 1 ? 's' : ''} ${missing.map((i) => `${i}/${run.shard_count}`).join(', ')} never started writing`);
  const unwritten = shards.filter((s) => s.state !== 'written');
  if (unwritten.length > 0)
    gaps.push(
      `shard${unwritten.length > 1 ? 's' : ''} ${unwritten.map((s) => `${s.shard}/${run.shard_count}`).join(', ')} began writing and did not finish (its rows are not counted)`,
    );
  const written = shards.filter((s) => s.state === 'written');

  const times = (pick: (s: ShardRow) => Date | null) =>
    written
      .map(pick)
      .filter((d): d is Date => d instanceof Date)
      .map((d) => d.getTime());
  const startedAt = new Date(Math.min(...times((s) => s.started_at), Date.now()));
  const finishedAt = new Date(Math.max(...times((s) => s.finished_at), startedAt.getTime()));
  const request = run.request as { providers: Cloud[]; regions?: string[]; kinds?: ResourceKind[]; runId?: string };
  const writer = await SnapshotWriter.open({
    env,
    profile: run.profile,
    startedAt,
    request: { ...request, runId: request.runId ?? run.run_id },
    mergedFrom: run.shard_count > 1 ? written.map((s) => s.snapshot_id ?? `shard-${s.shard}`) : undefined,
    save: false,
  });
  try {
    const shardList = written.map((s) => s.shard);
    let after: string[] | undefined;
    for (;;) {
      const page = await sql.query<Record<string, unknown>>(
        `SELECT cloud, kind, id, name, account, region, state, created_at, tags, attributes, relations FROM all_resources
          WHERE run_id = $1 AND shard = ANY($2::int[]) ${after ? 'AND (cloud, account, kind, id) > ($3, $4, $5, $6)' : ''}
          ORDER BY cloud, account, kind, id LIMIT ${PAGE}`,
        after ? [run.run_id, shardList, ...after] : [run.run_id, shardList],
      );
      writer.add(page.rows.map(toResource));
      if (page.rows.length < PAGE) break;
      const last = page.rows[page.rows.length - 1] as Record<string, string>;
      after = [last.cloud, last.account, last.kind, last.id] as string[];
    }
    const scopes = (
      await sql.query<Record<string, unknown>>(
        `SELECT * FROM all_scopes WHERE run_id = $1 AND shard = ANY($2::int[]) ORDER BY cloud, account, region`,
        [run.run_id, shardList],
      )
    ).rows.map(
      (s): ScopeSummary => ({
        cloud: s.cloud as Cloud,
        account: s.account as string,
        region: s.region as string,
        type: s.type as ScopeSummary['type'],
        label: s.label as string,
        status: s.status as ScopeSummary['status'],
        resources: s.resources as number,
        tasks: s.tasks as number,
        failedTasks: s.failed_tasks as number,
        unfinishedTasks: s.unfinished_tasks as number,
      }),
    );
    const errors = (
      await sql.query<Record<string, unknown>>('SELECT * FROM all_errors WHERE run_id = $1 AND shard = ANY($2::int[])', [
        run.run_id,
        shardList,
      ])
    ).rows.map(
      (e): TaskError => ({
        cloud: e.cloud as Cloud,
        account: e.account as string,
        ...(e.region !== null && { region: e.region as string }),
        ...(e.kind !== null && { kind: e.kind as ResourceKind }),
        class: e.class as TaskError['class'],
        code: e.code as string,
        message: e.message as string,
        attempts: e.attempts as number,
      }),
    );
    const stats = sumStats(written.map((s) => s.stats));
    const finished = await writer.finish({
      finishedAt,
      complete: gaps.length === 0 && written.every((s) => s.complete),
      interrupted: written.some((s) => s.interrupted),
      timedOut: written.some((s) => s.timed_out),
      scopes,
      errors,
      stats,
    });
    return { ...finished, runId: run.run_id, gaps };
  } catch (error) {
    await writer.discard();
    throw error;
  }
}

function toResource(row: Record<string, unknown>): Resource {
  const resource: Resource = {
    cloud: row.cloud as Cloud,
    kind: row.kind as ResourceKind,
    id: row.id as string,
    name: row.name as string,
    account: row.account as string,
    region: row.region as string,
    tags: row.tags as Record<string, string>,
    attributes: row.attributes as Resource['attributes'],
    relations: row.relations as Resource['relations'],
  };
  if (row.state !== null) resource.state = row.state as string;
  if (row.created_at !== null) resource.createdAt = row.created_at as string;
  return resource;
}
