// guardian metrics: utilisation of the chosen machines over a window (CloudWatch, Azure Monitor,
// Cloud Monitoring), as p50/p95/max per resource and metric, or every point with --json.

import { type Command, Option } from 'commander';
import { pinnedDemoDay } from '../src/config/profile.js';
import { Interrupted, PartialResult, UsageError } from '../src/errors.js';
import { METRIC_NAMES, METRIC_STATS, type MetricName, type MetricStat } from '../src/model/metric.js';
import { type OutputFormat, resolveFormat } from '../src/render/format.js';
import { type CommandContext, type CommandDefinition, contextFor } from './context.js';
import { listValues, parseClouds, parseDuration, parseKinds, parsePositiveInt, parseRegions } from './options.js';

interface MetricsOptions {
  id?: string[];
  kind?: string[];
  provider?: string[];
  region?: string[];
  input?: string;
  since?: string;
  from?: string;
  to?: string;
  metric?: string[];
  period?: string;
  stat: MetricStat;
  concurrency?: string;
  scopeConcurrency?: string;
  timeout?: string;
  callTimeout?: string;
  strict?: boolean;
}

const FORMATS: OutputFormat[] = ['table', 'json', 'csv', 'markdown'];

export const defineMetrics: CommandDefinition = (program, runtime) => {
  program
    .command('metrics')
    .description("read machines' utilisation (CPU, network, disk, database) from the clouds' monitoring APIs")
    .option('--id <ids...>', 'only these resources (ids or names)')
    .option('--kind <kinds...>', 'only these kinds (aws.ec2.instance, aws.rds.instance, azure.compute.vm, gcp.compute.instance)')
    .option('--provider <clouds...>', 'only these clouds (aws, azure, gcp)')
    .option('--region <regions...>', 'only these regions / locations / zones')
    .option('--input <file>', 'the machines of a saved snapshot instead of a live discovery')
    .option('--since <span>', 'the window up to now: 90m, 12h, 14d, 2w (default 1d)')
    .option('--from <time>', 'window start: a date (2026-11-01) or UTC time (2026-11-01T06:00:00Z)')
    .option('--to <time>', 'window end (a date is included whole; default now)')
    .option('--metric <metrics...>', `only these metrics: ${METRIC_NAMES.join(', ')} (default: each kind's own)`)
    .option('--period <seconds>', 'seconds per point, a multiple of 60 (default 300)')
    .addOption(new Option('--stat <stat>', 'statistic of each period').choices([...METRIC_STATS]).default('average'))
    .option('--concurrency <n>', 'calls in flight at once over all clouds (default 128)')
    .option('--scope-concurrency <n>', 'calls in flight at once per account × region (default 10)')
    .option('--timeout <duration>', 'stop after this long and report what was read (e.g. 5m)')
    .option('--call-timeout <duration>', 'give up on one call after this long (default 30s; retried like discovery)')
    .option('--strict', 'exit 4 when any series could not be read')
    .addHelpText(
      'after',
      `
Values are exactly what each cloud returned, in its own unit (GCP reports CPU as a 0-1 ratio,
Azure disk operations per second). EC2 publishes no memory metric: memory is reported unknown.

Examples:
  guardian metrics --profile demo --kind aws.ec2.instance --since 14d
  guardian metrics --input snapshot.json --metric cpu --stat p95 --json > cpu.json
  guardian metrics --id i-0abc123 --from 2026-11-01 --to 2026-11-07 --period 3600`,
    )
    .action(async (options: MetricsOptions, command: Command) => {
      await runMetricsCommand(contextFor(command, runtime), options);
    });
};

function parseMetrics(values: string[] | undefined): MetricName[] | undefined {
  const list = listValues(values);
  if (!list) return undefined;
  for (const name of list)
    if (!(METRIC_NAMES as readonly string[]).includes(name))
      throw new UsageError(`--metric: unknown metric '${name}' (choose ${METRIC_NAMES.join(', ')})`);
  return list as MetricName[];
}

async function runMetricsCommand(ctx: CommandContext, options: MetricsOptions): Promise<void> {
  const format = resolveFormat(ctx.globals, FORMATS);
  const providers = parseClouds(options.provider);
  const regions = parseRegions(options.region, providers);
  const kinds = parseKinds(options.kind);
  const metrics = parseMetrics(options.metric);
  const { resolveWindow } = await import('../src/metrics/window.js');
  // Now, or the start of the demo cloud's pinned day (its metrics end there).
  const demoDay = pinnedDemoDay(ctx.profile, ctx.env);
  const window = resolveWindow(options, demoDay ? Date.parse(`${demoDay}T00:00:00Z`) : ctx.now().getTime());
  const timeoutMs = parseDuration('--timeout', options.timeout);
  const callTimeoutMs = parseDuration('--call-timeout', options.callTimeout);
  const concurrency = parsePositiveInt('--concurrency', options.concurrency, 1024);
  const scopeConcurrency = parsePositiveInt('--scope-concurrency', options.scopeConcurrency, 1024);

  const { collectMetrics } = await import('../src/metrics/collect.js');
  const collected = await collectMetrics(ctx, {
    input: options.input,
    providers,
    regions,
    kinds,
    ids: listValues(options.id),
    metrics,
    window,
    stat: options.stat,
    timeoutMs,
    callTimeoutMs,
    concurrency,
    scopeConcurrency,
    onRetry: (cloud, error, attempt, delayMs) =>
      ctx.io.log.verbose(`${cloud} metrics call: ${error.code} (attempt ${attempt}); retrying in ${delayMs} ms`),
  });
  if (ctx.signal.aborted) throw new Interrupted('interrupted before every metric was read');
  const { outcome } = collected;
  const report = await import('../src/metrics/report.js');
  const notes = report.collectionNotes(collected);
  for (const line of notes.verbose) ctx.io.log.verbose(line);
  for (const line of notes.info) ctx.io.log.info(line);
  for (const line of notes.warn) ctx.io.log.warn(line);

  const { renderView, toJson } = await import('../src/render/output.js');
  renderView(ctx.io, format, report.metricsTable(outcome), () => toJson('guardian.metrics', report.metricsJson(outcome, window)));
  if (options.strict && (outcome.failures.length > 0 || !collected.inventoryComplete)) {
    throw new PartialResult('some metrics could not be read', { hint: 'see the warnings above, or the "failures" field of --json' });
  }
}
