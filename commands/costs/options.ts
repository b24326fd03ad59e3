// `guardian costs`'s flags as they arrive, and the ones both modes (bills and --estimate) parse
// first, in this order, so a bad value is one line and exit 2 before any cloud is called.

import type { Budget } from '../../src/costs/report.js';
import { CheckFailed, PartialResult, UsageError } from '../../src/errors.js';
import type { CostMetric } from '../../src/model/cost.js';
import type { Cloud } from '../../src/model/resource.js';
import { type OutputFormat, resolveFormat } from '../../src/render/format.js';
import type { CommandContext } from '../context.js';
import { parseClouds, parsePositiveInt } from '../options.js';

export interface CostsOptions {
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

export interface ParsedCosts {
  format: OutputFormat;
  clouds?: Cloud[];
  top: number;
  budget?: Budget;
}

const FORMATS: OutputFormat[] = ['table', 'json', 'csv', 'markdown'];

export async function parseCostsOptions(ctx: CommandContext, options: CostsOptions): Promise<ParsedCosts> {
  const format = resolveFormat(ctx.globals, FORMATS);
  if (format === 'csv' && ctx.globals.sortBy !== undefined)
    throw new UsageError('--sort-by does not apply to the costs CSV, which mixes totals and groupings; sort with --json --query');
  const { parseBudget } = await import('../../src/costs/run.js');
  const clouds = parseClouds(options.provider);
  const top = parsePositiveInt('--top', options.top, 1000) ?? 10;
  const budget = options.budget !== undefined ? parseBudget(options.budget) : undefined;
  return { format, clouds, top, budget };
}

/** The exit code a verdict calls for (its warnings are already on stderr). */
export function endWith(verdict: { outcome: string; message?: string }, partialHint?: string): void {
  if (verdict.outcome === 'check-failed') throw new CheckFailed(verdict.message ?? 'the budget check failed');
  if (verdict.outcome === 'partial') throw new PartialResult(verdict.message ?? 'the figures are incomplete', { hint: partialHint });
}
