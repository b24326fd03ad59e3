// The shape of a cost rule (src/rules/cost/<cloud>/<slug>.ts): metadata beside a pure `recommend`
// that reads one resource, the estate around it, its metric statistics and the price tables from a
// read-only context, and says what to stop paying for. Run by the same engine walk as the posture
// rules (engine.ts); `guardian optimize` turns each proposal into a Recommendation.

import type { Evidence, RecommendationAction } from '../model/recommendation.js';
import type { Resource, ResourceKind } from '../model/resource.js';
import type { Price } from '../pricing/catalog.js';
import type { RuleContext, RuleMetadata } from './rule.js';

/** The metric statistics cost rules read, in Guardian's units (see src/optimize/readings.ts). */
export type CostMetric = 'cpu' | 'network' | 'memory' | 'db-connections' | 'requests';

/** A metric's statistics over the window, or why there are none. */
export type MetricReading =
  | {
      status: 'read';
      metric: CostMetric;
      /** The cloud's metric name(s). */
      cloudMetric: string;
      /** Percent for cpu and memory, bytes/s for network, Count for connections and requests. */
      unit: string;
      points: number;
      p95: number;
      max: number;
      window: { start: string; end: string; periodSeconds: number };
    }
  /** Read, and the cloud had no point in the window (a stopped or new machine). */
  | { status: 'no-data' }
  /** Not read: offline (--input), the call failed, or the cloud does not publish it. */
  | { status: 'missing'; reason: string };

export interface CostThresholds {
  /** Idle: p95 CPU below this (%) … */
  idleCpuPercent: number;
  /** … and p95 network (in + out) below this, bytes per second. */
  idleNetworkBytesPerSecond: number;
  /** Rightsizing: p95 CPU (and memory, where the cloud publishes it) below this (%). */
  rightsizeCpuPercent: number;
  /** Machines stopped longer than this many days. */
  stoppedDays: number;
  /** Snapshots older than this many days (with their source gone). */
  snapshotAgeDays: number;
}

export const DEFAULT_THRESHOLDS: CostThresholds = {
  idleCpuPercent: 5,
  idleNetworkBytesPerSecond: 10 * 1024,
  rightsizeCpuPercent: 40,
  stoppedDays: 30,
  snapshotAgeDays: 90,
};

/** The price lookups of src/pricing/catalog.ts, handed in so rules stay pure. */
export type Pricing = typeof import('../pricing/catalog.js');

export interface CostContext extends RuleContext {
  thresholds: CostThresholds;
  /** The moment ages are measured from (the demo cloud's pinned day under `--profile demo`). */
  now: Date;
  /** The metric window's start (ISO): a resource created after it was not there for the whole window. */
  windowStart: string;
  metric(resource: Resource, metric: CostMetric): MetricReading;
  /**
   * False when a listing of this kind in this account (and region, when given) failed or was not
   * made: a resource missing from the inventory there proves nothing.
   */
  listed(kind: ResourceKind, account: string, region?: string): boolean;
  /** True when an image (AMI) is built on this snapshot: it cannot be deleted before the image. */
  snapshotInUse(snapshotId: string): boolean;
  pricing: Pricing;
}

/**
 * A monthly figure from the tables, or the reason there is none. Never $0 for "unknown". `of`: the
 * resource's whole monthly figure a part-saving (resize, gp2 → gp3) is taken from, so optimize can
 * take the same share of what the resource was billed; absent when the saving is the whole figure.
 */
export type Saving = { amount: number; approximate: boolean; of?: number } | { unpriced: string };

export interface Proposal {
  /** One sentence naming the resource (its name and id). */
  summary: string;
  saving: Saving;
  evidence: Evidence[];
  risk: string;
  /** The cloud CLI's commands, in order. */
  cli: string[];
}

export type CostVerdict =
  | { status: 'none' }
  | { status: 'recommend'; proposal: Proposal }
  /** The rule could not judge: the metrics it needs are missing. Never a clean bill. */
  | { status: 'undecided'; reason: string };

export interface CostRule extends RuleMetadata {
  action: RecommendationAction;
  /** The metrics the rule reads; none: it judges from the inventory alone and runs offline. */
  metrics: CostMetric[];
  /** Kinds it looks up through the context besides its own (a stopped machine's disks). */
  reads: ResourceKind[];
  recommend(resource: Resource, context: CostContext): CostVerdict;
}

