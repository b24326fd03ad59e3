// `guardian discover diff`: resources added, removed and changed between two snapshots; the choice
// of snapshots and what an incomplete side means are src/discovery/compare.ts's.

import type { Command } from 'commander';
import { PartialResult, UsageError } from '../../src/errors.js';
import { resolveFormat } from '../../src/render/format.js';
import { type CommandContext, contextFor, type VerbDefinition } from '../context.js';
import { collect, parseClouds, parseKinds, parseRegions } from '../options.js';

interface DiffOptions {
  provider?: string[];
  region?: string[];
  kind?: string[];
  filter?: string[];
  strict?: boolean;
}

export const defineDiscoverDiff: VerbDefinition = (discover, runtime) => {
  discover
    .command('diff')
    .description('show resources added, removed and changed between two snapshots (default: the last two complete ones)')
    .argument('[before]', 'older snapshot file')
    .argument('[after]', 'newer snapshot file')
    .option('--provider <clouds...>', 'compare only these clouds')
    .option('--region <regions...>', 'compare only these regions / locations (a GCP region includes its zones)')
    .option('--kind <kinds...>', 'compare only these resource kinds (or prefixes such as aws.ec2)')
    .option('--filter <expr>', 'compare only resources matching this expression; repeat to AND (see discover --help)', collect)
    .option('--strict', 'exit 4 when either snapshot is incomplete (interrupted, timed out, or a listing failed)')
    .addHelpText(
      'after',
      `
Without files, the last two complete snapshots of the profile are compared; newer incomplete
ones are skipped (and named on stderr). Resources a snapshot did not finish looking for (a
listing that failed or was interrupted, a cloud or kind it was not asked for) are reported as
"not compared", never as added or removed.

Examples:
  guardian discover diff
  guardian discover diff --provider aws --kind aws.ec2 --json
  guardian discover diff before.json after.json --strict`,
    )
    .action(async (before: string | undefined, after: string | undefined, _options: unknown, command: Command) => {
      // The parent takes the flags it shares with diff (--provider, --region, --kind, --strict)
      // wherever they stand on the command line, so read them merged.
      await runDiff(contextFor(command, runtime), before, after, command.optsWithGlobals<DiffOptions>());
    });
};

async function runDiff(ctx: CommandContext, before: string | undefined, after: string | undefined, options: DiffOptions): Promise<void> {
  const format = resolveFormat(ctx.globals, ['table', 'json', 'csv', 'markdown']);
  const providers = parseClouds(options.provider);
  const regions = parseRegions(options.region, providers);
  const kinds = parseKinds(options.kind);
  const { parseFilters } = await import('../../src/inventory/filter.js');
  const filter = parseFilters(options.filter);
  if (before && !after) throw new UsageError('discover diff takes two snapshot files, or none to compare the last two of the profile');
  const { compareSnapshots } = await import('../../src/discovery/compare.js');
  const { diff, files, partial } = await compareSnapshots(ctx, {
    files: before && after ? [before, after] : undefined,
    profile: ctx.profile,
    providers,
    regions,
    kinds,
    filter,
  });
  const { renderDiff } = await import('../../src/discovery/report.js');
  renderDiff(ctx.io, format, diff, { before: files[0], after: files[1] });
  if (partial.length > 0 && options.strict)
    throw new PartialResult(`the diff compares incomplete snapshots: ${partial.join('; ')}`, {
      hint: "run 'guardian discover' again, or name two complete snapshot files",
    });
}
