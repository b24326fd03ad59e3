// The embedded inventory: every saved snapshot of every profile in a PGlite database under the
// data directory, in the same schema a team's server has, so `guardian query` works offline over
// the whole local history. Brought up to date when a query opens it (snapshots saved since are
// imported, pruned ones dropped) rather than by each discovery run, which stays as fast as before.
// Shard snapshots are parts of a run, not runs: only their merge (`discover merge --save`) is
// imported. One process at a time: PGlite is single-user, so a lock file guards the directory.

import { open, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigError } from '../errors.js';
import { readSnapshot } from '../inventory/snapshot.js';
import { dataDir, listSnapshots } from '../inventory/store.js';
import { openEmbedded, type SqlClient } from './client.js';
import { migrate } from './schema.js';
import { writeRun } from './write.js';

export const LOCAL_RUN_PREFIX = 'local/';

export function localDatabaseDir(env: NodeJS.ProcessEnv): string {
  return join(dataDir(env), 'inventory.pglite');
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Take the directory's lock, or say who holds it; a lock left by a dead process is taken over. */
async function lock(dir: string): Promise<() => Promise<void>> {
  const path = `${dir}.lock`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(path, 'wx', 0o600);
      await handle.writeFile(String(process.pid));
      await handle.close();
      return () => rm(path, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number((await readFile(path, 'utf8').catch(() => '')).trim());
      if (Number.isInteger(holder) && holder > 0 && alive(holder))
        throw new ConfigError(`the local inventory is in use by another guardian (pid ${holder}); try again when it has finished`);
      await rm(path, { force: true });
    }
  }
  throw new ConfigError(`cannot lock the local inventory ${dir}`);
}

export interface LocalInventory {
  sql: SqlClient;
  imported: number;
  dropped: number;
  close(): Promise<void>;
}

/** Open the embedded inventory and import what the snapshot folders hold that it does not. */
export async function openLocalInventory(env: NodeJS.ProcessEnv): Promise<LocalInventory> {
  const dir = localDatabaseDir(env);
  const unlock = await lock(dir);
  let sql: SqlClient | undefined;
  try {
    sql = await openEmbedded(dir);
    await migrate(sql);
    const wanted = new Map<string, string>();
    let profiles: string[] = [];
    try {
      profiles = await readdir(join(dataDir(env), 'snapshots'));
    } catch {
      // no snapshot saved yet
    }
    for (const folder of profiles) {
      const profile = decodeURIComponent(folder);
      for (const file of await listSnapshots(env, profile)) {
        const id = file.slice(file.lastIndexOf('/') + 1, -'.json'.length);
        wanted.set(`${LOCAL_RUN_PREFIX}${profile}/${id}`, file);
      }
    }
    const have = new Set(
      (await sql.query<{ run_id: string }>('SELECT run_id FROM runs WHERE run_id LIKE $1', [`${LOCAL_RUN_PREFIX}%`])).rows.map(
        (r) => r.run_id,
      ),
    );
    let imported = 0;
    for (const [runId, file] of wanted) {
      if (have.has(runId)) continue;
      const { resources: _resources, ...meta } = await readSnapshot(file).catch(() => ({ resources: [], request: undefined }) as never);
      if (!meta.request || meta.request.shard) continue;
      await writeRun(sql, file, meta, { runId, shard: 1, shardCount: 1 });
      imported += 1;
    }
    let dropped = 0;
    for (const runId of have) {
      if (wanted.has(runId)) continue;
      await sql.query('DELETE FROM runs WHERE run_id = $1', [runId]);
      dropped += 1;
    }
    const opened = sql;
    return {
      sql: opened,
      imported,
      dropped,
      close: async () => {
        await opened.close();
        await unlock();
      },
    };
  } catch (error) {
    await sql?.close().catch(() => {});
    await unlock();
    throw error;
  }
}
