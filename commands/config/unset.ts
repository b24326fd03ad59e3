// `guardian config unset KEY`: remove one setting from the profile in use.

import type { Command } from 'commander';
import { type CommandContext, contextFor, type VerbDefinition } from '../context.js';
import { suggest } from '../options.js';
import { CONFIG_KEY_NAMES, format, json, openProfile } from './verb.js';

export const defineConfigUnset: VerbDefinition = (config, runtime) => {
  const unset = config
    .command('unset')
    .description('remove one setting from the profile in use')
    .argument('<key>', 'dotted key, e.g. aws.regions')
    .action(async (key: string, _options: object, command: Command) => runUnset(contextFor(command, runtime), key));
  suggest(unset.registeredArguments[0], CONFIG_KEY_NAMES);
};

async function runUnset(ctx: CommandContext, key: string): Promise<void> {
  const { store, profile } = await openProfile(ctx);
  const output = await format(ctx);
  store.requireProfile(profile);
  const removed = await store.unsetValue(profile, key);
  if (output === 'json') await json(ctx, 'config.unset', { profile, key, removed });
  else ctx.io.log.info(removed ? `unset ${key} (profile '${profile}')` : `${key} was not set in profile '${profile}'`);
}
