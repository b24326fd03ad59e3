// guardian costs: what the profile's clouds spent over a period (Cost Explorer, Cost Management,
// the BigQuery billing export), against the period before, with a budget guard for CI; or, with
// --estimate, the monthly run-rate of the discovered estate at public list prices.

import { type Command, Option } from 'commander';
import { CheckFailed, Interrupted, PartialResult, UsageError } from '../src/errors.js';
import type { CostMetric } from '../src/model/cost.js';
import type { Cloud } from '../src/model/resource.js';
import { type OutputFormat, resolveFormat } from '../src/render/format.js';
import { type CommandContext, type CommandDefinition, contextFor } from './context.js';
import { parseClouds, parseDuration, parsePositiveInt } from './options.js';

interface CostsOptions {
  from?: string;
  to?: string;
  last?: string;
  month?: string;
  groupBy?: string;
  granularity?: 'daily' | 'monthly';
  metric: CostMetric;
  provider?: string[];
  budget?: string;
  top?: string;
  estimate?: boolean;
  input?: string;
  cache: boolean;
  timeout?: string;
  callTimeout?: string;
  strict?: boolean;
}

const FORMATS: OutputFormat[] = ['table', 'json', 'csv', 'markdown'];
/** Cost Explorer's price per request (https://aws.amazon.com/aws-cost-management/pricing/). */
const COST_EXPLORER_REQUEST_USD = 0.01;

export const defineCosts: CommandDefinition = (program, runtime) => {
  program
    .command('costs')
    .description('show spend by service, region and account from the billing APIs, with a budget check; or --estimate the run-rate')
    .option('--from <date>', 'first day of the period (YYYY-MM-DD)')
    .option('--to <date>', 'last day of the period, included (YYYY-MM-DD; default today)')
    .option('--last <span>', 'the last N days/weeks/months/years up to today (30d, 12w, 3m, 1y)')
    .option('--month <month>', 'one calendar month (YYYY-MM)')
    .option('--group-by <key>', 'put this grouping first: service, region, account or tag:KEY')
    .addOption(
      new Option('--granularity <unit>', 'spend per day or per month (default: daily up to 100 days)').choices(['daily', 'monthly']),
    )
    .addOption(
      new Option('--metric <metric>', 'unblended (as billed) or amortized (reservations spread over their term)')
        .choices(['unblended', 'amortized'])
        .default('unblended'),
    )
    .option('--provider <clouds...>', 'only these clouds (aws, azure, gcp)')
    .option(
      '--budget <amount>',
      'exit 1 when month-to-date or projected month-end spend exceeds it (e.g. 5000 or 4500EUR; default currency USD)',
    )
    .option('--top <n>', 'rows per grouping (default 10)')
    .option('--estimate', 'price the discovered estate at public on-demand list prices instead of reading bills')
    .option('--input <file>', 'with --estimate: price a saved snapshot instead of discovering')
    .option('--no-cache', 'ask Cost Explorer again even when a cached answer is fresh (each request costs $0.01)')
    .option('--timeout <duration>', 'stop after this long and report the clouds that answered (e.g. 2m)')
    .option('--call-timeout <duration>', 'give up on one billing query after this long (default 30s; retried like discovery)')
    .option('--strict', "exit 4 when any cloud's figures are missing (failed, timed out or reported no spend)")
    .addHelpText(
      'after',
      `
The default period is the month to date, compared with the same days of the month before.
Amounts in different currencies are reported separately, never added together.
The month-end projection is the month to date plus a daily run-rate (the last 14 days, spikes
capped) for the days left, plus the monthly one-off charges the last three months show that are
still to come; the basis is printed with it.

Exit codes: 0 ok; 1 the budget is exceeded (month to date or projection, even on partial
figures); 4 the budget could not be judged (no spend in its currency), or with --strict any
cloud's figures are missing; 3 no cloud could be read; 130 interrupted.

Examples:
  guardian costs --profile demo
  guardian costs --last 30d --group-by tag:team
  guardian costs --month 2026-10 --json > october.json
  guardian costs --budget 25000          # exit 1 if month-to-date or projected spend is over
  guardian costs --budget 25000 --strict --timeout 2m   # CI: exit 4 if a cloud is missing
  guardian costs --estimate --input snapshot.json`,
    )
    .action(async (options: CostsOptions, command: Command) => {
      await runCosts(contextFor(command, runtime), options);
    });
};

/** The last day with billing data: today (UTC), or the demo cloud's pinned day. */
function today(ctx: CommandContext): string {
  const demoDay = ctx.env.GUARDIAN_DEMO_NOW?.trim();
  if (ctx.profile === 'demo' && demoDay && /^\d{4}-\d{2}-\d{2}$/.test(demoDay)) return demoDay;
  return new Date().toISOString().slice(0, 10);
}

