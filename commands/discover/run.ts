// `guardian discover`: the concurrent multi-cloud inventory. Declares and validates the flags,
// runs src/discovery/run.ts, renders (streaming NDJSON as pages arrive) and ends with the verdict
// of src/discovery/verdict.ts.

import { type Command, Option } from 'commander';
import { Interrupted, PartialResult, UsageError } from '../../src/errors.js';
import { RESOURCE_KINDS } from '../../src/model/resource.js';
import { type OutputFormat, resolveFormat } from '../../src/render/format.js';
import { type CommandContext, contextFor, type VerbDefinition } from '../context.js';
import { collect, parseClouds, parseDuration, parseKinds, parsePositiveInt, parseRegions } from '../options.js';

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
  shard?: string;
  shards?: string;
  runId?: string;
  to?: string;
  from?: string;
  run?: string;
}

const FORMATS: OutputFormat[] = ['table', 'json', 'csv', 'markdown', 'ndjson'];

/** The noun's own action: `discover` itself, whose flags `diff` shares. */
export const defineDiscoverRun: VerbDefinition = (discover, runtime) => {
  discover
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
    .option('--shard <i/n>', 'discover only shard I of N of the scopes (env: GUARDIAN_SHARD); join them with discover merge')
    .option('--shards <n>', 'split into N shards and take the one JOB_COMPLETION_INDEX names (a Kubernetes Indexed Job)')
    .option('--run-id <id>', 'name the run its shards belong to, checked by discover merge (env: GUARDIAN_RUN_ID)')
    .option('--to <url>', 'also write the run to this PostgreSQL inventory (postgres://…; see docs/inventory-sql.md)')
    .option('--from <url>', 'read a run back from a PostgreSQL inventory instead of discovering')
    .option('--run <id>', 'with --from: the run to read (default: the latest complete one)')
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
  guardian discover --shard 2/4 --run-id "$GITHUB_RUN_ID" --json > shard-2.json
  guardian discover --shard 2/4 --run-id nightly-42 --to postgres://guardian@db/inventory
  guardian discover --from postgres://guardian@db/inventory --run nightly-42 --json

Filters (--filter, repeatable, all must match): KEY=VALUE or KEY!=VALUE with KEY one of
cloud, account, region, kind, id, name, state or tag:NAME; tag:NAME alone (the tag is set) or
!tag:NAME (it is not). Values may be globs (web-*, arn:aws:*). A filter narrows what is printed,
in every format; the saved snapshot stays the whole inventory, so 'discover diff' stays meaningful.`,
    )
    .action(async (options: DiscoverOptions, command: Command) => {
      await runDiscover(contextFor(command, runtime), options);
    });
};

async function runDiscover(ctx: CommandContext, options: DiscoverOptions): Promise<void> {
  const format = resolveFormat(ctx.globals, FORMATS);
  if (options.listKinds) {
    const { renderKinds } = await import('../../src/discovery/report.js');
    renderKinds(ctx.io, format, RESOURCE_KINDS);
    return;
  }
  if (options.run !== undefined && options.from === undefined) throw new UsageError('--run names a run to read: it goes with --from');
  if (options.from !== undefined) {
    if (options.to !== undefined) throw new UsageError('--from reads a run and --to writes one: use one of them');
    const { readFromDatabase } = await import('./database.js');
    await readFromDatabase(ctx, options.from, options.run, format, options.strict === true);
    return;
  }
  const providers = parseClouds(options.provider);
  const { parseRunId, resolveShard } = await import('../../src/discovery/shard.js');
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
    shard: resolveShard(options, ctx.env),
    runId: parseRunId(options.runId ?? ctx.env.GUARDIAN_RUN_ID),
  };
  const { parseFilters } = await import('../../src/inventory/filter.js');
  const filter = parseFilters(options.filter);
  const database = options.to !== undefined ? await import('./database.js') : undefined;
  await database?.checkTarget(options.to as string, request);
  if (options.graph && format === 'ndjson') throw new UsageError('--graph prints a graph; it cannot be combined with --output ndjson');
  if (request.kinds && providers) {
    const stray = request.kinds.filter((kind) => !providers.some((cloud) => kind.startsWith(`${cloud}.`)));
    if (stray.length === request.kinds.length)
      throw new UsageError(`--kind ${stray.join(',')} does not belong to --provider ${providers.join(',')}`);
  }

  if (options.graph && ctx.globals.query !== undefined) throw new UsageError('--graph prints a graph; --query is for JSON output');
  const { runDiscovery } = await import('../../src/discovery/run.js');
  const { ndjsonStream, renderDiscovery } = await import('../../src/discovery/report.js');
  const stream = format === 'ndjson' && !options.graph ? ndjsonStream(ctx.io, filter) : undefined;
  const outcome = await runDiscovery(ctx, { ...request, onResources: stream?.onResources });
  try {
    await renderDiscovery(ctx.io, format, outcome, { graph: options.graph, streamed: stream && { printed: stream.printed() }, filter });
    await database?.writeToDatabase(ctx, options.to as string, outcome);
    const { judgeDiscovery } = await import('../../src/discovery/verdict.js');
    const verdict = judgeDiscovery(outcome, { strict: options.strict === true });
    if (verdict.complete && outcome.saved) ctx.io.log.verbose(`snapshot: ${outcome.file}`);
    for (const warning of verdict.warnings) ctx.io.log.warn(warning);
    if (verdict.outcome === 'interrupted') throw new Interrupted(verdict.message!);
    if (verdict.outcome === 'partial')
      throw new PartialResult(verdict.message!, { hint: 'see the Status column above, or the "errors" field of --json' });
  } finally {
    await outcome.release();
  }
}
