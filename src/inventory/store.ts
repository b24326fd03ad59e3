// Where snapshots live: one folder per profile in Guardian's data directory, the newest N kept
// (the streaming writer in snapshot-writer.ts puts them there).

import { readdir, rm, stat } from 'node:fs/promises';
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

/**
 * A `.partial` file (or its spool) older than this is the remains of a run that was killed
 * (SIGKILL, a crash, a power cut) before it could finish or clean up: no live run is that idle.
 */
export const LEFTOVER_AGE_MS = 24 * 60 * 60 * 1000;

/** Remove a profile's oldest snapshots beyond `keep`, and leftovers of killed runs older than a day. */
export async function pruneSnapshots(env: NodeJS.ProcessEnv, profile: string, keep = DEFAULT_KEEP, now = Date.now()): Promise<void> {
  const files = await listSnapshots(env, profile);
  for (const old of files.slice(0, Math.max(0, files.length - keep))) await rm(old, { force: true });
  for (const leftover of await listLeftovers(env, profile)) {
    const modified = await stat(leftover).then(
      (s) => s.mtimeMs,
      () => now,
    );
    if (now - modified > LEFTOVER_AGE_MS) await rm(leftover, { force: true });
  }
}

/** The profile's files whose names pass `keep`, oldest first (ids sort by time); none when the folder is missing. */
async function profileFiles(env: NodeJS.ProcessEnv, profile: string, keep: (name: string) => boolean): Promise<string[]> {
  const dir = snapshotDir(env, profile);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  return names
    .filter(keep)
    .sort()
    .map((name) => join(dir, name));
}

/** Unfinished snapshot files (`<id>.json.partial` and their spools) of a profile, oldest first. */
export function listLeftovers(env: NodeJS.ProcessEnv, profile: string): Promise<string[]> {
  return profileFiles(env, profile, (name) => name.includes('.json.partial'));
}

/** Snapshot files of a profile, oldest first. */
export function listSnapshots(env: NodeJS.ProcessEnv, profile: string): Promise<string[]> {
  return profileFiles(env, profile, (name) => name.endsWith('.json'));
}
