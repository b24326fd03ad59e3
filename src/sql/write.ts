// A run's snapshot into the inventory schema. The shard's row is marked `writing` first (its own
// statement, committed), then its old rows (a shard that reruns) are deleted, its resources,
// scopes and errors inserted in batches and the row marked `written` — all in one transaction.
// A connection lost half way leaves the server to roll that transaction back: the shard stays
// `writing`, its rows are gone or the previous ones, and the run reads back as incomplete.

import type { SnapshotMeta } from '../inventory/snapshot.js';
import { snapshotResourceLines } from '../inventory/snapshot-writer.js';
import type { Resource } from '../model/resource.js';
import type { SqlClient } from './client.js';
import { migrate } from './schema.js';

/** Rows per INSERT: 13 parameters each, well under PostgreSQL's 65,535. */
const BATCH = 500;

export interface RunKey {
  runId: string;
  /** 1 for an unsharded run. */
  shard: number;
  shardCount: number;
}

/** The key a snapshot is written under: its run id (or its own id) and its shard. */
export function runKeyOf(meta: SnapshotMeta, prefix = ''): RunKey {
  const shard = meta.request.shard;
  return { runId: `${prefix}${meta.request.runId ?? meta.id}`, shard: shard?.index ?? 1, shardCount: shard?.count ?? 1 };
}

function placeholders(rows: number, columns: number, casts: Record<number, string> = {}): string {
  const groups: string[] = [];
  for (let r = 0; r < rows; r++) {
    const cells: string[] = [];
    for (let c = 1; c <= columns; c++) cells.push(`$${r * columns + c}${casts[c] ?? ''}`);
    groups.push(`(${cells.join(', ')})`);
  }
  return groups.join(', ');
}

async function insertResources(sql: SqlClient, key: RunKey, resources: Resource[]): Promise<void> {
  if (resources.length === 0) return;
  const params: unknown[] = [];
  for (const r of resources) {
    params.push(
      key.runId,
      key.shard,
      r.cloud,
      r.account,
      r.region,
      r.kind,
      r.id,
      r.name,
      r.state ?? null,
      r.createdAt ?? null,
      JSON.stringify(r.tags ?? {}),
      JSON.stringify(r.attributes ?? {}),
      JSON.stringify(r.relations ?? []),
    );
  }
  await sql.query(
    `INSERT INTO all_resources (run_id, shard, cloud, account, region, kind, id, name, state, created_at, tags, attributes, relations)
     VALUES ${placeholders(resources.length, 13, { 11: '::jsonb', 12: '::jsonb', 13: '::jsonb' })}`,
    params,
  );
}

/** Write one snapshot (its file streamed line by line) as `key`'s shard. Returns the rows written. */
export async function writeRun(sql: SqlClient, file: string, meta: SnapshotMeta, key: RunKey): Promise<number> {
  await migrate(sql);
  const { shard: _shard, ...request } = meta.request;
  await sql.query(
    `INSERT INTO runs (run_id, profile, request, shard_count) VALUES ($1, $2, $3::jsonb, $4)
     ON CONFLICT (run_id) DO NOTHING`,
    [key.runId, meta.profile, JSON.stringify(request), key.shardCount],
  );
  const { rows } = await sql.query<{ shard_count: number; request: unknown }>('SELECT shard_count, request FROM runs WHERE run_id = $1', [
    key.runId,
  ]);
  const run = rows[0];
  if (run && (run.shard_count !== key.shardCount || JSON.stringify(sortKeys(run.request)) !== JSON.stringify(sortKeys(request))))
    throw new RunMismatch(
      `run ${key.runId} is already in the database with ${run.shard_count} shards and another request; a shard of it must match`,
    );
  await sql.query(
    `INSERT INTO run_shards (run_id, shard, state, snapshot_id, started_at) VALUES ($1, $2, 'writing', $3, $4::timestamptz)
     ON CONFLICT (run_id, shard) DO UPDATE SET state = 'writing', snapshot_id = EXCLUDED.snapshot_id, started_at = EXCLUDED.started_at`,
    [key.runId, key.shard, meta.id, meta.startedAt],
  );
  let written = 0;
  await sql.query('BEGIN');
  try {
    for (const table of ['all_resources', 'all_scopes', 'all_errors'])
      await sql.query(`DELETE FROM ${table} WHERE run_id = $1 AND shard = $2`, [key.runId, key.shard]);
    let batch: Resource[] = [];
    for await (const line of snapshotResourceLines(file)) {
      if (!line) continue;
      batch.push(JSON.parse(line) as Resource);
      if (batch.length === BATCH) {
        await insertResources(sql, key, batch);
        written += batch.length;
        batch = [];
      }
    }
    await insertResources(sql, key, batch);
    written += batch.length;
    for (const s of meta.scopes) {
      await sql.query(
        `INSERT INTO all_scopes (run_id, shard, cloud, account, region, type, label, status, resources, tasks, failed_tasks, unfinished_tasks)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
        [
          key.runId,
          key.shard,
          s.cloud,
          s.account,
          s.region,
          s.type,
          s.label,
          s.status,
          s.resources,
          s.tasks,
          s.failedTasks,
          s.unfinishedTasks,
        ],
      );
    }
    for (const e of meta.errors) {
      await sql.query(
        `INSERT INTO all_errors (run_id, shard, cloud, account, region, kind, class, code, message, attempts)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
        [key.runId, key.shard, e.cloud, e.account, e.region ?? null, e.kind ?? null, e.class, e.code, e.message, e.attempts],
      );
    }
    await sql.query(
      `UPDATE run_shards SET state = 'written', finished_at = $3::timestamptz, complete = $4, interrupted = $5, timed_out = $6,
              listed = $7, digest = $8, stats = $9::jsonb, written_at = now()
        WHERE run_id = $1 AND shard = $2`,
      [
        key.runId,
        key.shard,
        meta.finishedAt,
        meta.complete,
        meta.interrupted,
        meta.timedOut,
        meta.shard?.listed ?? null,
        meta.shard?.digest ?? null,
        JSON.stringify(meta.stats),
      ],
    );
    await sql.query('COMMIT');
  } catch (error) {
    await sql.query('ROLLBACK').catch(() => {});
    throw error;
  }
  return written;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value;
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, v]) => [k, sortKeys(v)]),
  );
}

export class RunMismatch extends Error {}
