// Sums and order of a list of recommendations: largest saving first (unpriced last), a total
// that counts each resource once (stopping an idle machine and resizing it are alternatives, not
// savings to add), and a subtotal per action.

import { type Recommendation, type RecommendationAction, toCents } from '../model/recommendation.js';

export function sortRecommendations(list: Recommendation[]): Recommendation[] {
  return [...list].sort(
    (a, b) =>
      (b.monthlySaving ?? Number.NEGATIVE_INFINITY) - (a.monthlySaving ?? Number.NEGATIVE_INFINITY) ||
      a.rule.localeCompare(b.rule) ||
      a.resource.id.localeCompare(b.resource.id),
  );
}

export interface ActionTotal {
  action: RecommendationAction;
  count: number;
  /** Sum of the priced recommendations of this action. */
  monthlySaving: number;
  unpriced: number;
}

export interface Totals {
  count: number;
  /** Sum over resources of each resource's largest priced saving (USD a month). */
  monthlySaving: number;
  currency: 'USD';
  /** Recommendations with no figure (a price missing from the tables). */
  unpriced: number;
  /** Resources with more than one recommendation (their alternatives are counted once in the total). */
  overlapping: number;
  byAction: ActionTotal[];
}

export function totalsOf(list: Recommendation[]): Totals {
  const best = new Map<string, number>();
  const seen = new Map<string, number>();
  const byAction = new Map<RecommendationAction, ActionTotal>();
  for (const r of list) {
    const key = `${r.resource.cloud}|${r.resource.account}|${r.resource.id}`;
    seen.set(key, (seen.get(key) ?? 0) + 1);
    if (r.monthlySaving !== null) best.set(key, Math.max(best.get(key) ?? 0, r.monthlySaving));
    const entry = byAction.get(r.action) ?? { action: r.action, count: 0, monthlySaving: 0, unpriced: 0 };
    entry.count += 1;
    if (r.monthlySaving === null) entry.unpriced += 1;
    else entry.monthlySaving = toCents(entry.monthlySaving + r.monthlySaving);
    byAction.set(r.action, entry);
  }
  return {
    count: list.length,
    monthlySaving: toCents([...best.values()].reduce((sum, v) => sum + v, 0)),
    currency: 'USD',
    unpriced: list.filter((r) => r.monthlySaving === null).length,
    overlapping: [...seen.values()].filter((n) => n > 1).length,
    byAction: [...byAction.values()].sort((a, b) => b.monthlySaving - a.monthlySaving || a.action.localeCompare(b.action)),
  };
}

/** --min-saving: recommendations saving at least this much a month; unpriced ones are kept (their saving is unknown, not small). */
export function atLeastSaving(list: Recommendation[], minimum: number | undefined): Recommendation[] {
  if (minimum === undefined) return list;
  return list.filter((r) => r.monthlySaving === null || r.monthlySaving >= minimum);
}
