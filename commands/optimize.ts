// guardian optimize: what to stop paying for, how much it saves a month at list prices, why
// (metric statistics over a window, or the fact) and the exact command that does it.

import type { Command } from 'commander';
import { Interrupted, PartialResult, UsageError } from '../src/errors.js';
import { CLOUDS } from '../src/model/resource.js';
import { type OutputFormat, resolveFormat } from '../src/render/format.js';
import { type CommandContext, type CommandDefinition, contextFor, requestedProfile } from './context.js';
import { listValues, parseClouds, parseDuration, parsePositiveInt, parseRegions, suggest } from './options.js';

interface OptimizeOptions {
  input?: string;
  provider?: string[];
  region?: string[];
  rules?: string[];
  skipRules?: string[];
  listRules?: boolean;
  minSaving?: string;
  since?: string;
  idleCpu?: string;
  idleNetwork?: string;
  rightsizeCpu?: string;
  stoppedDays?: string;
  snapshotAge?: string;
  concurrency?: string;
  scopeConcurrency?: string;
  timeout?: string;
  callTimeout?: string;
  strict?: boolean;
}

const FORMATS: OutputFormat[] = ['table', 'json', 'csv', 'markdown'];

export const defineOptimize: CommandDefinition = (program, runtime) => {
  const optimize = program
    .command('optimize')
    .description(
      'what to stop paying for: idle, oversized and previous-generation machines, unattached disks, unused addresses, old snapshots',
    )
    .option('--input <file>', 'judge a saved snapshot offline (the rules that need metrics are skipped)')
    .option('--provider <clouds...>', 'only these clouds (aws, azure, gcp)')
    .option('--region <regions...>', 'only these regions / locations / zones')
    .option('--rules <ids...>', 'only these cost rule ids (comma-separated or repeated)')
    .option('--skip-rules <ids...>', 'never run these cost rule ids')
    .option('--list-rules', 'print the cost rules instead of running them')
    .option('--min-saving <usd>', 'only recommendations that save at least this many USD a month (unpriced ones stay)')
    .option('--since <span>', 'the metric window up to now: 14d, 30d, 2w (default 14d)')
    .option('--idle-cpu <percent>', 'idle: p95 CPU below this (default 5)')
    .option('--idle-network <KiB/s>', 'idle: p95 network in + out below this many KiB per second (default 10)')
    .option('--rightsize-cpu <percent>', 'rightsize: p95 CPU (and memory where published) below this (default 40)')
    .option('--stopped-days <days>', 'machines stopped longer than this (default 30)')
    .option('--snapshot-age <days>', 'snapshots older than this whose source is gone (default 90)')
    .option('--concurrency <n>', 'calls in flight at once over all clouds (default 128)')
    .option('--scope-concurrency <n>', 'metric calls in flight at once per account × region (default 10)')
    .option('--timeout <duration>', 'stop after this long and recommend from what was read (e.g. 5m)')
    .option('--call-timeout <duration>', 'give up on one cloud call after this long (default 30s; retried)')
    .option('--strict', 'exit 4 when the inventory or a metric read is incomplete')
    .addHelpText(
      'after',
      `
Savings are list prices from the bundled tables (730 hours a month): every row says
priceBasis "list"; a price missing from the tables is shown as unpriced, never $0. A machine
with several recommendations (stop it, or resize it) is counted once in the total.
Output: --output table|json|csv|markdown (a pull-request comment); --json is documented in
docs/optimize.md.

Examples:
  guardian optimize --profile demo
  guardian optimize --min-saving 20 --output markdown > optimize.md
  guardian optimize --input snapshot.json --json
  guardian optimize --provider aws --since 30d --rightsize-cpu 30`,
    )
    .action(async (options: OptimizeOptions, command: Command) => {
      await runOptimizeCommand(contextFor(command, runtime), options);
    });
  const option = (long: string) => optimize.options.find((o) => o.long === long)!;
  suggest(option('--provider'), CLOUDS);
};

/** A number within [min, max]; a bad value is one line and exit 2. */
function parseNumber(flag: string, value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value.trim());
  if (value.trim() === '' || !Number.isFinite(n)) throw new UsageError(`${flag} takes a number, not '${value}'`);
  if (n < min || n > max) throw new UsageError(`${flag} must be between ${min} and ${max.toLocaleString('en-US')}, not ${value}`);
  return n;
}

/** Now, or the end of the demo cloud's pinned day (its metrics end there). */
function nowMs(ctx: CommandContext): number {
  const demoDay = ctx.env.GUARDIAN_DEMO_NOW?.trim();
  if (requestedProfile(ctx) === 'demo' && demoDay && /^\d{4}-\d{2}-\d{2}$/.test(demoDay)) return Date.parse(`${demoDay}T00:00:00Z`);
  return Date.now();
}

