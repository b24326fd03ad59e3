// `guardian config profiles`: every profile, the current one marked.

import type { Command } from 'commander';
import { type CommandContext, contextFor, type VerbDefinition } from '../context.js';
import { format, json, openProfile } from './verb.js';

export const defineConfigProfiles: VerbDefinition = (config, runtime) => {
  config
    .command('profiles')
    .description('list profiles (the current one is marked *)')
    .action(async (_options: object, command: Command) => runProfiles(contextFor(command, runtime)));
};

async function runProfiles(ctx: CommandContext): Promise<void> {
  const { store, profile: active } = await openProfile(ctx);
  const output = await format(ctx, ['table', 'json', 'csv', 'markdown']);
  const profiles = store.listProfiles();
  if (output === 'json') {
    await json(ctx, 'config.profiles', { current: store.currentProfile ?? null, active, profiles });
    return;
  }
  const { renderView } = await import('../../src/render/output.js');
  renderView(
    ctx.io,
    output,
    {
      columns: [
        { header: 'CURRENT', value: (p) => (p.current ? '*' : '') },
        { header: 'NAME', value: (p) => p.name },
        { header: 'CLOUDS', value: (p) => (p.clouds.length ? p.clouds.join(',') : '(credential chains)') },
        { header: 'TYPE', value: (p) => (p.builtIn ? 'built-in sandbox' : 'stored') },
      ],
      rows: profiles,
    },
    () => '',
  );
}
