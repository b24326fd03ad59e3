// `guardian costs`: spend from the billing APIs (src/costs/live.ts) over the period the flags
// choose, printed, and judged by src/costs/verdict.ts (budget, missing clouds, --strict).

import { pinnedDemoDay } from '../../src/config/profile.js';
import { Interrupted, UsageError } from '../../src/errors.js';
import type { CommandContext } from '../context.js';
import { parseDuration } from '../options.js';
import { type CostsOptions, endWith, type ParsedCosts } from './options.js';

export async function runSpend(ctx: CommandContext, { format, clouds, top, budget }: ParsedCosts, options: CostsOptions): Promise<void> {
  if (options.input) throw new UsageError('--input is for --estimate (spend comes from the billing APIs, not from a snapshot)');
  const { parseDimension } = await import('../../src/costs/run.js');
  const groupBy = options.groupBy !== undefined ? parseDimension(options.groupBy) : undefined;
  const { resolvePeriods } = await import('../../src/costs/period.js');
  // The last day with billing data: today (UTC), or the demo cloud's pinned day.
  const day = pinnedDemoDay(ctx.profile, ctx.env) ?? ctx.now().toISOString().slice(0, 10);
  const { current, previous } = resolvePeriods(options, day);

  const { readLiveCosts } = await import('../../src/costs/live.js');
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
  const { printCostReport, readStatsLines } = await import('../../src/costs/print.js');
  for (const line of readStatsLines(outcome.stats)) ctx.io.log.verbose(line);
  const { judgeCosts } = await import('../../src/costs/verdict.js');
  const verdict = judgeCosts(outcome.report, { strict: options.strict === true });
  for (const warning of verdict.warnings) ctx.io.log.warn(warning);
  printCostReport(ctx.io, format, outcome);
  endWith(verdict, 'the warnings above name what is missing; the "missing" field of --json too');
}