async function runOptimizeCommand(ctx: CommandContext, options: OptimizeOptions): Promise<void> {
  const format = resolveFormat(ctx.globals, FORMATS);
  const providers = parseClouds(options.provider);
  const regions = parseRegions(options.region, providers);
  const minSaving = parseNumber('--min-saving', options.minSaving, 0, 1e9);
  const { DEFAULT_THRESHOLDS } = await import('../src/rules/cost.js');
  const thresholds = {
    idleCpuPercent: parseNumber('--idle-cpu', options.idleCpu, 0, 100) ?? DEFAULT_THRESHOLDS.idleCpuPercent,
    idleNetworkBytesPerSecond:
      (parseNumber('--idle-network', options.idleNetwork, 0, 1e9) ?? DEFAULT_THRESHOLDS.idleNetworkBytesPerSecond / 1024) * 1024,
    rightsizeCpuPercent: parseNumber('--rightsize-cpu', options.rightsizeCpu, 0, 100) ?? DEFAULT_THRESHOLDS.rightsizeCpuPercent,
    stoppedDays: parsePositiveInt('--stopped-days', options.stoppedDays, 3650) ?? DEFAULT_THRESHOLDS.stoppedDays,
    snapshotAgeDays: parsePositiveInt('--snapshot-age', options.snapshotAge, 3650) ?? DEFAULT_THRESHOLDS.snapshotAgeDays,
  };
  const now = nowMs(ctx);
  const { resolveWindow } = await import('../src/metrics/window.js');
  // Hourly averages: 336 points a series over 14 days, the p95 taken over them.
  const window = resolveWindow({ since: options.since ?? '14d', period: '3600' }, now);
  const timeoutMs = parseDuration('--timeout', options.timeout);
  const { DEFAULT_CALL_TIMEOUT_MS, DEFAULT_CONCURRENCY } = await import('../src/discovery/run.js');
  const callTimeoutMs = parseDuration('--call-timeout', options.callTimeout) ?? DEFAULT_CALL_TIMEOUT_MS;
  const concurrency = parsePositiveInt('--concurrency', options.concurrency, 1024) ?? DEFAULT_CONCURRENCY;
  const scopeConcurrency = parsePositiveInt('--scope-concurrency', options.scopeConcurrency, 1024) ?? 10;

  const { loadCostCatalog } = await import('../src/rules/catalog.js');
  const { selectRules } = await import('../src/rules/engine.js');
  const catalog = await loadCostCatalog();
  const rules = selectRules(catalog, { rules: listValues(options.rules), skipRules: listValues(options.skipRules) }, 'optimize').filter(
    (rule) => !providers || providers.some((cloud) => rule.kinds.some((kind) => kind.startsWith(`${cloud}.`))),
  );
  const report = await import('../src/optimize/report.js');
  const { printDocument, renderView, tableOptions, printText, toJson } = await import('../src/render/output.js');
  if (options.listRules) {
    renderView(ctx.io, format, report.costRulesView(rules), () =>
      toJson('guardian.cost-rules', { rules: rules.map(({ recommend: _, ...rule }) => rule) }),
    );
    return;
  }

  const { runOptimize } = await import('../src/optimize/run.js');
  const outcome = await runOptimize(ctx, {
    rules,
    thresholds,
    input: options.input,
    providers,
    regions,
    window,
    now: new Date(now),
    signal: ctx.signal,
    timeoutMs,
    callTimeoutMs,
    concurrency,
    scopeConcurrency,
    onRetry: (cloud, error, attempt, delayMs) =>
      ctx.io.log.verbose(`${cloud} metrics call: ${error.code} (attempt ${attempt}); retrying in ${delayMs} ms`),
  });
  if (ctx.signal.aborted) throw new Interrupted('interrupted before every recommendation was made');

  const { atLeastSaving } = await import('../src/optimize/totals.js');
  const { failureLines, gapLines } = await import('../src/metrics/report.js');
  if (outcome.skippedRules.length > 0)
    ctx.io.log.warn(
      `offline (--input): skipped ${outcome.skippedRules.length} rule(s) that need metrics: ${outcome.skippedRules.map((r) => r.id).join(', ')}`,
    );
  for (const line of gapLines(outcome.metricGaps)) ctx.io.log.info(line);
  for (const line of failureLines(outcome.metricFailures)) ctx.io.log.warn(line);
  if (!outcome.inventoryComplete) ctx.io.log.warn(`the inventory (${outcome.source}) is incomplete: recommendations cover what was found`);
  if (outcome.undecided.length > 0) {
    const reasons = new Map<string, number>();
    for (const u of outcome.undecided) reasons.set(u.reason, (reasons.get(u.reason) ?? 0) + 1);
    for (const [reason, n] of [...reasons].slice(0, 5)) ctx.io.log.warn(`${n} resource(s) not judged: ${reason}`);
  }

  const list = atLeastSaving(outcome.recommendations, minSaving);
  switch (format) {
    case 'json':
      printDocument(ctx.io, report.toOptimizeJson(outcome, list, { thresholds, window: options.input ? undefined : window }));
      break;
    case 'csv':
      ctx.io.stdout.write(report.toOptimizeCsv(list, ctx.io.shape));
      break;
    case 'markdown':
      ctx.io.out(report.toOptimizeMarkdown(list, { source: outcome.source }));
      break;
    default:
      printText(ctx.io, report.toOptimizeTable(list, tableOptions(ctx.io)));
  }

  // Missing data, not a verdict: a failed listing or metric read leaves resources unjudged.
  const partial = !outcome.inventoryComplete || outcome.metricFailures.length > 0;
  if (partial && options.strict) {
    throw new PartialResult('some resources could not be judged: the inventory or their metrics are incomplete', {
      hint: 'see the warnings above',
    });
  }
}
