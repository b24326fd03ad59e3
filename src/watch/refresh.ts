// Where the dashboard's data comes from: one live refresh is a discovery of the profile's clouds
// (collected, not saved), the month's spend read beside it, scan's security rules and optimize's
// cost rules over the resources found, with the session opened once for the whole watch (the demo
// profile's sandbox starts once, not every refresh). With --input, one snapshot read once. A part
// that cannot be read (billing refused, metrics failed) is said in its view; only a discovery that
// reaches no scope fails the refresh, and the loop then keeps the last good data.

import { Writable } from 'node:stream';
import { pinnedDemoDay } from '../config/profile.js';
import type { Budget } from '../costs/report.js';
import type { Inventory } from '../discovery/load.js';
import type { RunContext } from '../discovery/run.js';
import type { CloudSession } from '../discovery/session.js';
import type { Cloud, Resource } from '../model/resource.js';
import { createIo } from '../render/io.js';
import type { ScopeCount, WatchData } from './estate.js';
import type { Refresh } from './loop.js';
import { trackDiscovery } from './progress.js';

export interface WatchRequest {
  providers?: Cloud[];
  /** A saved snapshot shown as it is, never refreshed. */
  input?: string;
  budget?: Budget;
  /** One refresh's limit: what was found by then is shown, marked incomplete. */
  timeoutMs?: number;
  callTimeoutMs?: number;
  concurrency?: number;
}

const DAY_MS = 86_400_000;
/** Spend history the detector reads, and how far back its flags are shown. */
const ANOMALY_HISTORY_DAYS = 90;
const ANOMALY_SHOWN_DAYS = 7;

export interface WatchSource {
  profile: string;
  refresh: Refresh;
  close(): Promise<void>;
}

/** Let the event loop answer keys between the refresh's synchronous steps (scan, the cost walk). */
const breathe = () => new Promise<void>((resolve) => setImmediate(resolve));

/** The dashboard draws the terminal: the runs' stderr lines would tear the frame, so they go nowhere. */
function silentIo(ctx: RunContext) {
  const sink = new Writable({ write: (_chunk, _encoding, done) => done() });
  return createIo({ stdout: sink, stderr: sink, stdin: ctx.io.stdin }, ctx.env, { quiet: true });
}

function scopeCounts(scopes: { cloud: Cloud; status: string }[]): ScopeCount[] {
  const counts = new Map<Cloud, ScopeCount>();
  for (const scope of scopes) {
    const count = counts.get(scope.cloud) ?? { cloud: scope.cloud, scopes: 0, incomplete: 0 };
    count.scopes += 1;
    if (scope.status !== 'ok') count.incomplete += 1;
    counts.set(scope.cloud, count);
  }
  return [...counts.values()];
}

async function judge(
  ctx: RunContext,
  inventory: Inventory,
  request: WatchRequest,
  now: Date,
  offline: boolean,
  onProgress: (line: string) => void,
) {
  const { loadCatalog, loadCostCatalog } = await import('../rules/catalog.js');
  const { scan } = await import('../rules/scan.js');
  const { loadSuppressions } = await import('../scan/run.js');
  onProgress('scanning: the security rules over what was found…');
  await breathe();
  const report = scan({ catalog: await loadCatalog(), resources: inventory.resources, suppressions: await loadSuppressions(ctx), now });
  await breathe();

  onProgress(offline ? 'savings: the cost rules that need no metrics…' : 'savings: reading metrics for the cost rules…');
  const { selectRules } = await import('../rules/engine.js');
  const { DEFAULT_THRESHOLDS } = await import('../rules/cost.js');
  const { resolveWindow } = await import('../metrics/window.js');
  const { runOptimize } = await import('../optimize/run.js');
  const { DEFAULT_CONCURRENCY, DEFAULT_SCOPE_CONCURRENCY, DEFAULT_CALL_TIMEOUT_MS } = await import('../discovery/run.js');
  let recommendations: WatchData['recommendations'];
  let savingsNote: string | undefined;
  try {
    const rules = selectRules(await loadCostCatalog(), {}, 'optimize');
    const outcome = await runOptimize(ctx, {
      rules,
      thresholds: DEFAULT_THRESHOLDS,
      inventory,
      input: offline ? inventory.source : undefined,
      providers: request.providers,
      window: resolveWindow({ since: '14d', period: '3600' }, now.getTime()),
      now,
      signal: ctx.signal,
      timeoutMs: request.timeoutMs,
      callTimeoutMs: request.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS,
      concurrency: request.concurrency ?? DEFAULT_CONCURRENCY,
      scopeConcurrency: DEFAULT_SCOPE_CONCURRENCY,
    });
    recommendations = outcome.recommendations;
    const notes: string[] = [];
    if (outcome.skippedRules.length > 0) notes.push(`offline: ${outcome.skippedRules.length} rule(s) that need metrics not run`);
    if (outcome.metricFailures.length > 0)
      notes.push(`${outcome.metricFailures.length} metric batch(es) failed: those machines are not judged`);
    if (outcome.undecided.length > 0) notes.push(`${outcome.undecided.length} resource(s) not judged (metrics missing)`);
    savingsNote = notes.length > 0 ? notes.join('; ') : undefined;
  } catch (error) {
    const { describeFailure } = await import('./loop.js');
    savingsNote = `savings could not be read: ${describeFailure(error)}`;
  }
  return { findings: report.findings, recommendations, savingsNote };
}

