// `guardian config get KEY`: one setting of the profile in use; exit 1 when it is not set.

import type { Command } from 'commander';
import { CheckFailed } from '../../src/errors.js';
import { type CommandContext, contextFor, type VerbDefinition } from '../context.js';
import { suggest } from '../options.js';
import { CONFIG_KEY_NAMES, format, json, openProfile } from './verb.js';

export const defineConfigGet: VerbDefinition = (config, runtime) => {
  const get = config
    .command('get')
    .description('print one setting of the profile in use')
    .argument('<key>', 'dotted key, e.g. aws.regions')
    .option('--show-secrets', 'print a stored secret in clear')
    .action(async (key: string, options: { showSecrets?: boolean }, command: Command) =>
      runGet(contextFor(command, runtime), key, options),
    );
  suggest(get.registeredArguments[0], CONFIG_KEY_NAMES);
};

async function runGet(ctx: CommandContext, key: string, options: { showSecrets?: boolean }): Promise<void> {
  const { store, profile } = await openProfile(ctx);
  const { lookupKey, formatValue } = await import('../../src/config/keys.js');
  const spec = lookupKey(key);
  store.requireProfile(profile);
  const stored = store.getValue(profile, key);
  const { REDACTED } = await import('../../src/config/redact.js');
  const value = spec.secret && stored !== undefined && !options.showSecrets ? REDACTED : stored;
  if ((await format(ctx)) === 'json') await json(ctx, 'config.value', { profile, key, value: value ?? null });
  else if (value !== undefined) ctx.io.out(formatValue(value));
  // Like `git config KEY`: an unset key is exit 1, so a script can tell it from an empty answer.
  if (value === undefined) throw new CheckFailed(`${key} is not set in profile '${profile}'`);
}