/** A cost rule as its file declares it: everything but the category its folder gives it. */
export type CostRuleDefinition = Omit<CostRule, 'category' | 'severity' | 'references' | 'reads'> &
  Partial<Pick<CostRule, 'severity' | 'references' | 'reads'>>;

export function defineCostRule(rule: CostRuleDefinition): Omit<CostRule, 'category'> {
  return { severity: 'low', references: [], reads: [], ...rule };
}

export const NONE: CostVerdict = { status: 'none' };

export function recommend(proposal: Proposal): CostVerdict {
  return { status: 'recommend', proposal };
}

// ---- savings ------------------------------------------------------------------------------

export const HOURS_PER_MONTH = 730;

/** An hourly price as a month (730 hours); a missing price is unpriced, with the thing not found. */
export function monthlyFromHour(price: Price | undefined, what: string): Saving {
  return price ? { amount: price.amount * HOURS_PER_MONTH, approximate: price.approximate } : { unpriced: `no list price for ${what}` };
}

export function monthly(price: Price | undefined, what: string): Saving {
  return price ? { amount: price.amount, approximate: price.approximate } : { unpriced: `no list price for ${what}` };
}

/** The difference of two monthly figures (current − target); unpriced when either is. */
export function difference(current: Saving, target: Saving): Saving {
  if ('unpriced' in current) return current;
  if ('unpriced' in target) return target;
  return { amount: current.amount - target.amount, approximate: current.approximate || target.approximate, of: current.amount };
}

/** The sum of several figures; unpriced when any is (a partial sum would understate nothing honestly). */
export function total(parts: Saving[]): Saving {
  let amount = 0;
  let approximate = false;
  for (const part of parts) {
    if ('unpriced' in part) return part;
    amount += part.amount;
    approximate ||= part.approximate;
  }
  return { amount, approximate };
}

// ---- evidence -----------------------------------------------------------------------------

/** Metric evidence from a reading (the caller checked it was read). */
export function metricEvidence(
  reading: Extract<MetricReading, { status: 'read' }>,
  stat: 'p95' | 'max',
  threshold: number,
  comparison: 'below' | 'at-most',
): Evidence {
  return {
    type: 'metric',
    metric: reading.metric,
    cloudMetric: reading.cloudMetric,
    stat,
    value: Math.round(reading[stat] * 1000) / 1000,
    unit: reading.unit,
    threshold,
    comparison,
    window: reading.window,
    points: reading.points,
  };
}

export function fact(text: string): Evidence {
  return { type: 'fact', fact: text };
}

/** Whole days between an ISO time and now, or undefined when the time is missing or unreadable. */
export function daysSince(iso: unknown, now: Date): number | undefined {
  if (typeof iso !== 'string') return undefined;
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? Math.floor((now.getTime() - ms) / 86_400_000) : undefined;
}

/** Quotes a value for a POSIX shell when it needs it (names from the cloud can hold anything). */
export function shellWord(value: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(value) ? value : `'${value.replaceAll("'", "'\\''")}'`;
}

/** A machine is running in the state word its cloud uses. */
export function isRunning(resource: Resource): boolean {
  const state = resource.state?.toLowerCase();
  return state === 'running';
}

/** A machine that is stopped (EC2 stopped, Azure deallocated or stopped, GCP TERMINATED). */
export function isStopped(resource: Resource): boolean {
  const state = resource.state?.toLowerCase() ?? '';
  return ['stopped', 'deallocated', 'terminated'].includes(state);
}

/** A machine's own metric verdict for "idle": both CPU and network read and under the thresholds. */
export function idleness(
  resource: Resource,
  context: CostContext,
): { idle: true; evidence: Evidence[] } | { idle: false; undecided?: string } {
  const cpu = context.metric(resource, 'cpu');
  const network = context.metric(resource, 'network');
  if (cpu.status === 'missing') return { idle: false, undecided: `CPU: ${cpu.reason}` };
  if (network.status === 'missing') return { idle: false, undecided: `network: ${network.reason}` };
  if (cpu.status === 'no-data' || network.status === 'no-data') return { idle: false };
  const { idleCpuPercent, idleNetworkBytesPerSecond } = context.thresholds;
  if (cpu.p95 >= idleCpuPercent || network.p95 >= idleNetworkBytesPerSecond) return { idle: false };
  return {
    idle: true,
    evidence: [metricEvidence(cpu, 'p95', idleCpuPercent, 'below'), metricEvidence(network, 'p95', idleNetworkBytesPerSecond, 'below')],
  };
}
