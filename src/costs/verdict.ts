// What a cost report means for the exit code, and what must be said on stderr first. Spend only
// adds up, so a budget exceeded on partial figures is exceeded (exit 1). Within budget on partial
// figures is not a pass: it is said, naming the clouds left out, and is exit 4 under --strict.
// No spend at all in the budget's currency is never "within budget": the budget is not judged
// (exit 4). Without a budget, --strict makes any missing cloud exit 4.

import { money } from './render.js';
import type { CostReport } from './report.js';

export type CostsOutcomeKind = 'ok' | 'check-failed' | 'partial';

export interface CostsVerdict {
  /** Lines for stderr, in order, before the outcome's own line. */
  warnings: string[];
  outcome: CostsOutcomeKind;
  /** The one line the outcome ends with (exit 1 or 4); absent when ok. */
  message?: string;
}

type Missing = CostReport['missing'][number];

const named = (missing: Missing[]) => missing.map((m) => m.cloud).join(', ');

function missingLine(missing: Missing, what: string): string {
  return missing.reason === 'no-data'
    ? `${missing.cloud} ${missing.message}: it is left out of ${what} (no data is not zero spend)`
    : `${missing.cloud} spend not included in ${what}: ${missing.message}`;
}

export function judgeCosts(report: CostReport, options: { strict: boolean }): CostsVerdict {
  const warnings: string[] = [];
  for (const missing of report.missing) warnings.push(missingLine(missing, 'the figures'));
  for (const missing of report.noComparison)
    warnings.push(`${missing.cloud} has no figures for the previous period (counted as 0): ${missing.message}`);
  const budget = report.budget;
  if (budget) {
    // The month's figures can miss a cloud the period has (or the other way round).
    for (const missing of budget.missing)
      if (!report.missing.some((m) => m.cloud === missing.cloud)) warnings.push(missingLine(missing, "this month's figures"));
    for (const other of budget.notCovered)
      warnings.push(
        `the budget is in ${budget.currency}; ${money(other.monthToDate, other.currency)} spent this month in ${other.currency} is not counted against it`,
      );
    const without = budget.missing.length > 0 ? ` (without ${named(budget.missing)}, whose figures are missing)` : '';
    if (!budget.judged) {
      return {
        warnings,
        outcome: 'partial',
        message: `the budget was not judged: no cloud reported spend in ${budget.currency} for ${budget.month}${without}`,
      };
    }
    if (budget.exceeded === 'month-to-date') {
      return {
        warnings,
        outcome: 'check-failed',
        message: `budget exceeded: month-to-date spend ${money(budget.monthToDate, budget.currency)} is over the budget of ${money(budget.amount, budget.currency)}${without}`,
      };
    }
    if (budget.exceeded === 'projection') {
      const projection = report.projections.find((p) => p.currency === budget.currency);
      const basis =
        projection?.basis.method === 'forecast'
          ? `month to date + ${projection.basis.forecast?.model} forecast`
          : projection?.basis.method === 'run-rate'
            ? 'month to date + run-rate'
            : 'linear from the month to date';
      return {
        warnings,
        outcome: 'check-failed',
        message: `budget will be exceeded: projected month-end spend ${money(budget.projectedMonthEnd, budget.currency)} (${basis}) is over the budget of ${money(budget.amount, budget.currency)}${without}`,
      };
    }
    if (budget.missing.length > 0) {
      const line = `within budget on partial figures: ${named(budget.missing)} ${budget.missing.length === 1 ? 'is' : 'are'} missing from this month's spend`;
      if (options.strict) return { warnings, outcome: 'partial', message: line };
      warnings.push(line);
    }
  }
  if (options.strict && report.missing.length > 0) {
    return { warnings, outcome: 'partial', message: `the figures are incomplete: ${named(report.missing)} missing` };
  }
  return { warnings, outcome: 'ok' };
}