/** The last day with billing data: today (UTC), or the demo cloud's pinned day. */
function billingDay(ctx: RunContext, profile: string): string {
  return pinnedDemoDay(profile, ctx.env) ?? ctx.now().toISOString().slice(0, 10);
}

/** Now, or the start of the demo cloud's pinned day (its metrics end there), as optimize has it. */
function metricsNow(ctx: RunContext, profile: string): Date {
  const day = pinnedDemoDay(profile, ctx.env);
  return day ? new Date(`${day}T00:00:00Z`) : ctx.now();
}

async function readCostsOf(ctx: RunContext, request: WatchRequest, profile: string) {
  const { readLiveCosts } = await import('../costs/live.js');
  const { resolvePeriods } = await import('../costs/period.js');
  const { describeFailure } = await import('./loop.js');
  const today = billingDay(ctx, profile);
  const { current, previous } = resolvePeriods({}, today);
  try {
    const outcome = await readLiveCosts(ctx, {
      clouds: request.providers,
      current,
      previous,
      today,
      metric: 'unblended',
      groupBy: 'account',
      top: 10,
      budget: request.budget,
      cache: true,
      timeoutMs: request.timeoutMs,
      callTimeoutMs: request.callTimeoutMs,
    });
    const missing = outcome.report.missing.map((m) => `${m.cloud}: ${describeFailure(m.message)}`);
    return { costs: outcome.report, costsNote: missing.length > 0 ? `not in the figures: ${missing.join('; ')}` : undefined };
  } catch (error) {
    return { costs: undefined, costsNote: `spend could not be read: ${describeFailure(error)}` };
  }
}

/**
 * Predict's streaming detector over the daily spend of the last 90 days (total, top services and
 * accounts; the billing reads are cached like costs'), its flags of the last 7 days.
 */
async function readAnomaliesOf(
  ctx: RunContext,
  request: WatchRequest,
  profile: string,
): Promise<Pick<WatchData, 'anomalies' | 'anomaliesNote'>> {
  const { describeFailure } = await import('./loop.js');
  try {
    const { findAnomalies } = await import('../predict/anomaly/run.js');
    const today = billingDay(ctx, profile);
    const report = await findAnomalies(ctx, {
      source: {
        kind: 'costs',
        request: {
          today,
          historyDays: ANOMALY_HISTORY_DAYS,
          top: 5,
          metric: 'unblended',
          clouds: request.providers,
          cache: true,
          timeoutMs: request.timeoutMs,
          callTimeoutMs: request.callTimeoutMs,
        },
      },
      sinceMs: ANOMALY_SHOWN_DAYS * DAY_MS,
    });
    const note = report.incomplete.length > 0 ? `not covered: ${report.incomplete.join('; ')}` : undefined;
    return { anomalies: report.anomalies, anomaliesNote: note };
  } catch (error) {
    return { anomalies: undefined, anomaliesNote: `anomalies could not be read: ${describeFailure(error)}` };
  }
}

