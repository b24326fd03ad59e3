// guardian predict anomalies: the streaming detector over a series file, the clouds' metrics of
// discovered machines, daily spend, or a Prometheus query; a table of flagged points with their reasons, --json, --fail-on-anomaly.

import { type Command, Option } from 'commander';
import { pinnedDemoDay } from '../../src/config/profile.js';
import { CheckFailed, Interrupted, PartialResult, UsageError } from '../../src/errors.js';
import { METRIC_NAMES, METRIC_STATS, type MetricName, type MetricStat } from '../../src/model/metric.js';
import { type OutputFormat, resolveFormat } from '../../src/render/format.js';
import { type CommandContext, contextFor, type VerbDefinition } from '../context.js';
import { listValues, parseClouds, parseDuration, parseKinds, parsePositiveInt, parseRegions } from '../options.js';

interface AnomaliesOptions {
  input?: string;
  costs?: boolean;
  top?: string;
  cache: boolean;
  prometheus?: string;
  promql?: string;
  start?: string;
  end?: string;
  step?: string;
  maxSeries?: string;
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
    .option('--costs', 'daily spend: the total, the top services and the top accounts, per currency')
    .option('--top <n>', 'with --costs: services and accounts judged per currency (default 5)')
    .option('--no-cache', 'with --costs: ask the billing APIs again even when a cached answer is fresh')
    .option('--prometheus <url>', 'a Prometheus server to read with --promql (the query_range API)')
    .option('--promql <expr>', 'with --prometheus: the PromQL expression whose series to judge')
    .option('--start <time>', 'with --prometheus: range start, a date or UTC time (default: --history before --end)')
    .option('--end <time>', 'with --prometheus: range end (default now)')
    .option('--step <duration>', 'with --prometheus: seconds between points: 5m, 1h, 300 (default 5m)')
    .option('--max-series <n>', 'with --prometheus: judge at most this many series (default 100)')
    .option(
      '--kind <kinds...>',
      'with --metric: only these kinds (aws.ec2.instance, aws.rds.instance, azure.compute.vm, gcp.compute.instance)',
    )
    .option('--id <ids...>', 'with --metric: only these machines (ids or names)')
    .option('--provider <clouds...>', 'with --metric: only these clouds (aws, azure, gcp)')
    .option('--region <regions...>', 'with --metric: only these regions / locations / zones')
    .option('--snapshot <file>', 'with --metric: the machines of a saved snapshot instead of a live discovery')
    .option('--history <span>', 'how much history to read and judge: --metric and --prometheus 14d, --costs 90d')
    .option('--period <seconds>', 'with --metric: seconds per point, a multiple of 60 (default 3600)')
    .addOption(new Option('--stat <stat>', 'with --metric: statistic of each period').choices([...METRIC_STATS]).default('average'))
    .option('--since <span>', 'show only anomalies this recent (90m, 12h, 14d, 2w back from the newest point)')
    .option('--threshold <score>', 'flag points scoring at least this, 0-1 (default: the NAB-tuned 0.53)')
    .option('--fail-on-anomaly', 'exit 1 when any anomaly is shown')
    .option('--strict', 'exit 4 when any series could not be read or judged')
    .option('--timeout <duration>', 'stop reading the clouds or Prometheus after this long (e.g. 5m)')
    .addHelpText(
      'after',
      `
Each point is scored from the points before it only (a streaming detector, NAB-benchmarked: see
BENCHMARKS.md); the reason compares it with what its past expected, by weekday (and hour) when
the series has a weekly pattern.

Examples:
  guardian predict anomalies --input cpu.csv
  guardian predict anomalies --profile demo --metric cpu --history 14d --since 1d
  guardian predict anomalies --profile demo --costs --since 7d
  guardian predict anomalies --prometheus http://127.0.0.1:9090 --promql 'rate(http_requests_total[5m])' --step 1m
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

function parseStep(value: string | undefined): number {
  if (value === undefined) return 300;
  const ms = parseDuration('--step', /^\d+$/.test(value.trim()) ? `${value.trim()}s` : value);
  if (ms === undefined || ms % 1000 !== 0 || ms === 0) throw new UsageError(`--step must be a whole number of seconds, not '${value}'`);
  return ms / 1000;
}

type Source = import('../../src/predict/anomaly/run.js').AnomalySource;

/** Which source the flags name; flags of another source are refused, not ignored. */
async function sourceOf(ctx: CommandContext, options: AnomaliesOptions): Promise<Source> {
  const metrics = parseMetrics(options.metric);
  const given = [options.input !== undefined, metrics !== undefined, options.costs === true, options.prometheus !== undefined];
  if (given.filter(Boolean).length !== 1)
    throw new UsageError('give one source: --input FILE, --metric NAME, --costs, or --prometheus URL --promql EXPR');
  if (options.promql !== undefined && options.prometheus === undefined) throw new UsageError('--promql needs --prometheus URL');
  const only = (flags: Array<[string, unknown]>, source: string) => {
    for (const [flag, value] of flags) if (value !== undefined) throw new UsageError(`${flag} does not go with ${source}`);
  };
  const metricFlags: Array<[string, unknown]> = [
    ['--kind', options.kind],
    ['--id', options.id],
    ['--region', options.region],
    ['--snapshot', options.snapshot],
    ['--period', options.period],
  ];
  const promFlags: Array<[string, unknown]> = [
    ['--start', options.start],
    ['--end', options.end],
    ['--step', options.step],
    ['--max-series', options.maxSeries],
  ];
  const { parseSince, parseTime, resolveWindow } = await import('../../src/metrics/window.js');
  const demoDay = pinnedDemoDay(ctx.profile, ctx.env);
  const timeoutMs = parseDuration('--timeout', options.timeout);
  if (options.input !== undefined) {
    only(
      [...metricFlags, ...promFlags, ['--provider', options.provider], ['--history', options.history], ['--top', options.top]],
      '--input',
    );
    return { kind: 'file', path: options.input };
  }
  if (options.costs) {
    only([...metricFlags, ...promFlags], '--costs');
    const historyDays = Math.round(parseSince(options.history ?? '90d') / 86_400_000);
    if (historyDays < 14 || historyDays > 800) throw new UsageError(`--history with --costs is 14 to 800 days, not '${options.history}'`);
    return {
      kind: 'costs',
      request: {
        today: demoDay ?? ctx.now().toISOString().slice(0, 10),
        historyDays,
        top: parsePositiveInt('--top', options.top, 100) ?? 5,
        metric: 'unblended',
        clouds: parseClouds(options.provider),
        timeoutMs,
        cache: options.cache,
      },
    };
  }
  if (options.prometheus !== undefined) {
    // --query is Guardian's JMESPath filter of the JSON output, on every command: PromQL has its own flag.
    if (!options.promql)
      throw new UsageError(
        ctx.globals.query !== undefined
          ? 'give the PromQL with --promql: --query is the JMESPath filter of --json output'
          : '--prometheus needs --promql EXPR',
      );
    only([...metricFlags, ['--provider', options.provider], ['--top', options.top]], '--prometheus');
    const now = ctx.now().getTime();
    const end = options.end !== undefined ? Math.min(parseTime('--end', options.end, true), now) : now;
    if (options.start !== undefined && options.history !== undefined) throw new UsageError('give either --history or --start, not both');
    const start = options.start !== undefined ? parseTime('--start', options.start, false) : end - parseSince(options.history ?? '14d');
    if (start >= end) throw new UsageError('--start must be before --end');
    return {
      kind: 'prometheus',
      request: {
        url: options.prometheus,
        query: options.promql,
        start,
        end,
        stepSeconds: parseStep(options.step),
        maxSeries: parsePositiveInt('--max-series', options.maxSeries, 10_000),
        timeoutMs,
      },
    };
  }
  only([...promFlags, ['--top', options.top]], '--metric');
  const providers = parseClouds(options.provider);
  // The demo cloud's metrics end at its pinned day.
  const now = demoDay ? Date.parse(`${demoDay}T00:00:00Z`) : ctx.now().getTime();
  const window = resolveWindow({ since: options.history ?? '14d', period: options.period ?? '3600' }, now);
  return {
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
      timeoutMs,
    },
  };
}

async function runAnomaliesCommand(ctx: CommandContext, options: AnomaliesOptions): Promise<void> {
  const format = resolveFormat(ctx.globals, FORMATS);
  const threshold = parseThreshold(options.threshold);
  const { parseSince } = await import('../../src/metrics/window.js');
  const sinceMs = options.since === undefined ? undefined : parseSince(options.since);
  const source = await sourceOf(ctx, options);
  const { findAnomalies } = await import('../../src/predict/anomaly/run.js');
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
