// Where snapshots live: one folder per profile in Guardian's data directory, the newest N kept
// (the streaming writer in snapshot-writer.ts puts them there).

import { readdir, rm } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const DEFAULT_KEEP = 20;

/** GUARDIAN_DATA_DIR, else $XDG_DATA_HOME/guardian, else ~/.local/share/guardian (macOS: ~/Library/Application Support/guardian). */
export function dataDir(env: NodeJS.ProcessEnv): string {
  if (env.GUARDIAN_DATA_DIR) return env.GUARDIAN_DATA_DIR;
  if (env.XDG_DATA_HOME) return join(env.XDG_DATA_HOME, 'guardian');
  const home = env.HOME ?? homedir();
  if (process.platform === 'darwin') return join(home, 'Library', 'Application Support', 'guardian');
  if (process.platform === 'win32') return join(env.LOCALAPPDATA ?? join(home, 'AppData', 'Local'), 'guardian', 'Data');
  return join(home, '.local', 'share', 'guardian');
}

/** The folder holding a profile's snapshots. */
export function snapshotDir(env: NodeJS.ProcessEnv, profile: string): string {
  return join(dataDir(env), 'snapshots', encodeURIComponent(profile));
}

/** Remove a profile's oldest snapshots beyond `keep`. */
export async function pruneSnapshots(env: NodeJS.ProcessEnv, profile: string, keep = DEFAULT_KEEP): Promise<void> {
  const files = await listSnapshots(env, profile);
  for (const old of files.slice(0, Math.max(0, files.length - keep))) await rm(old, { force: true });
}

/** Snapshot files of a profile, oldest first. */
export async function listSnapshots(env: NodeJS.ProcessEnv, profile: string): Promise<string[]> {
  const dir = snapshotDir(env, profile);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  return names
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => join(dir, name));
}
