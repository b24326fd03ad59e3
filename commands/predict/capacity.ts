// `guardian predict capacity`: when each disk / storage series crosses --threshold, from
// Prometheus (--prometheus URL --promql EXPR) or the clouds' metrics of discovered machines.

import type { Command } from 'commander';
import { pinnedDemoDay } from '../../src/config/profile.js';
import { Interrupted, PartialResult, UsageError } from '../../src/errors.js';
import { type OutputFormat, resolveFormat } from '../../src/render/format.js';
import { type CommandContext, contextFor, type VerbDefinition } from '../context.js';
import { listValues, parseClouds, parseDuration, parsePositiveInt, parseRegions } from '../options.js';

interface CapacityOptions {
  prometheus?: string;
  promql?: string;
  ratio?: boolean;
  maxSeries?: string;
  input?: string;
  provider?: string[];
  region?: string[];
  id?: string[];
  since?: string;
  start?: string;
  end?: string;
  step?: string;
  threshold: string;
  horizon: string;
  timeout?: string;
  callTimeout?: string;
  strict?: boolean;
}

const FORMATS: OutputFormat[] = ['table', 'json', 'csv', 'markdown'];
const SPAN_UNITS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };

export const definePredictCapacity: VerbDefinition = (predict, runtime) => {
  predict
    .command('capacity')
    .description("when each disk or storage series crosses --threshold, with an interval (Prometheus or the clouds' metrics)")
    .option('--prometheus <url>', 'read from this Prometheus server (with --promql) instead of the clouds')
    .option('--promql <expr>', 'the PromQL expression of fill levels in percent (or a 0-1 ratio with --ratio)')
    .option('--ratio', "the query's values are 0-1 ratios, not percent")
    .option('--max-series <n>', 'forecast at most this many of the series a query returns (default 100)')
    .option('--input <file>', 'the machines of a saved snapshot instead of a live discovery')
    .option('--provider <clouds...>', 'only these clouds (aws, azure, gcp)')
    .option('--region <regions...>', 'only these regions / locations / zones')
    .option('--id <ids...>', 'only these machines (ids or names)')
    .option('--since <span>', 'history up to --end: 12h, 14d, 2w (default 14d)')
    .option('--start <time>', 'history start: a date (2026-11-01) or UTC time (2026-11-01T06:00:00Z)')
    .option('--end <time>', 'history end (a date is included whole; default now)')
    .option('--step <duration>', 'seconds between points: 5m, 1h, 300 (default 5m for Prometheus, 1h for the clouds)')
    .option('--threshold <percent>', 'the fill level that counts as exhausted', '90')
    .option('--horizon <span>', 'how far ahead a crossing is reported as coming (e.g. 30d, 12w)', '30d')
    .option('--timeout <duration>', 'stop after this long (e.g. 2m)')
    .option('--call-timeout <duration>', 'give up on one cloud call after this long (default 30s; retried)')
    .option('--strict', 'exit 4 when any series could not be read')
    .addHelpText(
      'after',
      `
Each series is fitted with a Theil-Sen line (robust to outliers) over the points since its last
reset (a clean-up that freed space), and the interval comes from the slope's 95% interval. A
series already over the threshold, flat, falling, without a clear rise or too short gets no date.

From the clouds: the agents' disk used % (CloudWatch agent disk_used_percent, Ops Agent
agent.googleapis.com/disk/percent_used) and RDS free storage against its allocated size.

Examples:
  guardian predict capacity --profile demo --horizon 14d
  guardian predict capacity --prometheus http://127.0.0.1:9090 --since 4w --step 1h \\
    --promql '1 - node_filesystem_avail_bytes{mountpoint="/"} / node_filesystem_size_bytes{mountpoint="/"}' --ratio`,
    )
    .action(async (options: CapacityOptions, command: Command) => {
      await runCapacityCommand(contextFor(command, runtime), options);
    });
};

function parseSpan(flag: string, value: string): number {
  const match = /^(\d+(?:\.\d+)?)(m|h|d|w)$/.exec(value.trim());
  if (!match || Number(match[1]) <= 0) throw new UsageError(`${flag} takes a span such as 12h, 30d or 4w, not '${value}'`);
  return Math.round(Number(match[1]) * SPAN_UNITS[match[2]]);
}

function parseThreshold(value: string): number {
  const n = Number(value.trim().replace(/%$/, ''));
  if (!Number.isFinite(n) || n <= 0 || n > 100) throw new UsageError(`--threshold is a percentage above 0 and at most 100, not '${value}'`);
  return n;
}

function parseStep(value: string | undefined, fallbackSeconds: number): number {
  if (value === undefined) return fallbackSeconds;
  const ms = parseDuration('--step', /^\d+$/.test(value.trim()) ? `${value.trim()}s` : value);
  if (ms === undefined || ms % 1000 !== 0) throw new UsageError(`--step must be a whole number of seconds, not '${value}'`);
  return ms / 1000;
}

