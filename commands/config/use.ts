// `guardian config use NAME`: make a profile the current one.

import type { Command } from 'commander';
import { type CommandContext, contextFor, type VerbDefinition } from '../context.js';
import { PROFILE_NAMES, suggest } from '../options.js';
import { format, json } from './verb.js';

export const defineConfigUse: VerbDefinition = (config, runtime) => {
  const use = config
    .command('use')
    .description('make a profile the current one')
    .argument('<name>', 'profile name')
    .action(async (name: string, _options: object, command: Command) => runUse(contextFor(command, runtime), name));
  suggest(use.registeredArguments[0], [PROFILE_NAMES]);
};

async function runUse(ctx: CommandContext, name: string): Promise<void> {
  const store = await ctx.openStore();
  const output = await format(ctx);
  await store.useProfile(name);
  if (output === 'json') await json(ctx, 'config.use', { current: name, path: store.path });
  else ctx.io.log.info(`now using profile '${name}'`);
  if (ctx.env.GUARDIAN_PROFILE && ctx.env.GUARDIAN_PROFILE !== name) {
    ctx.io.log.warn(`GUARDIAN_PROFILE=${ctx.env.GUARDIAN_PROFILE} is set and still takes precedence in this shell`);
  }
}
