// `guardian costs --estimate`: the discovered estate (or a saved snapshot) priced at public list
// prices, and what that means for the budget and the exit code. A run-rate over the budget fails
// whatever was missed (exit 1); an incomplete inventory is a warning, or exit 4 under --strict.

import type { RunContext } from '../discovery/run.js';
import type { Cloud } from '../model/resource.js';
import type { EstateEstimate } from '../pricing/estimate.js';
import { money } from './render.js';
import type { Budget } from './report.js';

export interface EstimateRequest {
  /** A saved snapshot; undefined: a live discovery. */
  input?: string;
  providers?: Cloud[];
  timeoutMs?: number;
  callTimeoutMs?: number;
}

export interface EstimateOutcome {
  estimate: EstateEstimate;
  /** Where the resources came from. */
  source: string;
  complete: boolean;
}

export async function estimateCosts(ctx: RunContext, request: EstimateRequest): Promise<EstimateOutcome> {
  const { loadInventory } = await import('../discovery/load.js');
  const inventory = await loadInventory(ctx, {
    input: request.input,
    providers: request.providers,
    timeoutMs: request.timeoutMs,
    callTimeoutMs: request.callTimeoutMs,
  });
  const { estimateEstate } = await import('../pricing/estimate.js');
  return { estimate: estimateEstate(inventory.resources), source: inventory.source, complete: inventory.complete };
}

export interface EstimateVerdict {
  warnings: string[];
  outcome: 'ok' | 'check-failed' | 'partial';
  message?: string;
}

/** The budget is in USD, as list prices are (the command refuses any other currency). */
export function judgeEstimate(
  { estimate, complete }: Pick<EstimateOutcome, 'estimate' | 'complete'>,
  options: { budget?: Budget; strict: boolean },
): EstimateVerdict {
  const { budget } = options;
  const exceeded = budget !== undefined && estimate.monthly > budget.amount;
  const warnings: string[] = [];
  if (!complete) {
    const message = 'the inventory is incomplete (some listings failed); the estimate covers what was found';
    if (options.strict && !exceeded) return { warnings, outcome: 'partial', message };
    warnings.push(message);
  }
  if (exceeded) {
    return {
      warnings,
      outcome: 'check-failed',
      message: `budget exceeded: the estate's estimated monthly run-rate ${money(estimate.monthly, 'USD')} is over the budget of ${money(budget.amount, 'USD')}`,
    };
  }
  return { warnings, outcome: 'ok' };
}
