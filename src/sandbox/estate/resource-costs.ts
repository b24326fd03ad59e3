// Cost Explorer's resource-level data over the estate's true spend: each AWS line's day (account ×
// service × region, estate/costs.ts) split between the resources billed on it in proportion to what
// each adds to the line (its list price times its billed factor), exactly, in whole cents. So the
// resources of a line add up to the line's figure to the cent, and a resource billed at a private
// rate (billedFactor) shows the lower figure, as the real data would.
// https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_GetCostAndUsageWithResources.html

import {
  billedFactor,
  billingRegion,
  type CostSeriesMetric,
  dayNumber,
  isoOfDay,
  lineCents,
  resourceDailyCost,
  type TrueCostSeries,
} from './costs.js';
import type { Estate } from './types.js';

/** Resource-level data covers the last 14 days only (the API refuses an earlier start). */
export const RESOURCE_DATA_DAYS = 14;

export interface BilledResource {
  id: string;
  account: string;
  service: string;
  region: string;
  line: number;
  /** Cumulative share of the line up to this resource, and up to the one before it. */
  upTo: number;
  before: number;
}

export interface ResourceCostSplit {
  /** Every AWS resource with a bill, in the order of its line's split. */
  resources: BilledResource[];
  byId: Map<string, BilledResource>;
}

export function resourceCostSplit(estate: Estate, series: TrueCostSeries): ResourceCostSplit {
  const lineIndex = new Map(series.lines.map((line, index) => [`${line.cloud}|${line.account}|${line.service}|${line.region}`, index]));
  const members = new Map<number, { id: string; account: string; service: string; region: string; weight: number }[]>();
  // The same weights, in the same order, as costSeries adds to each line's base.
  for (const resource of estate.resources) {
    if (!resource.kind.startsWith('aws.')) continue;
    const cost = resourceDailyCost(resource);
    if (!cost || cost.cents <= 0) continue;
    const region = billingRegion(resource);
    const line = lineIndex.get(`aws|${resource.account}|${cost.service}|${region}`);
    if (line === undefined) continue;
    let list = members.get(line);
    if (!list) {
      list = [];
      members.set(line, list);
    }
    list.push({
      id: resource.id,
      account: resource.account,
      service: cost.service,
      region,
      weight: cost.cents * billedFactor(resource, estate.seed),
    });
  }
  const resources: BilledResource[] = [];
  for (const [line, list] of [...members].sort((a, b) => a[0] - b[0])) {
    const total = list.reduce((sum, m) => sum + m.weight, 0);
    let running = 0;
    list.forEach((m, i) => {
      const before = running / total;
      running += m.weight;
      resources.push({
        id: m.id,
        account: m.account,
        service: m.service,
        region: m.region,
        line,
        before,
        upTo: i === list.length - 1 ? 1 : running / total,
      });
    });
  }
  return { resources, byId: new Map(resources.map((r) => [r.id, r])) };
}

/** One resource's cents on one day (day number): its exact part of its line's day. */
export function resourceDayCents(series: TrueCostSeries, metric: CostSeriesMetric, resource: BilledResource, day: number): number {
  const cents = lineCents(series, metric, resource.line, day);
  return Math.round(cents * resource.upTo) - Math.round(cents * resource.before);
}

/** The days resource-level data covers: the 14 before the estate's day, [start, end). */
export function resourceDataWindow(series: TrueCostSeries): { start: string; end: string } {
  const today = dayNumber(series.end);
  return { start: isoOfDay(today - RESOURCE_DATA_DAYS), end: isoOfDay(today) };
}

/** The manifest's view: the window, the resources billed at a private rate, and every AWS resource's billed total over the window. */
export interface ResourceBillingManifest {
  window: { start: string; end: string };
  metric: 'UnblendedCost';
  /** Planted: resources billed below list (their factor of the list price). */
  discounted: { id: string; factor: number }[];
  /** USD over the window, per resource id (what GetCostAndUsageWithResources answers, summed). */
  billed: Record<string, number>;
}

export function resourceBillingManifest(
  estate: Estate,
  series: TrueCostSeries,
  split = resourceCostSplit(estate, series),
): ResourceBillingManifest {
  const window = resourceDataWindow(series);
  const from = dayNumber(window.start);
  const to = dayNumber(window.end);
  const billed: Record<string, number> = {};
  for (const resource of split.resources) {
    let cents = 0;
    for (let day = from; day < to; day++) cents += resourceDayCents(series, 'unblended', resource, day);
    billed[resource.id] = cents / 100;
  }
  const discounted = estate.resources
    .map((r) => ({ id: r.id, factor: billedFactor(r, estate.seed) }))
    .filter((r) => r.factor < 1 && split.byId.has(r.id));
  return { window, metric: 'UnblendedCost', discounted, billed };
}
