// `guardian predict risk`: machines ranked by the chance of trouble within --horizon, each with
// its evidence: scheduled maintenance, capacity exhaustion, sustained saturation, recent anomalies.

import type { Command } from 'commander';
import { pinnedDemoDay } from '../../src/config/profile.js';
import { Interrupted, PartialResult, UsageError } from '../../src/errors.js';
import { type OutputFormat, resolveFormat } from '../../src/render/format.js';
import { type CommandContext, contextFor, type VerbDefinition } from '../context.js';
import { listValues, parseClouds, parseDuration, parseRegions } from '../options.js';

interface RiskOptions {
  input?: string;
  provider?: string[];
  region?: string[];
  signals?: string[];
  since?: string;
  start?: string;
  end?: string;
  horizon: string;
  threshold: string;
  saturation: string;
  all?: boolean;
  timeout?: string;
  callTimeout?: string;
  strict?: boolean;
}

const FORMATS: OutputFormat[] = ['table', 'json', 'csv', 'markdown'];
const SIGNALS = ['maintenance', 'capacity', 'saturation', 'anomaly'] as const;
const SPAN_UNITS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };

export const definePredictRisk: VerbDefinition = (predict, runtime) => {
  predict
    .command('risk')
    .description('machines ranked by the chance of trouble within --horizon, each with its evidence')
    .option('--input <file>', 'the machines of a saved snapshot (its scheduled events included) instead of a live discovery')
    .option('--provider <clouds...>', 'only these clouds (aws, azure, gcp)')
    .option('--region <regions...>', 'only these regions / locations / zones')
    .option('--signals <signals...>', `only these signals: ${SIGNALS.join(', ')} (default all; maintenance alone reads no metrics)`)
    .option('--since <span>', 'metrics history up to --end: 12h, 14d, 2w (default 14d)')
    .option('--start <time>', 'history start: a date (2026-11-01) or UTC time')
    .option('--end <time>', 'history end (a date is included whole; default now)')
    .option('--horizon <span>', 'how far ahead trouble counts (e.g. 7d, 30d)', '14d')
    .option('--threshold <percent>', 'the fill level that counts as exhausted', '90')
    .option('--saturation <percent>', 'the hourly CPU that counts as saturated', '90')
    .option('--all', 'list machines without any signal too (--json always does)')
    .option('--timeout <duration>', 'stop after this long (e.g. 2m)')
    .option('--call-timeout <duration>', 'give up on one cloud call after this long (default 30s; retried)')
    .option('--strict', 'exit 4 when any signal could not be read')
    .addHelpText(
      'after',
      `
Each signal is a chance of trouble within the horizon (docs/predict-risk.md): a scheduled EC2
event (retirement or stop 0.95, reboot 0.8, system maintenance 0.6), a disk or storage crossing
--threshold (0.9 when its interval is inside the horizon, 0.95 when already crossed), CPU
saturated in a fifth or more of the hours (0.2 to 0.8), recent anomalies (up to 0.6). A machine's
score is the chance that at least one happens: 1 - (1 - p1)(1 - p2)...

Examples:
  guardian predict risk --profile demo --horizon 7d
  guardian predict risk --input snapshot.json --signals maintenance --json`,
    )
    .action(async (options: RiskOptions, command: Command) => {
      await runRiskCommand(contextFor(command, runtime), options);
    });
};

function parseSpan(flag: string, value: string): number {
  const match = /^(\d+(?:\.\d+)?)(m|h|d|w)$/.exec(value.trim());
  if (!match || Number(match[1]) <= 0) throw new UsageError(`${flag} takes a span such as 12h, 14d or 4w, not '${value}'`);
  return Math.round(Number(match[1]) * SPAN_UNITS[match[2]]);
}

function parsePercent(flag: string, value: string): number {
  const n = Number(value.trim().replace(/%$/, ''));
  if (!Number.isFinite(n) || n <= 0 || n > 100) throw new UsageError(`${flag} is a percentage above 0 and at most 100, not '${value}'`);
  return n;
}

function parseSignals(values: string[] | undefined): (typeof SIGNALS)[number][] {
  const list = listValues(values);
  if (!list) return [...SIGNALS];
  for (const name of list)
    if (!(SIGNALS as readonly string[]).includes(name))
      throw new UsageError(`--signals: unknown signal '${name}' (choose ${SIGNALS.join(', ')})`);
  return list as (typeof SIGNALS)[number][];
}

async function runRiskCommand(ctx: CommandContext, options: RiskOptions): Promise<void> {
  const format = resolveFormat(ctx.globals, FORMATS);
  const horizonMs = parseSpan('--horizon', options.horizon);
  const threshold = parsePercent('--threshold', options.threshold);
  const saturation = parsePercent('--saturation', options.saturation);
  const signals = parseSignals(options.signals);
  const timeoutMs = parseDuration('--timeout', options.timeout);
  const callTimeoutMs = parseDuration('--call-timeout', options.callTimeout);
  const providers = parseClouds(options.provider);
  const regions = parseRegions(options.region, providers);
  const demoDay = pinnedDemoDay(ctx.profile, ctx.env);
  // The demo cloud's metrics end at the start of its pinned day.
  const now = demoDay ? Date.parse(`${demoDay}T00:00:00Z`) : ctx.now().getTime();
  const { resolveWindow } = await import('../../src/metrics/window.js');
  const window = resolveWindow({ since: options.since, from: options.start, to: options.end, period: '3600' }, now, '14d');
  const { runRisk } = await import('../../src/predict/risk/run.js');
  const detector = signals.includes('anomaly') ? await loadDetector() : undefined;
  const request = {
    input: options.input,
    providers,
    regions,
    signals,
    now,
    horizonMs,
    start: Date.parse(window.start),
    end: Date.parse(window.end),
    stepSeconds: 3600,
    threshold,
    saturation,
    timeoutMs,
    callTimeoutMs,
    detector,
  };
  const result = await runRisk(ctx, request);
  if (ctx.signal.aborted) throw new Interrupted('interrupted before every signal was read');
  for (const note of result.notes) ctx.io.log.info(note);
  for (const { kind, reason } of result.skipped) ctx.io.log.warn(`${kind} signal not looked at: ${reason}`);
  const { riskTable, riskJson } = await import('../../src/predict/risk/report.js');
  const { renderView, toJson } = await import('../../src/render/output.js');
  renderView(ctx.io, format, riskTable(result, options.all === true), () => toJson('guardian.predict.risk', riskJson(result, request)));
  if (format === 'table') {
    const atRisk = result.risks.filter((r) => r.score > 0).length;
    ctx.io.log.info(`${atRisk} of ${result.risks.length} machines have a risk signal within ${options.horizon} (${result.source})`);
  }
  if (options.strict && (!result.complete || result.skipped.length > 0))
    throw new PartialResult('some risk signals could not be read', { hint: 'see the lines above, or the "notes" field of --json' });
}

/** The streaming detector of `predict anomalies`, over each machine's hourly CPU. */
async function loadDetector(): Promise<import('../../src/predict/risk/run.js').AnomalyDetector> {
  const { detectAnomalies } = await import('../../src/predict/anomaly/index.js');
  return (series) => detectAnomalies(series);
}
