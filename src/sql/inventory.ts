// What the commands ask of the inventory database: write a finished run to a team's server
// (`discover --to`), read one back as a snapshot (`discover --from`), and run a query on the
// server or the embedded local history (`guardian query`). Errors become one line each: a
// connection that fails or drops is a configuration error naming the server (never its password),
// PostgreSQL's own refusal is quoted.

import { ConfigError, UsageError } from '../errors.js';
import type { SnapshotMeta } from '../inventory/snapshot.js';
import { connectPostgres, postgresMessage, type SqlClient } from './client.js';
import { openLocalInventory } from './local.js';
import { type QueryResult, runQuery } from './query.js';
import { type ReadRun, RunNotFound, readRun } from './read.js';
import { SchemaTooNew } from './schema.js';
import { RunMismatch, runKeyOf, writeRun } from './write.js';

function failure(error: unknown, where: string, doing: string): Error {
  if (error instanceof UsageError || error instanceof ConfigError) return error;
  if (error instanceof RunMismatch || error instanceof RunNotFound) return new UsageError(error.message);
  if (error instanceof SchemaTooNew) return new ConfigError(`${where}: ${error.message}`, { hint: 'upgrade Guardian' });
  const message = postgresMessage(error);
  if (message) return new ConfigError(`${where} refused ${doing}: ${message}`);
  const code = (error as NodeJS.ErrnoException).code;
  const text = (error as Error).message ?? String(error);
  return new ConfigError(`lost the connection to ${where} while ${doing} (${code ?? text})`);
}

export interface ExportOutcome {
  runId: string;
  shard: number;
  shardCount: number;
  rows: number;
  where: string;
}

/** Write a finished run (its snapshot file and metadata) to the server at `url`. */
export async function exportRun(url: string, file: string, meta: SnapshotMeta, timeoutMs?: number): Promise<ExportOutcome> {
  if (meta.request.shard && !meta.request.runId)
    throw new UsageError('--to with --shard needs --run-id (or GUARDIAN_RUN_ID), so the shards land in one run');
  const sql = await connectPostgres(url, '--to', timeoutMs);
  const key = runKeyOf(meta);
  try {
    const rows = await writeRun(sql, file, meta, key);
    return { ...key, rows, where: sql.where };
  } catch (error) {
    throw withRun(failure(error, sql.where, `writing run ${key.runId}`), key.runId);
  } finally {
    await sql.close();
  }
}

function withRun(error: Error, runId: string): Error {
  if (error instanceof ConfigError && error.message.startsWith('lost the connection'))
    return new ConfigError(`${error.message}; run ${runId} stays marked incomplete there`, {
      hint: 'run the same discover again: a shard that reruns replaces its own rows',
    });
  return error;
}

/** Read a run (the named one, or the latest complete one) back from the server as a snapshot. */
export async function importRun(url: string, env: NodeJS.ProcessEnv, runId: string | undefined, timeoutMs?: number): Promise<ReadRun> {
  const sql = await connectPostgres(url, '--from', timeoutMs);
  try {
    return await readRun(sql, env, runId);
  } catch (error) {
    if ((postgresMessage(error) ?? '').includes('relation "runs" does not exist'))
      throw new UsageError(`${sql.where} holds no Guardian inventory (write one with discover --to)`);
    throw failure(error, sql.where, `reading run ${runId ?? '(latest)'}`);
  } finally {
    await sql.close();
  }
}

export interface QueryOutcome extends QueryResult {
  where: string;
  /** Local history only: snapshots brought in and pruned ones dropped before the query. */
  synced?: { imported: number; dropped: number };
}

export async function queryInventory(
  text: string,
  options: { db?: string; env: NodeJS.ProcessEnv; timeoutMs?: number },
): Promise<QueryOutcome> {
  if (options.db) {
    const sql: SqlClient = await connectPostgres(options.db, '--db', options.timeoutMs);
    try {
      return { ...(await runQuery(sql, text)), where: sql.where };
    } catch (error) {
      throw failure(error, sql.where, 'the query');
    } finally {
      await sql.close();
    }
  }
  const local = await openLocalInventory(options.env);
  try {
    return { ...(await runQuery(local.sql, text)), where: local.sql.where, synced: { imported: local.imported, dropped: local.dropped } };
  } finally {
    await local.close();
  }
}
