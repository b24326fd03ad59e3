// What `guardian optimize` does between its flags and its output: get the inventory (a snapshot or
// a live discovery of the kinds the cost rules read), read the metrics the selected rules need
// through the metrics run (same pools, retries and timeouts as `guardian metrics`), run the cost
// rules through the engine's walk, and price each proposal as a Recommendation.

import type { Inventory } from '../discovery/load.js';
import type { RunContext } from '../discovery/run.js';
import type { MetricFailure, MetricsOutcome } from '../metrics/run.js';
import type { MetricWindow } from '../metrics/window.js';
import type { ResourceCostReading } from '../model/cost.js';
import type { MetricGap, MetricName } from '../model/metric.js';
import { type Recommendation, type RecommendationResource, recommendationId, toCents } from '../model/recommendation.js';
import type { Cloud, Resource, ResourceKind } from '../model/resource.js';
import * as pricing from '../pricing/catalog.js';
import type { ClassifiedError } from '../providers/types.js';
import { createRuleContext } from '../rules/context.js';
import type { CostContext, CostRule, CostThresholds, Saving } from '../rules/cost.js';
import { ruleChecks } from '../rules/engine.js';
import { BILLED_DAYS, billedMonthly, billedWindow, chooseBasis, type PriceBasisChoice } from './billed.js';
import { COST_METRIC_SOURCES, liveReadings, offlineReadings } from './readings.js';

export interface OptimizeRequest {
  rules: CostRule[];
  thresholds: CostThresholds;
  /** A saved snapshot: offline, the rules that need metrics are skipped. */
  input?: string;
  /** Resources already discovered (the dashboard's refresh): judged instead of a discovery of their own. */
  inventory?: Inventory;
  providers?: Cloud[];
  regions?: string[];
  window: MetricWindow;
  now: Date;
  /** Ctrl-C, and --timeout for the whole run. */
  signal: AbortSignal;
  timeoutMs?: number;
  callTimeoutMs: number;
  concurrency: number;
  scopeConcurrency: number;
  onRetry?: (cloud: Cloud, error: ClassifiedError, attempt: number, delayMs: number) => void;
  /** --price-basis: billed figures where Cost Explorer's resource-level data has them (auto, the default), list only, or billed required. */
  priceBasis?: PriceBasisChoice;
}

/** What pricing on a billed basis took, and why rows stayed on list prices. */
export interface BillingOutcome {
  choice: PriceBasisChoice;
  /**
   * read: the bills were read; not-enabled: the account has not opted in to resource-level data;
   * failed: the read failed (error); not-asked: --price-basis list, offline, or no AWS row it could price.
   */
  status: 'read' | 'not-enabled' | 'failed' | 'not-asked';
  /** The days billed figures cover, [start, end). */
  window?: { start: string; end: string };
  /** Resources the bills named, and rows priced from them. */
  resources: number;
  rows: number;
  requests?: { requests: number; paidRequests: number; cachedRequests: number };
  /** The cloud's refusal or the failure, in its words. */
  message?: string;
}

export interface Undecided {
  rule: string;
  resource: RecommendationResource;
  reason: string;
}

export interface OptimizeOutcome {
  /** Largest saving first; unpriced last. */
  recommendations: Recommendation[];
  /** Rule × resource pairs the rule could not judge (its metrics missing). */
  undecided: Undecided[];
  /** Rules not run because they need metrics and the run is offline. */
  skippedRules: CostRule[];
  source: string;
  inventoryComplete: boolean;
  inventoryErrors: number;
  metricFailures: MetricFailure[];
  /** Metrics a rule wanted that the cloud does not publish (EC2 memory). */
  metricGaps: MetricGap[];
  metricStats?: MetricsOutcome['stats'];
  /** The inventory the rules judged: --apply reads what undo needs from it (a volume's type, an address). */
  resources: Resource[];
  billing: BillingOutcome;
}

export function subjectOf(resource: Resource): RecommendationResource {
  const { cloud, kind, id, name, account, region } = resource;
  return { cloud, kind, id, name, account, region };
}

/** Stopped machines publish nothing: asking for their metrics costs calls and reads no point. */
function reportsMetrics(resource: Resource): boolean {
  const state = resource.state?.toLowerCase() ?? '';
  return !['stopped', 'deallocated', 'terminated', 'stopping'].includes(state);
}

