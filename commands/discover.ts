// guardian discover: the concurrent multi-cloud inventory, and `discover diff` between snapshots.

import { type Command, Option } from 'commander';
import { Interrupted, PartialResult, UsageError } from '../src/errors.js';
import { RESOURCE_KINDS } from '../src/model/resource.js';
import { type OutputFormat, resolveFormat } from '../src/render/format.js';
import type { TableView } from '../src/render/table.js';
import { type CommandContext, type CommandDefinition, contextFor } from './context.js';
import { parseClouds, parseDuration, parseKinds, parsePositiveInt, parseRegions } from './options.js';

interface DiscoverOptions {
  provider?: string[];
  region?: string[];
  kind?: string[];
  concurrency?: string;
  scopeConcurrency?: string;
  timeout?: string;
  callTimeout?: string;
  strict?: boolean;
  raw?: boolean;
  graph?: 'dot' | 'mermaid';
  save: boolean;
  keep?: string;
  listKinds?: boolean;
  filter?: string[];
}

/** Repeated flags collected in order (`--filter a --filter b`), one expression each: no comma splitting. */
const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];

const FORMATS: OutputFormat[] = ['table', 'json', 'csv', 'markdown', 'ndjson'];

export const defineDiscover: CommandDefinition = (program, runtime) => {
  const discover = program
    .command('discover')
    .description('inventory every configured cloud, account and region concurrently')
    .option('--provider <clouds...>', 'only these clouds (aws, azure, gcp)')
    .option('--region <regions...>', 'only these regions / locations / zones')
    .option('--kind <kinds...>', 'only these resource kinds (e.g. aws.ec2.instance, or aws.ec2 for all EC2 kinds)')
    .option('--concurrency <n>', 'calls in flight at once over all clouds (default 128)')
    .option('--scope-concurrency <n>', 'calls in flight at once per account × region (default 10)')
    .option('--timeout <duration>', 'stop the whole run after this long and keep what was found, marked incomplete (e.g. 5m)')
    .option('--call-timeout <duration>', 'give up on one call after this long (default 30s)')
    .option('--strict', 'exit 4 when any scope or listing failed or did not finish (--timeout)')
    .option('--raw', "keep each cloud's own object on the resources (JSON/NDJSON)")
    .addOption(new Option('--graph <format>', 'print the topology instead of the summary').choices(['dot', 'mermaid']))
    .option('--no-save', 'do not save the snapshot in the data directory')
    .option('--keep <n>', 'snapshots to keep per profile (default 20)')
    .option(
      '--filter <expr>',
      'show only resources matching this expression; repeat to AND (the saved snapshot keeps them all; see below)',
      collect,
    )
    .option('--list-kinds', 'list the resource kinds Guardian discovers')
    .addHelpText(
      'after',
      `
Examples:
  guardian discover --profile demo
  guardian discover --provider aws --region eu-west-1 --kind aws.ec2 --json > snapshot.json
  guardian discover --output ndjson | jq -c 'select(.kind == "aws.ec2.volume")'
  guardian discover --graph mermaid
  guardian discover --filter 'tag:env=prod' --filter state=running
  guardian discover diff            # the last two complete snapshots of the profile

Filters (--filter, repeatable, all must match): KEY=VALUE or KEY!=VALUE with KEY one of
cloud, account, region, kind, id, name, state or tag:NAME; tag:NAME alone (the tag is set) or
!tag:NAME (it is not). Values may be globs (web-*, arn:aws:*). A filter narrows what is printed,
in every format; the saved snapshot stays the whole inventory, so 'discover diff' stays meaningful.`,
    )
    .action(async (options: DiscoverOptions, command: Command) => {
      await runDiscover(contextFor(command, runtime), options);
    });

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

async function runDiscover(ctx: CommandContext, options: DiscoverOptions): Promise<void> {
  const format = resolveFormat(ctx.globals, FORMATS);
  if (options.listKinds) {
    const { renderView, toJson } = await import('../src/render/output.js');
    const view: TableView<string> = {
      columns: [
        { header: 'Kind', value: (k) => k },
        { header: 'Cloud', value: (k) => k.split('.')[0] },
      ],
      rows: [...RESOURCE_KINDS],
    };
    renderView(ctx.io, format, view, () => toJson('guardian.kinds', { kinds: RESOURCE_KINDS }));
    return;
  }
  const providers = parseClouds(options.provider);
  const request = {
    providers,
    regions: parseRegions(options.region, providers),
    kinds: parseKinds(options.kind),
    concurrency: parsePositiveInt('--concurrency', options.concurrency, 1000),
    scopeConcurrency: parsePositiveInt('--scope-concurrency', options.scopeConcurrency, 1000),
    timeoutMs: parseDuration('--timeout', options.timeout),
    callTimeoutMs: parseDuration('--call-timeout', options.callTimeout),
    raw: options.raw === true,
    save: options.save,
    keep: parsePositiveInt('--keep', options.keep, 10_000),
  };
  const { parseFilters } = await import('../src/inventory/filter.js');
  const filter = parseFilters(options.filter);
  if (options.graph && format === 'ndjson') throw new UsageError('--graph prints a graph; it cannot be combined with --output ndjson');
  if (request.kinds && providers) {
    const stray = request.kinds.filter((kind) => !providers.some((cloud) => kind.startsWith(`${cloud}.`)));
    if (stray.length === request.kinds.length)
      throw new UsageError(`--kind ${stray.join(',')} does not belong to --provider ${providers.join(',')}`);
  }

  if (options.graph && ctx.globals.query !== undefined) throw new UsageError('--graph prints a graph; --query is for JSON output');
  const { runDiscovery } = await import('../src/discovery/run.js');
  const { ndjsonLines } = await import('../src/render/output.js');
  const streaming = format === 'ndjson' && !options.graph;
  let printed = 0;
  const outcome = await runDiscovery(ctx, {
    ...request,
    onResources: streaming
      ? (resources) => {
          const shown = filter ? resources.filter(filter.matches) : resources;
          printed += shown.length;
          if (shown.length > 0) ctx.io.stdout.write(ndjsonLines(ctx.io, shown));
        }
      : undefined,
  });
  try {
    const { snapshot, file, saved } = outcome;
    const { renderDiscovery, incompleteness } = await import('../src/discovery/report.js');
    await renderDiscovery(ctx.io, format, outcome, { graph: options.graph, streamed: streaming ? { printed } : undefined, filter });
    const why = incompleteness(snapshot);
    if (!why) {
      if (saved) ctx.io.log.verbose(`snapshot: ${file}`);
      return;
    }
    // Where the partial snapshot went: `discover diff` and --input will know it is partial, but a
    // person looking for it needs the path.
    const kept = saved ? `partial snapshot saved to ${file}` : 'partial results printed, not saved (--no-save)';
    if (snapshot.interrupted) {
      ctx.io.log.warn(`${why}; ${kept}`);
      throw new Interrupted(`interrupted; ${snapshot.summary.resources} resources found so far, ${kept}`);
    }
    const message = `the results are incomplete (${why}); ${kept}`;
    if (options.strict) throw new PartialResult(message, { hint: 'see the Status column above, or the "errors" field of --json' });
    ctx.io.log.warn(message);
  } finally {
    await outcome.release();
  }
}

interface DiffOptions {
  provider?: string[];
  region?: string[];
  kind?: string[];
  filter?: string[];
  strict?: boolean;
}

async function runDiff(ctx: CommandContext, before: string | undefined, after: string | undefined, options: DiffOptions): Promise<void> {
  const format = resolveFormat(ctx.globals, ['table', 'json', 'csv', 'markdown']);
  const providers = parseClouds(options.provider);
  const regions = parseRegions(options.region, providers);
  const kinds = parseKinds(options.kind);
  const { parseFilters } = await import('../src/inventory/filter.js');
  const filter = parseFilters(options.filter);
  if (before && !after) throw new UsageError('discover diff takes two snapshot files, or none to compare the last two of the profile');
  const { compareSnapshots } = await import('../src/discovery/compare.js');
  const { diff, files, partial } = await compareSnapshots(ctx, {
    files: before && after ? [before, after] : undefined,
    profile: ctx.profile,
    providers,
    regions,
    kinds,
    filter,
  });
  const { renderDiff } = await import('../src/discovery/report.js');
  renderDiff(ctx.io, format, diff, { before: files[0], after: files[1] });
  if (partial.length > 0 && options.strict)
    throw new PartialResult(`the diff compares incomplete snapshots: ${partial.join('; ')}`, {
      hint: "run 'guardian discover' again, or name two complete snapshot files",
    });
}
