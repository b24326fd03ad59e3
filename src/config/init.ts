// What `guardian config init` does with its parsed flags: build the profile from them, decide
// whether an existing profile may be replaced (--force, or asked on a terminal), ask for what the
// flags left open (src/config/wizard.ts), and write it, the first profile becoming the current one.

import type { Dialogs } from '../dialogs.js';
import { UsageError } from '../errors.js';
import { lookupKey, parseValue } from './keys.js';
import type { ConfigStore } from './store.js';
import type { ProfileDraft } from './wizard.js';

export interface InitRequest {
  profile: string;
  /** The value text of each key given on the command line, as `config set` would take it. */
  values: { key: string; text: string }[];
  /** Replace an existing profile without asking. */
  force: boolean;
  /** Relative paths (gcp.keyFile) are resolved against it. */
  cwd: string;
}

/** Not written: asked whether to replace the existing profile, the user said no. */
export type InitOutcome = { written: false } | { written: true; settings: ProfileDraft; madeCurrent: boolean; current: boolean };

export interface InitDependencies {
  store: ConfigStore;
  dialogs: Dialogs;
  log: { info(line: string): void; warn(line: string): void };
  fileExists(path: string): boolean;
}

export async function initProfile(deps: InitDependencies, request: InitRequest): Promise<InitOutcome> {
  const { store, dialogs, log } = deps;
  const { profile } = request;
  const settings: ProfileDraft = {};
  for (const { key, text } of request.values) {
    const [section, name] = key.split('.');
    settings[section] ??= {};
    settings[section][name] = parseValue(lookupKey(key), text, request.cwd);
  }

  const exists = store.getProfile(profile) !== undefined;
  if (store.isBuiltIn(profile)) store.assertWritableProfile(profile);
  let replace = request.force;
  if (exists && !replace && dialogs.interactive) {
    replace = await dialogs.confirm(`Profile '${profile}' exists. Replace it?`, { default: false });
    if (!replace) return { written: false };
  }
  if (exists && !replace) throw new UsageError(`profile '${profile}' already exists; pass --force to replace it`);

  if (dialogs.interactive) {
    const { askProfileSettings } = await import('./wizard.js');
    await askProfileSettings(dialogs, (line) => log.info(line), profile, settings);
  }

  const keyFile = settings.gcp?.keyFile;
  if (typeof keyFile === 'string' && !deps.fileExists(keyFile)) log.warn(`gcp.keyFile ${keyFile} does not exist yet`);
  const madeCurrent = store.currentProfile === undefined;
  await store.putProfile(profile, settings, { replace, makeCurrent: madeCurrent });
  return { written: true, settings, madeCurrent, current: madeCurrent || store.currentProfile === profile };
}