export async function runOptimize(ctx: RunContext, request: OptimizeRequest): Promise<OptimizeOutcome> {
  const started = Date.now();
  const kinds = [...new Set(request.rules.flatMap((rule) => [...rule.kinds, ...rule.reads]))] as ResourceKind[];
  const { loadInventory } = await import('../discovery/load.js');
  const inventory =
    request.inventory ??
    (await loadInventory(ctx, {
      input: request.input,
      providers: request.providers,
      regions: request.regions,
      kinds,
      concurrency: request.concurrency,
      timeoutMs: request.timeoutMs,
      callTimeoutMs: request.callTimeoutMs,
    }));
  const offline = request.input !== undefined;
  const skippedRules = offline ? request.rules.filter((rule) => rule.metrics.length > 0) : [];
  const rules = request.rules.filter((rule) => !skippedRules.includes(rule));

  // The metrics of the kinds the metric rules read, for the machines that can report them.
  const metered = new Map<ResourceKind, Set<MetricName>>();
  for (const rule of rules) {
    const sources = rule.metrics.flatMap((metric) => COST_METRIC_SOURCES[metric]);
    if (sources.length === 0) continue;
    for (const kind of rule.kinds) metered.set(kind, new Set([...(metered.get(kind) ?? []), ...sources]));
  }
  // What each resource was billed is read beside the metrics, not after them: neither needs the other.
  const bills = readBills(ctx, inventory.resources, rules, request, offline, started);
  bills.catch(() => {});
  let outcome: MetricsOutcome | undefined;
  let readings = offlineReadings();
  if (!offline && metered.size > 0) {
    const { readMetricsOf } = await import('../metrics/collect.js');
    const { resourceRef } = await import('../model/metric.js');
    const subjects = inventory.resources.filter((r) => metered.has(r.kind) && reportsMetrics(r)).map(resourceRef);
    const remaining = request.timeoutMs === undefined ? undefined : Math.max(1, request.timeoutMs - (Date.now() - started));
    const signal = remaining === undefined ? request.signal : AbortSignal.any([request.signal, AbortSignal.timeout(remaining)]);
    outcome = await readMetricsOf(ctx, subjects, {
      metrics: [...new Set([...metered.values()].flatMap((set) => [...set]))],
      window: request.window,
      stat: 'average',
      signal,
      callTimeoutMs: request.callTimeoutMs,
      concurrency: request.concurrency,
      scopeConcurrency: request.scopeConcurrency,
      onRetry: request.onRetry,
    });
    readings = liveReadings(outcome, request.window);
  }

  const context = costContext(inventory.resources, inventory.errors, request, readings.reading, inventory.complete);
  const recommendations: Recommendation[] = [];
  const savings = new Map<Recommendation, Saving>();
  const undecided: Undecided[] = [];
  for (const [rule, resource] of ruleChecks(rules, inventory.resources)) {
    const verdict = rule.recommend(resource, context);
    if (verdict.status === 'none') continue;
    const subject = subjectOf(resource);
    if (verdict.status === 'undecided') {
      undecided.push({ rule: rule.id, resource: subject, reason: verdict.reason });
      continue;
    }
    const { proposal } = verdict;
    const id = recommendationId(rule.id, subject);
    const priced = 'amount' in proposal.saving;
    const recommendation: Recommendation = {
      id,
      rule: rule.id,
      action: rule.action,
      resource: subject,
      summary: proposal.summary,
      monthlySaving: 'amount' in proposal.saving ? toCents(proposal.saving.amount) : null,
      currency: 'USD',
      priceBasis: 'list',
      approximate: 'amount' in proposal.saving ? proposal.saving.approximate : false,
      ...(priced ? {} : { unpriced: (proposal.saving as { unpriced: string }).unpriced }),
      evidence: proposal.evidence,
      risk: proposal.risk,
      command: { cli: proposal.cli.join(' && '), applyId: id },
    };
    recommendations.push(recommendation);
    savings.set(recommendation, proposal.saving);
  }
  const billing = priceFromBills(await bills, recommendations, savings, request.priceBasis ?? 'auto');
  const { sortRecommendations } = await import('./totals.js');
  // Gaps matter only where a rule reads that metric of that kind (EC2 memory for rightsizing).
  const metricGaps = (outcome?.gaps ?? []).filter((gap) => metered.get(gap.resource.kind)?.has(gap.metric));
  return {
    recommendations: sortRecommendations(recommendations),
    undecided,
    skippedRules,
    source: inventory.source,
    inventoryComplete: inventory.complete,
    inventoryErrors: inventory.errors.length,
    metricFailures: outcome?.failures ?? [],
    metricGaps,
    metricStats: outcome?.stats,
    resources: inventory.resources,
    billing,
  };
}

/** The bills of the last 14 days (or why there are none) and how reading them went. */
interface Bills {
  outcome: BillingOutcome;
  amounts: Map<string, number>;
}

/**
 * Reads what the AWS resources of the kinds the rules price were billed over the last 14 days
 * (Cost Explorer's resource-level data, through the provider's resourceCosts face, cached on disk
 * like every Cost Explorer answer). Not asked with --price-basis list, offline, or without such
 * a resource; a refusal for want of the opt-in or a failed read is an outcome, not a throw.
 */
