// `guardian version`: the version, the commit it was built from and the Node.js running it, as
// `gh version` and `kubectl version --client` give them; `--json` for scripts and bug reports.

import type { Command } from 'commander';
import { type CommandContext, type CommandDefinition, contextFor } from './context.js';

export async function runVersion(ctx: CommandContext): Promise<void> {
  const { buildInfo, versionLine } = await import('../src/build-info.js');
  const { resolveFormat, toJson } = await import('../src/render/output.js');
  const info = buildInfo();
  if (resolveFormat(ctx.globals, ['table', 'json']) === 'json') {
    ctx.io.out(
      toJson('version', {
        version: info.version,
        commit: info.commit,
        dirty: info.dirty,
        node: process.version,
        platform: process.platform,
        arch: process.arch,
      }),
    );
    return;
  }
  ctx.io.out(versionLine(info));
}

export const defineVersion: CommandDefinition = (program, runtime) => {
  program
    .command('version')
    .description('print the version, the commit it was built from and the Node.js version (--json too)')
    .action(async (_options: object, command: Command) => runVersion(contextFor(command, runtime)));
};
