// What this copy of Guardian is: the version and the commit it was built from, stamped into
// dist/build-info.json by scripts/build.js (an installed copy has no .git to ask). Read once, cheaply,
// because `--version` and `guardian init ci` need it; 'unknown' when the stamp is missing.

import { readFileSync } from 'node:fs';

export interface BuildInfo {
  version: string;
  /** The full commit id, or 'unknown' (built outside a git checkout, or run from source). */
  commit: string;
  /** The checkout had uncommitted changes when it was built; null when unknown. */
  dirty: boolean | null;
  /** The checkout's origin URL at build time, as git reported it; null when unknown. */
  source: string | null;
}

export const PACKAGE_VERSION = '0.1.0';

let cached: BuildInfo | undefined;

export function buildInfo(): BuildInfo {
  if (cached) return cached;
  const fallback: BuildInfo = { version: PACKAGE_VERSION, commit: 'unknown', dirty: null, source: null };
  try {
    // dist/src/build-info.js → dist/build-info.json; from the sources (tests) there is none.
    const stamped = JSON.parse(readFileSync(new URL('../build-info.json', import.meta.url), 'utf8')) as Partial<BuildInfo>;
    cached = {
      version: typeof stamped.version === 'string' ? stamped.version : PACKAGE_VERSION,
      commit: typeof stamped.commit === 'string' && /^[0-9a-f]{40}$/.test(stamped.commit) ? stamped.commit : 'unknown',
      dirty: typeof stamped.dirty === 'boolean' ? stamped.dirty : null,
      source: typeof stamped.source === 'string' && stamped.source !== '' ? stamped.source : null,
    };
  } catch {
    cached = fallback;
  }
  return cached;
}

/** One line, as `gh --version` and `kubectl version --client` give it. */
export function versionLine(info: BuildInfo = buildInfo()): string {
  const commit = info.commit === 'unknown' ? 'unknown' : `${info.commit.slice(0, 12)}${info.dirty ? '-dirty' : ''}`;
  return `guardian version ${info.version} (commit ${commit}, Node.js ${process.version}, ${process.platform}-${process.arch})`;
}
