// `guardian config list`: the settings of the profile in use, secrets redacted unless asked.

import type { Command } from 'commander';
import { type CommandContext, contextFor, type VerbDefinition } from '../context.js';
import { format, json, openProfile } from './verb.js';

export const defineConfigList: VerbDefinition = (config, runtime) => {
  config
    .command('list')
    .alias('ls')
    .description('show the settings of the profile in use (secrets redacted)')
    .option('--show-secrets', 'print stored secrets in clear')
    .action(async (options: { showSecrets?: boolean }, command: Command) => runList(contextFor(command, runtime), options));
};

async function runList(ctx: CommandContext, options: { showSecrets?: boolean }): Promise<void> {
  const { store, profile } = await openProfile(ctx);
  const settings = store.requireProfile(profile);
  const output = await format(ctx, ['table', 'json', 'csv', 'markdown']);
  if (output === 'json') {
    await json(ctx, 'config', {
      profile,
      builtIn: store.isBuiltIn(profile),
      path: store.path,
      settings: options.showSecrets ? settings : store.redacted(settings),
    });
    return;
  }
  const { formatValue } = await import('../../src/config/keys.js');
  const entries: { key: string; value: unknown }[] = store.entries(settings, { showSecrets: options.showSecrets });
  // Suppressions are structured records, not a dotted key: count them here, --json shows them whole.
  if (settings.suppressions?.length) entries.push({ key: 'suppressions', value: `${settings.suppressions.length} (see --json)` });
  if (entries.length === 0 && output === 'table') {
    ctx.io.log.info(
      store.isBuiltIn(profile)
        ? `'${profile}' is the built-in sandbox profile; it has no stored settings`
        : `profile '${profile}' has no settings: Guardian uses each cloud's own credential chain (set some with guardian config init or config set)`,
    );
    return;
  }
  const { renderView } = await import('../../src/render/output.js');
  renderView(
    ctx.io,
    output,
    {
      columns: [
        { header: 'KEY', value: (e) => e.key },
        { header: 'VALUE', value: (e) => formatValue(e.value) },
      ],
      rows: entries,
    },
    () => '',
  );
}
