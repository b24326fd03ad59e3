// `guardian costs --estimate`: the estate priced at list prices (src/costs/estimate.ts), printed,
// and judged against a USD budget.

import { UsageError } from '../../src/errors.js';
import type { CommandContext } from '../context.js';
import { parseDuration } from '../options.js';
import { type CostsOptions, endWith, type ParsedCosts } from './options.js';

export async function runEstimate(ctx: CommandContext, { format, clouds, top, budget }: ParsedCosts, options: CostsOptions): Promise<void> {
  for (const flag of ['from', 'to', 'last', 'month', 'groupBy', 'granularity'] as const) {
    if (options[flag] !== undefined)
      throw new UsageError(
        `--estimate prices what exists now; it cannot be combined with --${flag.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`,
      );
  }
  if (budget && budget.currency !== 'USD')
    throw new UsageError(`--budget with --estimate is in USD (list prices are in USD), not ${budget.currency}`);
  const { estimateCosts, judgeEstimate } = await import('../../src/costs/estimate.js');
  const estimated = await estimateCosts(ctx, {
    input: options.input,
    providers: clouds,
    timeoutMs: parseDuration('--timeout', options.timeout),
    callTimeoutMs: parseDuration('--call-timeout', options.callTimeout),
  });
  const { printEstimate } = await import('../../src/costs/print.js');
  printEstimate(ctx.io, format, estimated, top);
  const verdict = judgeEstimate(estimated, { budget, strict: options.strict === true });
  for (const warning of verdict.warnings) ctx.io.log.warn(warning);
  endWith(verdict);
}
