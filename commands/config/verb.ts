// What the config verbs share: the key names, the store and the profile a verb works on, its
// output format, and its JSON document.

import { CONFIG_KEYS } from '../../src/config/keys.js';
import type { ConfigStore } from '../../src/config/store.js';
import type { OutputFormat } from '../../src/render/output.js';
import type { CommandContext } from '../context.js';

/** Every dotted key, for help and completion. */
export const CONFIG_KEY_NAMES = CONFIG_KEYS.map((k) => k.key);

/** The store, and the profile in use: --profile, GUARDIAN_PROFILE, the store's current one, 'default'. */
export async function openProfile(ctx: CommandContext): Promise<{ store: ConfigStore; profile: string }> {
  const store = await ctx.openStore();
  return { store, profile: store.resolveProfileName(ctx.profile) };
}

export async function format(ctx: CommandContext, supported: readonly OutputFormat[] = ['table', 'json']): Promise<OutputFormat> {
  const { resolveFormat } = await import('../../src/render/output.js');
  return resolveFormat(ctx.globals, supported);
}

export async function json(ctx: CommandContext, kind: string, data: object): Promise<void> {
  const { printDocument, toJson } = await import('../../src/render/output.js');
  printDocument(ctx.io, toJson(kind, data));
}
