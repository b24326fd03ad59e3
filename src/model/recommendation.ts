// What a cost rule says about one resource: the action that stops paying for waste, what it saves
// a month, the evidence behind it (metric statistics over their window, or the fact), the risk,
// and the exact command that applies it. `guardian optimize` renders these; the JSON form is
// documented in docs/optimize.md.

import type { Cloud, ResourceKind } from './resource.js';

/** What a recommendation does to its resource. */
export const RECOMMENDATION_ACTIONS = [
  'stop', // an idle machine
  'resize', // one size down in the family
  'modernize', // a previous-generation type to its current equivalent
  'delete-stopped', // a machine stopped for weeks: snapshot its disks, delete it
  'delete-volume', // an unattached volume or disk: snapshot it, delete it
  'change-volume-type', // gp2 → gp3
  'release-address', // an unassociated Elastic IP / public IP / static address
  'delete-snapshot', // an old snapshot whose source volume is gone
  'delete-load-balancer', // a load balancer that served no request in the window
  'delete-database', // a database nobody connected to in the window: final snapshot, delete
] as const;
export type RecommendationAction = (typeof RECOMMENDATION_ACTIONS)[number];

/** What a saving is priced from: the bundled list prices, or what Cost Explorer says was billed. */
export type PriceBasis = 'list' | 'billed';

export interface RecommendationResource {
  cloud: Cloud;
  kind: ResourceKind;
  id: string;
  name: string;
  account: string;
  region: string;
}

/** A metric statistic over its window, compared with the threshold the rule applied. */
export interface MetricEvidence {
  type: 'metric';
  /** Guardian's metric name (cpu, network, db-connections, requests) and the cloud's. */
  metric: string;
  cloudMetric: string;
  /** p95 or max of the window's points (each point the period's average). */
  stat: 'p95' | 'max';
  value: number;
  /** The unit of `value` and `threshold` (Percent, bytes/s, Count). */
  unit: string;
  /** The value stays below (`below`) or at most (`atMost`) this. */
  threshold: number;
  comparison: 'below' | 'at-most';
  window: { start: string; end: string; periodSeconds: number };
  points: number;
}

/** A fact read from the inventory: "unattached", "stopped since 2026-08-01", "source vol-… is gone". */
export interface FactEvidence {
  type: 'fact';
  fact: string;
}

export type Evidence = MetricEvidence | FactEvidence;

export interface RecommendationCommand {
  /** The cloud's own CLI (awscli, az, gcloud), every step in order, joined with ' && '. */
  cli: string;
  /** Guardian's id for this recommendation, stable across runs (the id `--apply` will take). */
  applyId: string;
}

export interface Recommendation {
  /** Stable across runs for the same rule and resource: `opt-` and 10 hex digits. */
  id: string;
  rule: string;
  action: RecommendationAction;
  resource: RecommendationResource;
  /** One sentence naming the resource: what to do and why. */
  summary: string;
  /** USD a month (730 hours), to the cent; null when a price is missing from the tables (see `unpriced`). */
  monthlySaving: number | null;
  currency: 'USD';
  priceBasis: PriceBasis;
  /** True when a region's price is the base region's times a factor rather than a listed price. */
  approximate: boolean;
  /** Why there is no figure, when monthlySaving is null. */
  unpriced?: string;
  evidence: Evidence[];
  /** What could go wrong, and how to undo it. */
  risk: string;
  command: RecommendationCommand;
}

/** FNV-1a, 40 bits as hex: a short id that is the same on every run (no crypto needed). */
export function recommendationId(rule: string, resource: Pick<RecommendationResource, 'cloud' | 'account' | 'id'>): string {
  const text = `${rule}|${resource.cloud}|${resource.account}|${resource.id}`;
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193) >>> 0;
    h2 = Math.imul(h2 ^ c, 0x5bd1e995) >>> 0;
  }
  return `opt-${h1.toString(16).padStart(8, '0')}${(h2 & 0xff).toString(16).padStart(2, '0')}`;
}

/** Cents: every saving is shown and summed to the cent. */
export function toCents(amount: number): number {
  return Math.round(amount * 100) / 100;
}
