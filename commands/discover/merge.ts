// `guardian discover merge`: the shards of one run (`discover --shard I/N`) joined into one
// snapshot; the checks and the writing are src/discovery/merge.ts's.

import { copyFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { PartialResult, UsageError } from '../../src/errors.js';
import { resolveFormat } from '../../src/render/format.js';
import { type CommandContext, contextFor, type VerbDefinition } from '../context.js';
import { parsePositiveInt } from '../options.js';

interface MergeOptions {
  out?: string;
  save?: boolean;
  keep?: string;
  strict?: boolean;
}

export const defineDiscoverMerge: VerbDefinition = (discover, runtime) => {
  discover
    .command('merge')
    .description('join the shards of one sharded run (discover --shard I/N) into one snapshot')
    .argument('<snapshots...>', "the shards' snapshot files (discover --shard I/N --json > FILE), all N of them")
    .option('--out <file>', 'write the merged snapshot to this file')
    .option('--save', "also keep it in the profile's snapshot history (for discover diff and the latest-snapshot readers)")
    .option('--keep <n>', 'snapshots to keep per profile when saving (default 20)')
    .option('--strict', 'exit 4 when the merged snapshot is incomplete (a shard was, or coverage cannot be proven)')
    .addHelpText(
      'after',
      `
Every shard of the run must be there: the same request (clouds, regions, kinds) and --run-id,
each index once, none missing; a scope found in two shards, or in the wrong one, is refused.
The merged snapshot is complete only when every shard is and the shards' scopes add up to the
listing each of them saw. scan, costs --estimate, optimize and discover diff read it with --input.

Examples:
  guardian discover --shard 1/3 --json > shard-1.json   # …and 2/3, 3/3 anywhere else
  guardian discover merge shard-*.json --out inventory.json
  guardian discover merge shard-*.json --json | guardian scan --input /dev/stdin`,
    )
    .action(async (files: string[], options: MergeOptions, command: Command) => {
      await runMerge(contextFor(command, runtime), files, options);
    });
};

async function runMerge(ctx: CommandContext, files: string[], options: MergeOptions): Promise<void> {
  const format = resolveFormat(ctx.globals, ['table', 'json', 'csv', 'markdown']);
  const keep = parsePositiveInt('--keep', options.keep, 10_000);
  const { mergeShardFiles } = await import('../../src/discovery/merge.js');
  const outcome = await mergeShardFiles(ctx, { files, save: options.save === true, keep });
  try {
    if (options.out)
      await copyFile(outcome.file, options.out).catch((error: NodeJS.ErrnoException) => {
        throw new UsageError(`cannot write ${options.out}: ${error.code ?? error.message}`);
      });
    for (const warning of outcome.warnings) ctx.io.log.warn(warning);
    const { renderDiscovery } = await import('../../src/discovery/report.js');
    await renderDiscovery(ctx.io, format, outcome, {});
    if (options.out) ctx.io.log.info(`merged snapshot written to ${options.out}`);
    // An interrupted shard makes the whole incomplete, not this command interrupted.
    if (!outcome.snapshot.complete) {
      const { incompleteness } = await import('../../src/discovery/report.js');
      const message = `the merged snapshot is incomplete (${incompleteness(outcome.snapshot) ?? 'coverage cannot be proven'})`;
      if (options.strict) throw new PartialResult(message);
      ctx.io.log.warn(message);
    }
  } finally {
    await outcome.release();
  }
}