export async function runCosts(ctx: CommandContext, options: CostsOptions): Promise<void> {
  const format = resolveFormat(ctx.globals, FORMATS);
  if (format === 'csv' && ctx.globals.sortBy !== undefined)
    throw new UsageError('--sort-by does not apply to the costs CSV, which mixes totals and groupings; sort with --json --query');
  const { parseBudget, parseDimension } = await import('../src/costs/run.js');
  const clouds = parseClouds(options.provider);
  const top = parsePositiveInt('--top', options.top, 1000) ?? 10;
  const budget = options.budget !== undefined ? parseBudget(options.budget) : undefined;
  if (options.estimate) {
    for (const flag of ['from', 'to', 'last', 'month', 'groupBy', 'granularity'] as const) {
      if (options[flag] !== undefined)
        throw new UsageError(
          `--estimate prices what exists now; it cannot be combined with --${flag.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`,
        );
    }
    await runEstimate(ctx, options, format, clouds, top, budget);
    return;
  }
  if (options.input) throw new UsageError('--input is for --estimate (spend comes from the billing APIs, not from a snapshot)');
  const groupBy = options.groupBy !== undefined ? parseDimension(options.groupBy) : undefined;
  const { resolvePeriods } = await import('../src/costs/period.js');
  const day = today(ctx);
  const { current, previous } = resolvePeriods(options, day);

  const { readLiveCosts } = await import('../src/costs/live.js');
  const outcome = await readLiveCosts(ctx, {
    clouds,
    current,
    previous,
    today: day,
    metric: options.metric,
    granularity: options.granularity,
    groupBy,
    top,
    budget,
    cache: options.cache,
    timeoutMs: parseDuration('--timeout', options.timeout),
    callTimeoutMs: parseDuration('--call-timeout', options.callTimeout),
    onStart: (read) =>
      ctx.io.log.verbose(
        `reading spend for ${current.start} to ${current.end} (exclusive) and ${previous.start} to ${previous.end} from ${read.join(', ')}`,
      ),
    onRetry: (cloud, error, attempt, delayMs) =>
      ctx.io.log.verbose(`${cloud} billing query: ${error.code} (attempt ${attempt}); retrying in ${delayMs} ms`),
  });
  if (ctx.signal.aborted) throw new Interrupted('interrupted before every cloud had answered');
  const { report, failures, stats } = outcome;
  const aws = stats.aws;
  if (aws) {
    ctx.io.log.verbose(
      `Cost Explorer: ${aws.paidRequests} paid request(s) ($${(aws.paidRequests * COST_EXPLORER_REQUEST_USD).toFixed(2)}), ${aws.cachedRequests} answered from the cache`,
    );
  }
  for (const cloud of ['azure', 'gcp'] as const)
    if (stats[cloud]) ctx.io.log.verbose(`${cloud}: ${stats[cloud]?.requests} billing request(s)`);
  const { judgeCosts } = await import('../src/costs/verdict.js');
  const verdict = judgeCosts(report, { strict: options.strict === true });
  for (const warning of verdict.warnings) ctx.io.log.warn(warning);

  const render = await import('../src/costs/render.js');
  const { printDocument, printText, tableOptions } = await import('../src/render/output.js');
  if (format === 'json')
    printDocument(
      ctx.io,
      render.costReportJson(report, failures, stats as Record<string, { requests: number; paidRequests: number; cachedRequests: number }>),
    );
  else if (format === 'csv') ctx.io.stdout.write(costsCsv(ctx, render.costReportCsv(report)));
  else if (format === 'markdown') ctx.io.out(render.costReportMarkdown(report));
  else printText(ctx.io, render.costReportTable(report, tableOptions(ctx.io)));

  if (verdict.outcome === 'check-failed') throw new CheckFailed(verdict.message ?? 'the budget check failed');
  if (verdict.outcome === 'partial')
    throw new PartialResult(verdict.message ?? 'the figures are incomplete', {
      hint: 'the warnings above name what is missing; the "missing" field of --json too',
    });
}

/**
 * The costs CSVs are written record by record rather than from one table view: --no-headers drops
 * the header record, and --sort-by (which would order totals and groupings together) is refused.
 */
function costsCsv(ctx: CommandContext, csv: string): string {
  return ctx.io.shape.headers ? csv : csv.slice(csv.indexOf('\r\n') + 2);
}

async function runEstimate(
  ctx: CommandContext,
  options: CostsOptions,
  format: OutputFormat,
  clouds: Cloud[] | undefined,
  top: number,
  budget: { amount: number; currency: string } | undefined,
): Promise<void> {
  if (budget && budget.currency !== 'USD')
    throw new UsageError(`--budget with --estimate is in USD (list prices are in USD), not ${budget.currency}`);
  const { loadInventory } = await import('../src/discovery/load.js');
  const inventory = await loadInventory(ctx, {
    input: options.input,
    providers: clouds,
    timeoutMs: parseDuration('--timeout', options.timeout),
    callTimeoutMs: parseDuration('--call-timeout', options.callTimeout),
  });
  const { estimateEstate } = await import('../src/pricing/estimate.js');
  const estimate = estimateEstate(inventory.resources);
  const render = await import('../src/costs/render.js');
  const { printDocument, printText, tableOptions } = await import('../src/render/output.js');
  if (format === 'json') printDocument(ctx.io, render.estimateJson(estimate, inventory.source, inventory.complete));
  else if (format === 'csv') ctx.io.stdout.write(costsCsv(ctx, render.estimateCsv(estimate)));
  else if (format === 'markdown') ctx.io.out(render.estimateMarkdown(estimate));
  else printText(ctx.io, render.estimateTable(estimate, { ...tableOptions(ctx.io), top }));
  if (estimate.unpriced.length > 0)
    ctx.io.log.info(
      `${estimate.unpriced.length} resource(s) could not be priced; they are listed${format === 'table' ? ' above' : ' in the output'}`,
    );
  if (!inventory.complete) {
    const message = 'the inventory is incomplete (some listings failed); the estimate covers what was found';
    if (options.strict && !(budget && estimate.monthly > budget.amount)) throw new PartialResult(message);
    ctx.io.log.warn(message);
  }
  if (budget && estimate.monthly > budget.amount) {
    throw new CheckFailed(
      `budget exceeded: the estate's estimated monthly run-rate ${render.money(estimate.monthly, 'USD')} is over the budget of ${render.money(budget.amount, 'USD')}`,
    );
  }
}
