// `guardian __complete LIST` (hidden): what the completion scripts call on Tab for the lists that
// live in the config store, one value a line.

import type { Command } from 'commander';
import { UsageError } from '../../src/errors.js';
import { contextFor, type VerbDefinition } from '../context.js';
import { DYNAMIC_LISTS } from './specs.js';

export const defineCompleteList: VerbDefinition = (program, runtime) => {
  program
    .command('__complete', { hidden: true })
    .argument('<list>', Object.keys(DYNAMIC_LISTS).join(', '))
    .action(async (list: string, _options: object, command: Command) => {
      const ctx = contextFor(command, runtime);
      if (!Object.hasOwn(DYNAMIC_LISTS, list))
        throw new UsageError(`__complete: no list '${list}' (${Object.keys(DYNAMIC_LISTS).join(', ')})`);
      const { DEMO_PROFILE } = await import('../../src/config/profile.js');
      let names: string[];
      try {
        names = (await ctx.openStore()).listProfiles().map((p) => p.name);
      } catch {
        // A broken file is reported by the command the user runs, not in the middle of their typing.
        names = [DEMO_PROFILE];
      }
      ctx.io.stdout.write(`${names.join('\n')}\n`);
    });
};
