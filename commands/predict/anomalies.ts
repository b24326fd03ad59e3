// guardian predict anomalies: the streaming detector over a series file or the clouds' metrics of
// discovered machines; a table of flagged points with their reasons, --json, --fail-on-anomaly.

import { type Command, Option } from 'commander';
import { pinnedDemoDay } from '../../src/config/profile.js';
import { CheckFailed, Interrupted, PartialResult, UsageError } from '../../src/errors.js';
import { METRIC_NAMES, METRIC_STATS, type MetricName, type MetricStat } from '../../src/model/metric.js';
import { type OutputFormat, resolveFormat } from '../../src/render/format.js';
import { type CommandContext, contextFor, type VerbDefinition } from '../context.js';
import { listValues, parseClouds, parseDuration, parseKinds, parseRegions } from '../options.js';

interface AnomaliesOptions {
  input?: string;
  metric?: string[];
  kind?: string[];
  id?: string[];
  provider?: string[];
  region?: string[];
  snapshot?: string;
  history?: string;
  period?: string;
  stat: MetricStat;
  since?: string;
  threshold?: string;
  failOnAnomaly?: boolean;
  strict?: boolean;
  timeout?: string;
}

const FORMATS: OutputFormat[] = ['table', 'json', 'csv', 'markdown'];

export const definePredictAnomalies: VerbDefinition = (predict, runtime) => {
  predict
    .command('anomalies')
    .description('flag anomalous points in a series file or in the metrics of discovered machines, each with its reason')
    .option('--input <file>', 'a series file: CSV (timestamp,value[,more columns]) or JSON series')
    .option('--metric <metrics...>', `the clouds' metrics of discovered machines: ${METRIC_NAMES.join(', ')}`)
    .option(
      '--kind <kinds...>',
      'with --metric: only these kinds (aws.ec2.instance, aws.rds.instance, azure.compute.vm, gcp.compute.instance)',
    )
    .option('--id <ids...>', 'with --metric: only these machines (ids or names)')
    .option('--provider <clouds...>', 'with --metric: only these clouds (aws, azure, gcp)')
    .option('--region <regions...>', 'with --metric: only these regions / locations / zones')
    .option('--snapshot <file>', 'with --metric: the machines of a saved snapshot instead of a live discovery')
    .option('--history <span>', 'with --metric: how much history to read and judge (default 14d)')
    .option('--period <seconds>', 'with --metric: seconds per point, a multiple of 60 (default 3600)')
    .addOption(new Option('--stat <stat>', 'with --metric: statistic of each period').choices([...METRIC_STATS]).default('average'))
    .option('--since <span>', 'show only anomalies this recent (90m, 12h, 14d, 2w back from the newest point)')
    .option('--threshold <score>', 'flag points scoring at least this, 0-1 (default: the NAB-tuned 0.53)')
    .option('--fail-on-anomaly', 'exit 1 when any anomaly is shown')
    .option('--strict', 'exit 4 when any series could not be read or judged')
    .option('--timeout <duration>', 'with --metric: stop after this long and judge what was read (e.g. 5m)')
    .addHelpText(
      'after',
      `
Each point is scored from the points before it only (a streaming detector, NAB-benchmarked: see
BENCHMARKS.md); the reason compares it with what its past expected, by weekday (and hour) when
the series has a weekly pattern.

Examples:
  guardian predict anomalies --input cpu.csv
  guardian predict anomalies --profile demo --metric cpu --history 14d --since 1d
  guardian predict anomalies --input series.json --json --fail-on-anomaly`,
    )
    .action(async (options: AnomaliesOptions, command: Command) => {
      await runAnomaliesCommand(contextFor(command, runtime), options);
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

function parseThreshold(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!(n > 0 && n <= 1)) throw new UsageError(`--threshold is a score above 0 and at most 1, not '${value}'`);
  return n;
}

async function runAnomaliesCommand(ctx: CommandContext, options: AnomaliesOptions): Promise<void> {
  const format = resolveFormat(ctx.globals, FORMATS);
  const metrics = parseMetrics(options.metric);
  if ((options.input === undefined) === (metrics === undefined))
    throw new UsageError('give one source: --input FILE, or --metric NAME for the metrics of discovered machines');
  const threshold = parseThreshold(options.threshold);
  const { parseSince, resolveWindow } = await import('../../src/metrics/window.js');
  const sinceMs = options.since === undefined ? undefined : parseSince(options.since);
  const { findAnomalies } = await import('../../src/predict/anomaly/run.js');
  let source: Parameters<typeof findAnomalies>[1]['source'];
  if (options.input !== undefined) {
    source = { kind: 'file', path: options.input };
  } else {
    const providers = parseClouds(options.provider);
    // The demo cloud's metrics end at its pinned day.
    const demoDay = pinnedDemoDay(ctx.profile, ctx.env);
    const now = demoDay ? Date.parse(`${demoDay}T00:00:00Z`) : ctx.now().getTime();
    const window = resolveWindow({ since: options.history ?? '14d', period: options.period ?? '3600' }, now);
    source = {
      kind: 'metrics',
      request: {
        input: options.snapshot,
        providers,
        regions: parseRegions(options.region, providers),
        kinds: parseKinds(options.kind),
        ids: listValues(options.id),
        metrics,
        window,
        stat: options.stat,
        timeoutMs: parseDuration('--timeout', options.timeout),
      },
    };
  }
  const report = await findAnomalies(ctx, { source, threshold, sinceMs });
  if (ctx.signal.aborted) throw new Interrupted('interrupted before every series was read');
  for (const line of report.info) ctx.io.log.info(line);
  for (const line of report.warn) ctx.io.log.warn(line);

  const view = await import('../../src/predict/anomaly/report.js');
  const { renderView, toJson } = await import('../../src/render/output.js');
  renderView(ctx.io, format, view.anomaliesTable(report), () => toJson('guardian.predict.anomalies', view.anomaliesJson(report)));
  ctx.io.log.info(view.anomaliesSummary(report));
  if (options.strict && report.incomplete.length > 0) {
    throw new PartialResult(`not every series was judged: ${report.incomplete.join('; ')}`);
  }
  if (options.failOnAnomaly && report.anomalies.length > 0) {
    throw new CheckFailed(`${report.anomalies.length} anomal${report.anomalies.length === 1 ? 'y' : 'ies'} found`);
  }
}
