// `guardian config path`: where the config file is (whether or not it exists yet).

import type { Command } from 'commander';
import { type CommandContext, contextFor, type VerbDefinition } from '../context.js';
import { format, json } from './verb.js';

export const defineConfigPath: VerbDefinition = (config, runtime) => {
  config
    .command('path')
    .description('print the path of the config file')
    .action(async (_options: object, command: Command) => runPath(contextFor(command, runtime)));
};

async function runPath(ctx: CommandContext): Promise<void> {
  const { configFilePath } = await import('../../src/config/store.js');
  const { existsSync } = await import('node:fs');
  const path = configFilePath(ctx.env);
  if ((await format(ctx)) === 'json') await json(ctx, 'config.path', { path, exists: existsSync(path) });
  else ctx.io.out(path);
}