async function runCapacityCommand(ctx: CommandContext, options: CapacityOptions): Promise<void> {
  // --query is Guardian's JMESPath filter of the JSON output, on every command: PromQL has its own flag.
  if (options.prometheus && options.promql === undefined && ctx.globals.query !== undefined)
    throw new UsageError('give the PromQL with --promql: --query is the JMESPath filter of --json output');
  const format = resolveFormat(ctx.globals, FORMATS);
  const threshold = parseThreshold(options.threshold);
  const horizonMs = parseSpan('--horizon', options.horizon);
  const timeoutMs = parseDuration('--timeout', options.timeout);
  const callTimeoutMs = parseDuration('--call-timeout', options.callTimeout);
  if (options.promql !== undefined && !options.prometheus) throw new UsageError('--promql needs --prometheus URL');
  if (options.since !== undefined && options.start !== undefined) throw new UsageError('give either --since or --start, not both');
  const { parseTime } = await import('../../src/metrics/window.js');
  const demoDay = pinnedDemoDay(ctx.profile, ctx.env);

  let source: import('../../src/predict/capacity/run.js').CapacityRequest['source'];
  let now: number;
  if (options.prometheus) {
    if (!options.promql) throw new UsageError('--prometheus needs --promql EXPR: the fill levels to forecast');
    for (const [flag, given] of [
      ['--input', options.input],
      ['--provider', options.provider],
      ['--region', options.region],
      ['--id', options.id],
    ] as const)
      if (given !== undefined) throw new UsageError(`${flag} reads the clouds; it does not go with --prometheus`);
    now = ctx.now().getTime();
    const stepSeconds = parseStep(options.step, 300);
    const end = options.end !== undefined ? Math.min(parseTime('--end', options.end, true), now) : now;
    const start =
      options.start !== undefined ? parseTime('--start', options.start, false) : end - parseSpan('--since', options.since ?? '14d');
    if (start >= end) throw new UsageError('--start must be before --end');
    source = {
      kind: 'prometheus',
      url: options.prometheus,
      query: options.promql,
      start,
      end,
      stepSeconds,
      unit: options.ratio ? 'ratio' : 'percent',
      maxSeries: parsePositiveInt('--max-series', options.maxSeries, 10_000),
    };
  } else {
    if (options.ratio || options.maxSeries !== undefined)
      throw new UsageError(`${options.ratio ? '--ratio' : '--max-series'} goes with --prometheus`);
    // The demo cloud's metrics end at the start of its pinned day.
    now = demoDay ? Date.parse(`${demoDay}T00:00:00Z`) : ctx.now().getTime();
    const stepSeconds = parseStep(options.step, 3600);
    const { resolveWindow } = await import('../../src/metrics/window.js');
    const window = resolveWindow({ since: options.since, from: options.start, to: options.end, period: String(stepSeconds) }, now, '14d');
    const providers = parseClouds(options.provider);
    source = {
      kind: 'clouds',
      input: options.input,
      providers,
      regions: parseRegions(options.region, providers),
      ids: listValues(options.id),
      start: Date.parse(window.start),
      end: Date.parse(window.end),
      stepSeconds,
      callTimeoutMs,
    };
  }

  const { runCapacity } = await import('../../src/predict/capacity/run.js');
  const request = { source, threshold, horizonMs, now, timeoutMs };
  const result = await runCapacity(ctx, request);
  if (ctx.signal.aborted) throw new Interrupted('interrupted before every series was read');
  for (const note of result.notes) ctx.io.log.info(note);
  const { capacityTable, capacityJson, capacityChart } = await import('../../src/predict/capacity/report.js');
  const { renderView, toJson } = await import('../../src/render/output.js');
  renderView(ctx.io, format, capacityTable(result, now, horizonMs), () =>
    toJson('guardian.predict.capacity', capacityJson(result, request)),
  );
  if (format === 'table') {
    const chart = capacityChart(result, Math.min(ctx.io.shape.width ?? 100, 120));
    if (chart.length > 0) {
      const { printText } = await import('../../src/render/table.js');
      printText(ctx.io, chart.join('\n'));
    }
  }
  if (format === 'table' && result.forecasts.length > 0) {
    const coming = result.forecasts.filter((f) => f.status === 'exhausts').length;
    const crossed = result.forecasts.filter((f) => f.status === 'crossed').length;
    ctx.io.log.info(
      `${result.forecasts.length} series from ${result.source}: ${crossed} over ${threshold}% already, ${coming} reaching it within ${options.horizon}`,
    );
  }
  if (options.strict && !result.complete)
    throw new PartialResult('some fill-level series could not be read', { hint: 'see the lines above, or the "notes" field of --json' });
}
