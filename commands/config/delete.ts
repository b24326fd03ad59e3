// `guardian config delete NAME`: delete a stored profile, asking first (--yes in scripts).

import type { Command } from 'commander';
import { type CommandContext, contextFor, type VerbDefinition } from '../context.js';
import { PROFILE_NAMES, suggest } from '../options.js';
import { format, json } from './verb.js';

export const defineConfigDelete: VerbDefinition = (config, runtime) => {
  const remove = config
    .command('delete')
    .alias('rm')
    .description('delete a stored profile (asks first; --yes in scripts)')
    .argument('<name>', 'profile name')
    .action(async (name: string, _options: object, command: Command) => runDelete(contextFor(command, runtime), name));
  suggest(remove.registeredArguments[0], [PROFILE_NAMES]);
};

async function runDelete(ctx: CommandContext, name: string): Promise<void> {
  const store = await ctx.openStore();
  const output = await format(ctx);
  if (!store.isBuiltIn(name)) {
    store.requireProfile(name);
    const dialogs = await ctx.dialogs();
    const sure = await dialogs.confirm(`Delete profile '${name}' from ${store.path}?`, {
      default: false,
      fallback: ctx.io.yes ? true : undefined,
      flag: '--yes',
    });
    if (!sure) {
      ctx.io.log.info('nothing deleted');
      return;
    }
  }
  await store.deleteProfile(name);
  if (output === 'json') await json(ctx, 'config.delete', { profile: name, path: store.path });
  else ctx.io.log.info(`deleted profile '${name}'`);
}