/** The live source: the profile's session opened once; each refresh discovers, reads spend and judges. */
export async function openLiveSource(ctx: RunContext, request: WatchRequest): Promise<WatchSource> {
  const session: CloudSession = await ctx.openSession();
  const io = silentIo(ctx);
  const refresh: Refresh = async (signal, onProgress) => {
    const shared: RunContext = {
      ...ctx,
      io,
      signal: AbortSignal.any([ctx.signal, signal]),
      // The one session, lent to each run: their close() must not close it.
      openSession: async () => ({ ...session, close: async () => {} }),
    };
    const tracker = trackDiscovery();
    const { runDiscovery } = await import('../discovery/run.js');
    const costs = readCostsOf(shared, request, session.profileName);
    const anomalies = readAnomaliesOf(shared, request, session.profileName);
    const outcome = await runDiscovery(shared, {
      providers: request.providers,
      timeoutMs: request.timeoutMs,
      callTimeoutMs: request.callTimeoutMs,
      concurrency: request.concurrency,
      save: false,
      collect: true,
      onEvent: (event) => {
        tracker.onEvent(event);
        onProgress(tracker.line());
      },
    });
    await outcome.release();
    const resources: Resource[] = outcome.resources ?? [];
    const { snapshot } = outcome;
    const inventory: Inventory = { resources, errors: snapshot.errors, complete: snapshot.complete, source: 'live discovery' };
    const judged = await judge(shared, inventory, request, metricsNow(ctx, session.profileName), false, onProgress);
    onProgress('costs: waiting for the billing APIs…');
    const spend = await costs;
    onProgress('anomalies: scoring the daily spend…');
    const flagged = await anomalies;
    return {
      profile: session.profileName,
      clouds: snapshot.request.providers,
      scopes: scopeCounts(snapshot.scopes),
      at: ctx.now(),
      source: 'live',
      resources,
      incomplete: incompleteness(snapshot),
      ...judged,
      ...spend,
      ...flagged,
    };
  };
  return { profile: session.profileName, refresh, close: () => session.close() };
}

function incompleteness(snapshot: { complete: boolean; timedOut: boolean; errors: unknown[] }): string | undefined {
  if (snapshot.complete) return undefined;
  if (snapshot.timedOut) return 'the refresh stopped at --timeout: the inventory is incomplete';
  return `${snapshot.errors.length} listing(s) failed: the inventory is incomplete`;
}

/** --input: the snapshot read once; no spend (a snapshot holds none) and only the cost rules that need no metrics. */
export async function openSnapshotSource(ctx: RunContext, request: WatchRequest & { input: string }): Promise<WatchSource> {
  const { readSnapshot } = await import('../inventory/snapshot.js');
  const { narrowResources } = await import('../discovery/load.js');
  const snapshot = await readSnapshot(request.input);
  const io = silentIo(ctx);
  const refresh: Refresh = async (signal, onProgress) => {
    const shared: RunContext = { ...ctx, io, signal: AbortSignal.any([ctx.signal, signal]) };
    const resources = narrowResources(snapshot.resources, request);
    const inventory: Inventory = { resources, errors: snapshot.errors, complete: snapshot.complete, source: request.input };
    const judged = await judge(shared, inventory, request, new Date(snapshot.finishedAt), true, onProgress);
    return {
      profile: snapshot.profile,
      clouds: snapshot.request.providers,
      scopes: scopeCounts(snapshot.scopes),
      at: new Date(snapshot.finishedAt),
      source: request.input,
      resources,
      incomplete: incompleteness(snapshot),
      ...judged,
      costs: undefined,
      costsNote: "a snapshot holds no spend: 'guardian costs --json' reads it from the billing APIs",
      anomaliesNote: "a snapshot holds no spend to score: 'guardian predict anomalies --costs' reads it from the billing APIs",
    };
  };
  return { profile: snapshot.profile, refresh, close: async () => {} };
}