async function readBills(
  ctx: RunContext,
  resources: Resource[],
  rules: CostRule[],
  request: OptimizeRequest,
  offline: boolean,
  started: number,
): Promise<Bills> {
  const choice = request.priceBasis ?? 'auto';
  const none = (outcome: Partial<BillingOutcome> = {}): Bills => ({
    outcome: { choice, status: 'not-asked', resources: 0, rows: 0, ...outcome },
    amounts: new Map(),
  });
  const { BILLING_SERVICES, DEFAULT_COST_CACHE_TTL_MS } = await import('../providers/aws/costs.js');
  const ruled = new Set(rules.flatMap((rule) => rule.kinds));
  const kinds = [
    ...new Set(resources.filter((r) => ruled.has(r.kind) && BILLING_SERVICES[r.kind] !== undefined).map((r) => r.kind)),
  ].sort();
  if (choice === 'list' || offline || kinds.length === 0) return none();
  const window = billedWindow(request.now);
  const remaining = request.timeoutMs === undefined ? undefined : Math.max(1, request.timeoutMs - (Date.now() - started));
  const signal = remaining === undefined ? request.signal : AbortSignal.any([request.signal, AbortSignal.timeout(remaining)]);
  const [{ createProviders }, { CallFailed, callWithRetry }, { join }, { dataDir }] = await Promise.all([
    import('../discovery/session.js'),
    import('../discovery/call.js'),
    import('node:path'),
    import('../inventory/store.js'),
  ]);
  const session = await ctx.openSession();
  try {
    if (!session.profile.aws) return none();
    const providers = await createProviders(session, ['aws'], {
      callTimeoutMs: request.callTimeoutMs,
      prewarm: false,
      costCache: {
        dir: join(dataDir(ctx.env), 'cache', 'costexplorer'),
        ttlMs: DEFAULT_COST_CACHE_TTL_MS,
        ...(session.dataScope ? { scope: session.dataScope } : {}),
      },
    });
    try {
      const provider = providers.find((p) => p.cloud === 'aws');
      const read = provider?.resourceCosts;
      if (!provider || !read) return none();
      let reading: ResourceCostReading;
      try {
        reading = await callWithRetry(provider, (callSignal) => read({ ...window, kinds }, { signal: callSignal }), {
          signal,
          callTimeoutMs: request.callTimeoutMs,
          onRetry: (error, attempt, delayMs) => request.onRetry?.('aws', error, attempt, delayMs),
        });
      } catch (error) {
        if (!(error instanceof CallFailed)) throw error;
        return none({ status: 'failed', window, message: `${error.classified.code}: ${error.classified.message}` });
      }
      const requests = { ...reading.stats };
      if (reading.notEnabled !== undefined) return none({ status: 'not-enabled', window, requests, message: reading.notEnabled });
      const amounts = new Map(reading.resources.filter((r) => r.currency === 'USD').map((r) => [r.id, r.amount]));
      return { outcome: { choice, status: 'read', window, resources: amounts.size, rows: 0, requests }, amounts };
    } finally {
      await Promise.all(providers.map((provider) => provider.close?.()));
    }
  } finally {
    await session.close();
  }
}

/**
 * Reprices the AWS rows whose resource has a bill: monthly = the last 14 days' bill × 730 / 336
 * (billed.ts). Without bills (not enabled, the read failed) every row keeps its list price.
 */
function priceFromBills(
  bills: Bills,
  recommendations: Recommendation[],
  savings: Map<Recommendation, Saving>,
  choice: PriceBasisChoice,
): BillingOutcome {
  let rows = 0;
  for (const recommendation of recommendations) {
    if (recommendation.resource.cloud !== 'aws') continue;
    const bill = bills.amounts.get(recommendation.resource.id);
    if (bill === undefined) continue;
    const priced = chooseBasis(choice, recommendation.action, savings.get(recommendation)!, billedMonthly(bill, BILLED_DAYS));
    if (priced.priceBasis !== 'billed' || priced.monthlySaving === null) continue;
    recommendation.monthlySaving = toCents(priced.monthlySaving);
    recommendation.priceBasis = 'billed';
    recommendation.approximate = false;
    rows += 1;
  }
  return { ...bills.outcome, rows };
}

function costContext(
  resources: Resource[],
  errors: { cloud: Cloud; account: string; region?: string; kind?: ResourceKind }[],
  request: OptimizeRequest,
  metric: CostContext['metric'],
  complete: boolean,
): CostContext {
  const base = createRuleContext(resources);
  const imageRoots = new Set<string>();
  for (const r of resources)
    if (r.kind === 'aws.ec2.image' && typeof r.attributes.rootSnapshotId === 'string') imageRoots.add(r.attributes.rootSnapshotId);
  return {
    ...base,
    thresholds: request.thresholds,
    now: request.now,
    windowStart: request.window.start,
    metric,
    listed(kind, account, region) {
      // Stopped by --timeout with no listing failed: what was not reached is unknown.
      if (!complete && errors.length === 0) return false;
      return !errors.some(
        (e) =>
          e.cloud === kind.slice(0, kind.indexOf('.')) &&
          e.account === account &&
          (e.kind === undefined || e.kind === kind) &&
          (region === undefined || e.region === undefined || e.region === region),
      );
    },
    snapshotInUse: (id) => imageRoots.has(id),
    pricing,
  };
}
