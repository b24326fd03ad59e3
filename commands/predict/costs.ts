// `guardian predict costs`: daily spend forecast to month end (or --horizon) with 80% and 95%
// intervals, overall and per top service and account, each series' model chosen by a
// rolling-origin backtest (src/predict/forecast). This file declares and parses the flags.

import type { Command } from 'commander';
import { pinnedDemoDay } from '../../src/config/profile.js';
import { Interrupted, PartialResult, UsageError } from '../../src/errors.js';
import type { Horizon } from '../../src/predict/forecast/backtest.js';
import { resolveFormat } from '../../src/render/format.js';
import { type CommandContext, contextFor, type VerbDefinition } from '../context.js';
import { parseClouds, parseDuration, parsePositiveInt } from '../options.js';

interface PredictCostsOptions {
  horizon?: string;
  history?: string;
  top?: string;
  provider?: string[];
  input?: string;
  cache: boolean;
  timeout?: string;
  callTimeout?: string;
  strict?: boolean;
}

/** A span of days: 90d, 12w. */
function parseDays(flag: string, value: string, min: number, max: number): number {
  const match = /^(\d+)\s*([dw])$/i.exec(value.trim());
  const days = match ? Number(match[1]) * (match[2].toLowerCase() === 'w' ? 7 : 1) : Number.NaN;
  if (!match) throw new UsageError(`${flag} '${value}' is not a number of days or weeks (e.g. 90d, 12w)`);
  if (days < min || days > max) throw new UsageError(`${flag} must be between ${min} and ${max} days, not ${value}`);
  return days;
}

/** `--horizon 90d|12w|month-end` (default month end). */
export function parseHorizon(value: string | undefined): Horizon {
  if (value === undefined || /^(month-end|eom)$/i.test(value.trim())) return { kind: 'month-end' };
  return { kind: 'days', days: parseDays('--horizon', value, 1, 366) };
}

export const definePredictCosts: VerbDefinition = (predict, runtime) => {
  predict
    .command('costs')
    .description('forecast daily spend to month end (or --horizon) with 80%/95% intervals, overall and per top service and account')
    .option('--horizon <span>', 'how far to forecast: month-end (default), or days/weeks such as 90d or 12w')
    .option('--history <span>', 'days of billing history to read and backtest on (default 180d)')
    .option('--top <n>', 'services and accounts forecast per currency (default 5)')
    .option('--provider <clouds...>', 'only these clouds (aws, azure, gcp)')
    .option('--input <file>', "forecast a saved 'guardian costs --json' (daily) or a CSV date,amount[,currency] instead")
    .option('--no-cache', 'ask Cost Explorer again even when a cached answer is fresh (each request costs $0.01)')
    .option('--timeout <duration>', 'stop after this long and forecast from the clouds that answered (e.g. 2m)')
    .option('--call-timeout <duration>', 'give up on one billing query after this long (default 30s; retried like discovery)')
    .option('--strict', "exit 4 when any cloud's figures are missing (failed, timed out or reported no spend)")
    .addHelpText(
      'after',
      `
Each series is backtested on its own history: at every day after its first four weeks,
seasonal-naive (the same weekday last week), a linear run-rate (the last four weeks) and
Holt-Winters (damped trend, weekly season) forecast the days after it, and the model with the
lowest mean month-end (or horizon) total error is used. The 80% and 95% intervals are that
backtest's error quantiles. Monthly charges (a fee on the 1st) are found and added on their day.
A series needs 8 weeks of history; shorter ones, gaps and flat lines are said in the notes.

Exit codes: 0 ok; 2 bad flag or input file; 3 no cloud could be read; 4 with --strict, a cloud's
figures are missing; 130 interrupted.

Examples:
  guardian predict costs --profile demo
  guardian predict costs --horizon 90d --top 3 --json
  guardian costs --last 180d --json > spend.json && guardian predict costs --input spend.json
  guardian predict costs --input spend.csv         # CSV: date,amount[,currency]`,
    )
    .action(async (options: PredictCostsOptions, command: Command) => runPredictCosts(contextFor(command, runtime), options));
};

async function runPredictCosts(ctx: CommandContext, options: PredictCostsOptions): Promise<void> {
  const format = resolveFormat(ctx.globals, ['table', 'json']);
  const horizon = parseHorizon(options.horizon);
  const historyDays = options.history === undefined ? 180 : parseDays('--history', options.history, 14, 800);
  const top = parsePositiveInt('--top', options.top, 100) ?? 5;
  const clouds = parseClouds(options.provider);
  const timeoutMs = parseDuration('--timeout', options.timeout);
  const callTimeoutMs = parseDuration('--call-timeout', options.callTimeout);
  if (options.input && clouds) throw new UsageError('--provider reads the billing APIs; it cannot be combined with --input');
  const today = pinnedDemoDay(ctx.profile, ctx.env) ?? ctx.now().toISOString().slice(0, 10);

  const { predictCosts } = await import('../../src/predict/costs/run.js');
  const outcome = await predictCosts(ctx, {
    horizon,
    historyDays,
    top,
    input: options.input,
    today,
    clouds,
    timeoutMs,
    callTimeoutMs,
    cache: options.cache,
    onStart: (read) => ctx.io.log.verbose(`reading ${historyDays} days of daily spend up to ${today} from ${read.join(', ')}`),
  });
  if (ctx.signal.aborted) throw new Interrupted('interrupted before every cloud had answered');
  for (const note of outcome.notes) ctx.io.log.warn(note);
  let verdict: { outcome: string; message?: string; warnings: string[] } = { outcome: 'ok', warnings: [] };
  if (outcome.costs) {
    const { judgeCosts } = await import('../../src/costs/verdict.js');
    verdict = judgeCosts(outcome.costs.report, { strict: options.strict === true });
  }
  for (const warning of verdict.warnings) ctx.io.log.warn(warning);
  const render = await import('../../src/predict/costs/render.js');
  const { printDocument, printText, tableOptions } = await import('../../src/render/output.js');
  if (format === 'json') printDocument(ctx.io, render.predictCostsJson(outcome));
  else
    printText(ctx.io, render.predictCostsTable(outcome, { ...tableOptions(ctx.io), chartWidth: Math.min(ctx.io.shape.width ?? 100, 120) }));
  if (verdict.outcome === 'partial')
    throw new PartialResult(verdict.message ?? 'the figures are incomplete', { hint: 'the warnings above name what is missing' });
}
