// `guardian watch`: the live terminal dashboard (src/watch). Declares and validates the flags,
// refuses to start off a terminal (the data is in the --json commands), and hands over to
// src/watch/run.ts, which loads Ink only here.

import type { Command } from 'commander';
import { UsageError } from '../src/errors.js';
import { type CommandDefinition, contextFor } from './context.js';
import { parseClouds, parseDuration, parsePositiveInt } from './options.js';

interface WatchOptions {
  interval?: string;
  input?: string;
  provider?: string[];
  budget?: string;
  concurrency?: string;
  timeout?: string;
  callTimeout?: string;
}

const DEFAULT_INTERVAL_MS = 60_000;
const MIN_INTERVAL_MS = 5_000;
const DEFAULT_REFRESH_TIMEOUT_MS = 5 * 60_000;
const JSON_COMMANDS = 'guardian discover --json, costs --json, scan --json or optimize --json';

export const defineWatch: CommandDefinition = (program, runtime) => {
  program
    .command('watch')
    .description('a live terminal dashboard of the estate: resources, spend, findings, savings, anomalies')
    .option('--interval <duration>', 'time between refreshes (default 60s, at least 5s)')
    .option('--input <file>', 'show a saved snapshot instead of the clouds (never refreshed)')
    .option('--provider <clouds...>', 'only these clouds (aws, azure, gcp)')
    .option('--budget <amount>', 'a monthly budget to draw against the projection (e.g. 5000 or 4500EUR)')
    .option('--concurrency <n>', 'calls in flight at once over all clouds (default 128)')
    .option('--timeout <duration>', 'stop one refresh after this long and show what it found, marked incomplete (default 5m)')
    .option('--call-timeout <duration>', 'give up on one call after this long (default 30s)')
    .addHelpText(
      'after',
      `
Keys: Tab or 1-6 switch views, ↑/↓ PgUp/PgDn Home/End move, / filter, Esc clear, Enter detail,
r refresh now, ? help, q quit. Needs a terminal; the same data as JSON:
${JSON_COMMANDS}.

Examples:
  guardian watch --profile demo
  guardian watch --interval 5m --budget 5000
  guardian watch --input ~/.local/share/guardian/snapshots/default/20261201T120000Z.json`,
    )
    .action(async (options: WatchOptions, command: Command) => {
      const ctx = contextFor(command, runtime);
      if (ctx.globals.json || (ctx.globals.output !== undefined && ctx.globals.output !== 'table'))
        throw new UsageError(`watch draws a dashboard, not a document: for data use ${JSON_COMMANDS}`);
      if (!ctx.io.stdoutIsTTY || ctx.io.stdin.isTTY !== true)
        throw new UsageError(`watch needs a terminal (stdin and stdout); for data use ${JSON_COMMANDS}`);
      const intervalMs = parseDuration('--interval', options.interval) ?? DEFAULT_INTERVAL_MS;
      if (intervalMs < MIN_INTERVAL_MS) throw new UsageError(`--interval must be at least ${MIN_INTERVAL_MS / 1000}s`);
      if (options.input && (options.interval || options.budget))
        throw new UsageError(`--input shows a snapshot once: --${options.interval ? 'interval' : 'budget'} needs the live clouds`);
      const request = {
        intervalMs,
        input: options.input,
        providers: parseClouds(options.provider),
        budget: options.budget !== undefined ? (await import('../src/costs/run.js')).parseBudget(options.budget) : undefined,
        concurrency: parsePositiveInt('--concurrency', options.concurrency, 1000),
        timeoutMs: parseDuration('--timeout', options.timeout) ?? DEFAULT_REFRESH_TIMEOUT_MS,
        callTimeoutMs: parseDuration('--call-timeout', options.callTimeout),
      };
      // React picks its build when it is first loaded: without NODE_ENV it is the development one,
      // several times slower per render (bench/watch measured renders of seconds under load).
      process.env.NODE_ENV ??= 'production';
      const { runWatch } = await import('../src/watch/run.js');
      await runWatch(ctx, request);
    });
};
