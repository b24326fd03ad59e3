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
}

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
    .option('--timeout <duration>', 'stop the whole run after this long and keep what was found (e.g. 5m)')
    .option('--call-timeout <duration>', 'give up on one call after this long (default 30s)')
    .option('--strict', 'exit 4 when any scope or listing failed')
    .option('--raw', "keep each cloud's own object on the resources (JSON/NDJSON)")
    .addOption(new Option('--graph <format>', 'print the topology instead of the summary').choices(['dot', 'mermaid']))
    .option('--no-save', 'do not save the snapshot in the data directory')
    .option('--keep <n>', 'snapshots to keep per profile (default 20)')
    .option('--list-kinds', 'list the resource kinds Guardian discovers')
    .addHelpText(
      'after',
      `
Examples:
  guardian discover --profile demo
  guardian discover --provider aws --region eu-west-1 --kind aws.ec2 --json > snapshot.json
  guardian discover --output ndjson | jq -c 'select(.kind == "aws.ec2.volume")'
  guardian discover --graph mermaid
  guardian discover diff            # the last two snapshots of the profile`,
    )
    .action(async (options: DiscoverOptions, command: Command) => {
      await runDiscover(contextFor(command, runtime), options);
    });

  discover
    .command('diff')
    .description('show resources added, removed and changed between two snapshots (default: the last two)')
    .argument('[before]', 'older snapshot file')
    .argument('[after]', 'newer snapshot file')
    .action(async (before: string | undefined, after: string | undefined, _options: unknown, command: Command) => {
      await runDiff(contextFor(command, runtime), before, after);
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
  const outcome = await runDiscovery(ctx, {
    ...request,
    onResources: streaming ? (resources) => ctx.io.stdout.write(ndjsonLines(ctx.io, resources)) : undefined,
  });
  try {
    const { snapshot, file, saved } = outcome;
    const { renderDiscovery } = await import('../src/discovery/report.js');
    await renderDiscovery(ctx.io, format, outcome, { graph: options.graph, streamed: streaming });
    if (saved) ctx.io.log.verbose(`snapshot: ${file}`);

    if (snapshot.interrupted)
      throw new Interrupted(
        `interrupted; ${snapshot.summary.resources} resources found so far were ${saved ? `saved to ${file}` : 'printed'}`,
      );
    if (snapshot.errors.length > 0) {
      const failedScopes = snapshot.scopes.filter((s) => s.status !== 'ok').length;
      const message = `${snapshot.errors.length} listing(s) failed${failedScopes ? ` in ${failedScopes} scope(s)` : ''}; the results are incomplete`;
      if (options.strict) throw new PartialResult(message, { hint: 'see the errors above, or the "errors" field of --json' });
      ctx.io.log.warn(message);
    }
  } finally {
    await outcome.release();
  }
}

async function runDiff(ctx: CommandContext, before: string | undefined, after: string | undefined): Promise<void> {
  const format = resolveFormat(ctx.globals, ['table', 'json', 'csv', 'markdown']);
  const { readSnapshot } = await import('../src/inventory/snapshot.js');
  const { listSnapshots } = await import('../src/inventory/store.js');
  const { diffInventories } = await import('../src/inventory/diff.js');
  let files: [string, string];
  if (before && after) files = [before, after];
  else if (before || after) throw new UsageError('discover diff takes two snapshot files, or none to compare the last two of the profile');
  else {
    const profile = ctx.globals.profile ?? ctx.env.GUARDIAN_PROFILE ?? (await currentProfileName(ctx));
    const saved = await listSnapshots(ctx.env, profile);
    if (saved.length < 2) {
      throw new UsageError(`profile '${profile}' has ${saved.length} saved snapshot(s); run 'guardian discover' again, or name two files`);
    }
    files = [saved[saved.length - 2], saved[saved.length - 1]];
  }
  const [a, b] = await Promise.all(files.map(readSnapshot));
  const diff = diffInventories(a.resources, b.resources);
  const { renderDiff } = await import('../src/discovery/report.js');
  renderDiff(ctx.io, format, diff, { before: files[0], after: files[1] });
}

async function currentProfileName(ctx: CommandContext): Promise<string> {
  const { openConfigStore } = await import('../src/config/store.js');
  return (await openConfigStore(ctx.env)).resolveProfileName(undefined);
}
