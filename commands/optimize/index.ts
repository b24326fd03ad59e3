// guardian optimize: what to stop paying for, how much it saves a month at list prices, why
// (metric statistics over a window, or the fact) and the exact command that does it; --apply
// acts on the safe ones (run.ts) and `optimize undo JOURNAL` reverses them (undo.ts).

import type { Command } from 'commander';
import { CLOUDS } from '../../src/model/resource.js';
import { type CommandDefinition, contextFor } from '../context.js';
import { suggest } from '../options.js';
import type { OptimizeOptions } from './run.js';

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
    .option(
      '--price-basis <basis>',
      'auto: what each AWS resource was billed where Cost Explorer has it, else list prices; list; billed (refuse without the data)',
    )
    .option('--strict', 'exit 4 when the inventory or a metric read is incomplete')
    .option('--apply [ids...]', 'act on the safe recommendations (all, or these ids), asking before each unless --yes')
    .option('--journal <file>', "--apply's journal (default: a new one in the config directory); an existing one is resumed")
    .addHelpText(
      'after',
      `
Savings are list prices from the bundled tables (730 hours a month), priceBasis "list"; an AWS
row whose resource Cost Explorer's resource-level data has a bill for uses what it was billed
over the last 14 days, × 730 / 336, priceBasis "billed" (--price-basis list to skip that read).
A price missing from the tables is shown as unpriced, never $0. A machine with several
recommendations (stop it, or resize it) is counted once in the total.
Output: --output table|json|csv|markdown (a pull-request comment); --json is documented in
docs/optimize.md.

Examples:
  guardian optimize --profile demo
  guardian optimize --min-saving 20 --output markdown > optimize.md
  guardian optimize --input snapshot.json --json
  guardian optimize --provider aws --since 30d --rightsize-cpu 30

Acting on them (the plan is printed without --apply; nothing changes):
  guardian optimize --apply opt-398345d1d7 --yes   # journal path on stderr
  guardian optimize --apply --yes --journal run.jsonl   # a rerun finishes what failed
  guardian optimize undo run.jsonl`,
    )
    .action(async (options: OptimizeOptions, command: Command) => {
      const { runOptimizeCommand } = await import('./run.js');
      await runOptimizeCommand(contextFor(command, runtime), options);
    });
  optimize
    .command('undo')
    .description(
      'reverse what an --apply journal shows done: start stopped machines, change volume types back, recreate deleted disks from their snapshots, allocate addresses',
    )
    .argument('<journal>', 'the journal --apply wrote (its path is printed on stderr)')
    .option('--call-timeout <duration>', 'give up on one cloud call after this long (default 30s)')
    .option('--timeout <duration>', 'start no reversal after this long, and cut the one in flight (e.g. 5m); run undo again to finish')
    .action(async (journal: string, options: { callTimeout?: string; timeout?: string }, command: Command) => {
      const { runOptimizeUndo } = await import('./undo.js');
      await runOptimizeUndo(contextFor(command, runtime), journal, options);
    });
  const option = (long: string) => optimize.options.find((o) => o.long === long)!;
  suggest(option('--provider'), CLOUDS);
  suggest(option('--price-basis'), ['auto', 'list', 'billed']);
};
