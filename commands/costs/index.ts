// guardian costs: what the profile's clouds spent over a period (Cost Explorer, Cost Management,
// the BigQuery billing export), against the period before, with a budget guard for CI; or, with
// --estimate, the monthly run-rate of the discovered estate at public list prices. This file
// declares the flags; options.ts parses them, spend.ts reads the bills and estimate.ts prices.

import { type Command, Option } from 'commander';
import { type CommandDefinition, contextFor } from '../context.js';
import { runEstimate } from './estimate.js';
import { type CostsOptions, parseCostsOptions } from './options.js';
import { runSpend } from './spend.js';

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
The month-end projection is the month to date plus a forecast of the days left, made as
'guardian predict costs' makes it (the model a backtest chooses, with 80%/95% intervals), when
there are at least 8 weeks of history; with less, a daily run-rate (the last 14 days, spikes
capped) plus the monthly one-off charges the last three months show that are still to come.
The basis is printed with it.

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
      const ctx = contextFor(command, runtime);
      const parsed = await parseCostsOptions(ctx, options);
      await (options.estimate ? runEstimate(ctx, parsed, options) : runSpend(ctx, parsed, options));
    });
};
