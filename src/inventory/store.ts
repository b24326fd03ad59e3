// Where snapshots live: one folder per profile in Guardian's data directory, the newest N kept.

import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Snapshot } from './snapshot.js';

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

function profileDir(env: NodeJS.ProcessEnv, profile: string): string {
  return join(dataDir(env), 'snapshots', encodeURIComponent(profile));
}

/** Write a snapshot and prune the oldest beyond `keep`; returns the file written. */
export async function saveSnapshot(env: NodeJS.ProcessEnv, snapshot: Snapshot, keep = DEFAULT_KEEP): Promise<string> {
  const dir = profileDir(env, snapshot.profile);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const file = join(dir, `${snapshot.id}.json`);
  await writeFile(file, JSON.stringify(snapshot), { mode: 0o600 });
  const files = await listSnapshots(env, snapshot.profile);
  for (const old of files.slice(0, Math.max(0, files.length - keep))) await rm(old, { force: true });
  return file;
}

/** Snapshot files of a profile, oldest first. */
export async function listSnapshots(env: NodeJS.ProcessEnv, profile: string): Promise<string[]> {
  const dir = profileDir(env, profile);
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
