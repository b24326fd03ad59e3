// Spend as every cost reader returns it: one series per cloud, metric and grouping, with each
// group's points in the group's own currency. Currencies are carried on every point and never
// summed across (there is no exchange rate in Guardian).

import type { Cloud, ResourceKind } from './resource.js';

export type CostMetric = 'unblended' | 'amortized';
export type CostGranularity = 'daily' | 'monthly';

/** What a series is grouped by: a billing dimension, or a tag/label key as `tag:KEY`. */
export type CostDimension = 'service' | 'region' | 'account' | `tag:${string}`;

export interface CostPoint {
  /** First day of the point's period (ISO date, UTC). */
  date: string;
  amount: number;
  currency: string;
  /** The cloud marks the figure as not final yet (AWS: the current month). */
  estimated?: boolean;
}

export interface CostGroup {
  /** AWS account id / Azure subscription id / GCP project id the spend belongs to. */
  account: string;
  /** The value of the series' dimension ('' when untagged for tag dimensions). */
  key: string;
  points: CostPoint[];
}

export interface CostSeries {
  cloud: Cloud;
  metric: CostMetric;
  granularity: CostGranularity;
  dimension: CostDimension;
  /** The half-open day range the series covers: [start, end). */
  start: string;
  end: string;
  groups: CostGroup[];
}

export function isTagDimension(dimension: CostDimension): dimension is `tag:${string}` {
  return dimension.startsWith('tag:');
}

export function tagKeyOf(dimension: CostDimension): string | undefined {
  return isTagDimension(dimension) ? dimension.slice(4) : undefined;
}

/** What a cost reader is asked for: one half-open day range, one metric, one grouping. */
export interface CostQuery {
  /** Inclusive first day (ISO date). */
  start: string;
  /** Exclusive last day (ISO date). */
  end: string;
  granularity: CostGranularity;
  metric: CostMetric;
  dimension: CostDimension;
}

/** Accounting a cost reader reports back (AWS Cost Explorer charges per request). */
export interface CostReadStats {
  /** Requests sent to a billing API that charges for them. */
  paidRequests: number;
  /** Answers served from the on-disk cache instead. */
  cachedRequests: number;
  requests: number;
}

export function emptyReadStats(): CostReadStats {
  return { paidRequests: 0, cachedRequests: 0, requests: 0 };
}

/** A cost reader's answer to one query: the series and what reading it took. */
export interface CostReading {
  series: CostSeries;
  stats: CostReadStats;
}

/** The on-disk cache of paid billing answers (Cost Explorer charges per request). */
export interface CostCache {
  /** Directory for cached answers (the data directory's cache/costexplorer). */
  dir: string;
  ttlMs: number;
  /** Part of every key: what tells the data apart besides the account (the demo's estate). */
  scope?: string;
}

/**
 * What resource-level spend is asked for (AWS Cost Explorer GetCostAndUsageWithResources): a
 * half-open day range within the last 14 days, and the resource kinds whose bills are wanted.
 */
export interface ResourceCostQuery {
  /** Inclusive first day (ISO date). */
  start: string;
  /** Exclusive last day (ISO date). */
  end: string;
  kinds: ResourceKind[];
}

/** One resource's bill over the query's days. */
export interface ResourceCost {
  /** The id as the cloud's billing data names it (an instance id, a volume id, an ARN). */
  id: string;
  amount: number;
  currency: string;
}

/** A resource-level reading: each resource's bill, or why the cloud has none to give. */
export interface ResourceCostReading {
  start: string;
  end: string;
  resources: ResourceCost[];
  stats: CostReadStats;
  /** The cloud refused because resource-level data is not enabled for the account: its message. */
  notEnabled?: string;
}
