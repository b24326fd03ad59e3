// Which figure a recommendation's saving uses: the bundled list price, or what the resource was
// actually billed over the last 14 days (AWS Cost Explorer's resource-level data) scaled to a
// month of 730 hours. Pure: the bills are read in run.ts.

import type { PriceBasis, RecommendationAction } from '../model/recommendation.js';
import { HOURS_PER_MONTH } from '../pricing/catalog.js';
import type { Saving } from '../rules/cost.js';

/** --price-basis: billed where the data exists (auto), list prices only, or billed required. */
export const PRICE_BASIS_CHOICES = ['auto', 'list', 'billed'] as const;
export type PriceBasisChoice = (typeof PRICE_BASIS_CHOICES)[number];

/** Resource-level data covers this many days back (the API's limit), ending at today's start. */
export const BILLED_DAYS = 14;

/** Actions that stop paying for the whole resource: the saving is all of its bill. */
const WHOLE_BILL: ReadonlySet<RecommendationAction> = new Set([
  'stop',
  'delete-volume',
  'release-address',
  'delete-snapshot',
  'delete-load-balancer',
  'delete-database',
]);

/** A bill over `days` whole days as a month: amount × 730 / (days × 24). */
export function billedMonthly(amount: number, days: number): number {
  return (amount * HOURS_PER_MONTH) / (days * 24);
}

/**
 * The monthly saving on a billed basis, or undefined when the bill cannot price it: the whole bill
 * for an action that removes the resource; for a part-saving (resize, modernize, gp2 → gp3) the same
 * share of the bill as of the list figure; nothing for a saving billed on other resources (a
 * stopped machine's disks) or without a list figure to take a share of.
 */
export function billedSaving(action: RecommendationAction, saving: Saving, monthlyBill: number): number | undefined {
  if (!(monthlyBill > 0)) return undefined;
  if (WHOLE_BILL.has(action)) return monthlyBill;
  if ('unpriced' in saving || saving.of === undefined || !(saving.of > 0)) return undefined;
  return (monthlyBill * saving.amount) / saving.of;
}

export interface PricedSaving {
  monthlySaving: number | null;
  priceBasis: PriceBasis;
}

/** The row's figure and basis: billed when the choice allows and the bill prices it, else list. */
export function chooseBasis(
  choice: PriceBasisChoice,
  action: RecommendationAction,
  saving: Saving,
  monthlyBill: number | undefined,
): PricedSaving {
  const list: PricedSaving = { monthlySaving: 'amount' in saving ? saving.amount : null, priceBasis: 'list' };
  if (choice === 'list' || monthlyBill === undefined) return list;
  const billed = billedSaving(action, saving, monthlyBill);
  return billed === undefined ? list : { monthlySaving: billed, priceBasis: 'billed' };
}

/** The 14 whole days before `now`'s day, [start, end) as ISO dates: what resource-level data covers. */
export function billedWindow(now: Date): { start: string; end: string } {
  const today = Math.floor(now.getTime() / 86_400_000);
  const iso = (day: number) => new Date(day * 86_400_000).toISOString().slice(0, 10);
  return { start: iso(today - BILLED_DAYS), end: iso(today) };
}
