// `guardian optimize` over a 10,000-resource estate with metrics, against the sandbox with 100 ms of
// latency on every request and EC2's token bucket (100 tokens, 20/s per account × region), as
// bench/discovery.js and bench/metrics.js run theirs. Measured in one run: the wall time of
// runOptimize (discovery of the kinds the cost rules read, the rules' metrics, Cost Explorer's
// resource-level bills, the walk) against the bound — discovery's bound (harness.js) plus the
// longest chain after it: the metric batches' (a batch's pages follow one another) or the bills'
// (GetCallerIdentity, then NextPageToken pages) — and the metric calls against the fewest each API allows.
// Usage: npm run build && npm run bench:optimize [-- --size 10000 --latency 100 --call-timeout 300]

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { discoveryBound, dist, flag, sandboxSession, serve, stop } from './harness.js';

const SIZE = flag('size', 10_000);
const LATENCY = flag('latency', 100);
/** Cloud Monitoring's REST decoding is CPU-bound in its thread (see BENCHMARKS.md, Metrics): a per-call limit fit for a loaded machine. */
const CALL_TIMEOUT_MS = flag('call-timeout', 300) * 1000;

async function main() {
  const { discover } = await import(dist('discovery/engine.js'));
  const { createProviders } = await import(dist('discovery/session.js'));
  const { runOptimize } = await import(dist('optimize/run.js'));
  const { COST_METRIC_SOURCES } = await import(dist('optimize/readings.js'));
  const { loadCostCatalog } = await import(dist('rules/catalog.js'));
  const { DEFAULT_THRESHOLDS } = await import(dist('rules/cost.js'));
  const { resolveWindow } = await import(dist('metrics/window.js'));
  const { resourceRef } = await import(dist('model/metric.js'));
  const { createIo } = await import(dist('render/io.js'));
  const { CE_RESOURCE_PAGE_GROUPS } = await import(dist('sandbox/aws/costexplorer-resources.js'));
  const defaults = await import(dist('discovery/run.js'));

  const { child, info } = await serve(SIZE, ['--latency', String(LATENCY), '--throttle', '100:20']);
  const home = await mkdtemp(join(tmpdir(), 'guardian-bench-optimize-'));
  const session = sandboxSession(info);
  const rules = await loadCostCatalog();
  const now = new Date(Date.parse(info.now));
  const window = resolveWindow({ since: '14d', period: '3600' }, now.getTime());
  const io = createIo({ stdout: process.stdout, stderr: process.stderr, stdin: process.stdin }, { CI: '1' }, { quiet: true });
  // A fresh data directory per run: Cost Explorer's answers are cached on disk, and a timed run pays for them.
  const context = (dataDir) => ({
    io,
    signal: new AbortController().signal,
    env: { ...session.env, GUARDIAN_DATA_DIR: dataDir, GUARDIAN_CONFIG_DIR: join(home, 'config') },
    globals: { profile: 'bench' },
    cwd: home,
    now: () => now,
    openStore: async () => {
      throw new Error('the bench has no config store');
    },
    openSession: async () => session,
  });
  const request = {
    rules,
    thresholds: DEFAULT_THRESHOLDS,
    window,
    now,
    signal: new AbortController().signal,
    callTimeoutMs: CALL_TIMEOUT_MS,
    concurrency: defaults.DEFAULT_CONCURRENCY,
    scopeConcurrency: defaults.DEFAULT_SCOPE_CONCURRENCY,
  };
  // Warm-up: loads every SDK, builds the clients, fetches the tokens and lets the JIT settle.
  await runOptimize(context(join(home, 'warm')), request);
  const started = performance.now();
  const outcome = await runOptimize(context(join(home, 'timed')), request);
  const ms = performance.now() - started;
  if (!outcome.inventoryComplete || outcome.metricFailures.length > 0)
    throw new Error(
      `the optimize run was incomplete: ${outcome.inventoryErrors} listing error(s), metric failures ${JSON.stringify(outcome.metricFailures.slice(0, 2))}`,
    );
  if (outcome.billing.status !== 'read') throw new Error(`the bills were not read: ${JSON.stringify(outcome.billing)}`);

  // Discovery of the kinds optimize reads, its tasks' pages recorded for the bound.
  const kinds = [...new Set(rules.flatMap((rule) => [...rule.kinds, ...rule.reads]))];
  const providers = await createProviders(session, undefined, { callTimeoutMs: CALL_TIMEOUT_MS });
  const tasks = [];
  const discoveryStarted = performance.now();
  const found = await discover({
    providers,
    kinds,
    concurrency: defaults.DEFAULT_CONCURRENCY,
    scopeConcurrency: defaults.DEFAULT_SCOPE_CONCURRENCY,
    callTimeoutMs: CALL_TIMEOUT_MS,
    keep: true,
    signal: new AbortController().signal,
    onEvent: (event) => {
      if (event.type === 'task-done')
        tasks.push({
          cloud: event.scope.cloud,
          account: event.scope.account,
          region: event.scope.region,
          kind: event.kind,
          pages: event.pages,
        });
    },
  });
  const discoveryMs = performance.now() - discoveryStarted;
  const discovery = discoveryBound(tasks, found.resources, LATENCY);

  // The subjects optimize asks metrics for (as run.ts chooses them), and each cloud's plan of them.
  const metered = new Map();
  for (const rule of rules) {
    const sources = rule.metrics.flatMap((metric) => COST_METRIC_SOURCES[metric]);
    for (const kind of rule.kinds) if (sources.length) metered.set(kind, new Set([...(metered.get(kind) ?? []), ...sources]));
  }
  const stopped = (r) => ['stopped', 'deallocated', 'terminated', 'stopping'].includes(r.state?.toLowerCase() ?? '');
  const subjects = found.resources.filter((r) => metered.has(r.kind) && !stopped(r)).map(resourceRef);
  const points = (Date.parse(window.end) - Date.parse(window.start)) / 3_600_000;
  const query = {
    resources: subjects,
    metrics: [...new Set([...metered.values()].flatMap((set) => [...set]))],
    start: window.start,
    end: window.end,
    periodSeconds: 3600,
    stat: 'average',
  };
  const plans = await Promise.all(
    providers.map(async (p) => ({
      cloud: p.cloud,
      batches: (
        await p.metricPlan({ ...query, resources: subjects.filter((r) => r.cloud === p.cloud) }, { signal: new AbortController().signal })
      ).batches,
    })),
  );
  const PER_PAGE = { aws: 100_800, gcp: 100_000, azure: Number.POSITIVE_INFINITY };
  const pagesOf = (batch) => Math.max(1, Math.ceil((batch.items.length * points) / PER_PAGE[batch.items[0].resource.cloud]));
  // The fewest metric calls: CloudWatch ceil(queries / 500) per account × region (and no fewer than
  // its points need at 100,800 a response); Azure Monitor one per VM; Cloud Monitoring one filter
  // per project × metric type, no more instances a filter than a request URL carries.
  const awsScopes = new Map();
  const gcpGroups = new Map();
  let azureMin = 0;
  const gcpBatches = plans.find((p) => p.cloud === 'gcp')?.batches ?? [];
  const idsPerFilter = Math.max(1, ...gcpBatches.map((b) => b.items.length));
  for (const { cloud, batches } of plans) {
    for (const batch of batches) {
      for (const item of batch.items) {
        const r = item.resource;
        if (cloud === 'aws') {
          const key = `${r.account}|${r.region}`;
          awsScopes.set(key, (awsScopes.get(key) ?? 0) + 1);
        } else if (cloud === 'gcp') {
          const key = `${r.account}|${item.metric}`;
          gcpGroups.set(key, (gcpGroups.get(key) ?? 0) + 1);
        }
      }
      if (cloud === 'azure') azureMin += new Set(batch.items.map((i) => i.resource.id)).size;
    }
  }
  let awsMin = 0;
  for (const queries of awsScopes.values()) awsMin += Math.max(Math.ceil(queries / 500), Math.ceil((queries * points) / 100_800));
  let gcpMin = 0;
  for (const instances of gcpGroups.values())
    gcpMin += Math.max(1, Math.ceil((instances * points) / 100_000), Math.ceil(instances / idsPerFilter));
  const minimum = awsMin + azureMin + gcpMin;

  // After discovery: the metric batches' longest chain (the providers' session set-up, then a
  // batch's pages) beside the bills' (GetCallerIdentity, then every page of resource-level data).
  const SETUP = { aws: 2, azure: 1, gcp: 0 };
  const metricChains = plans.map(({ cloud, batches }) => ({ cloud, calls: SETUP[cloud] + Math.max(0, ...batches.map(pagesOf)) }));
  const metricChain = metricChains.reduce((a, b) => (b.calls > a.calls ? b : a));
  const billPages = Math.max(1, Math.ceil((outcome.billing.resources * 14) / CE_RESOURCE_PAGE_GROUPS));
  const billChain = 1 + billPages;
  const after = Math.max(metricChain.calls, billChain) * LATENCY;
  const bound = discovery.bound + after;

  // Where the time goes: each part alone, on the same providers (tokens and clients warm).
  const { readMetrics } = await import(dist('metrics/run.js'));
  const metricsStarted = performance.now();
  await readMetrics(providers, {
    ...query,
    signal: new AbortController().signal,
    callTimeoutMs: CALL_TIMEOUT_MS,
    concurrency: defaults.DEFAULT_CONCURRENCY,
    scopeConcurrency: defaults.DEFAULT_SCOPE_CONCURRENCY,
  });
  const metricsMs = performance.now() - metricsStarted;
  const aws = providers.find((p) => p.cloud === 'aws');
  const billsStarted = performance.now();
  await aws.resourceCosts(
    { ...outcome.billing.window, kinds: [...new Set(outcome.resources.filter((r) => r.cloud === 'aws').map((r) => r.kind))] },
    { signal: new AbortController().signal },
  );
  const billsMs = performance.now() - billsStarted;

  const stats = outcome.metricStats;
  console.log(
    `estate: ${SIZE} resources; ${outcome.resources.length} discovered of the kinds the cost rules read; ${subjects.length} asked for metrics (${points} hourly points each); latency ${LATENCY} ms; token bucket 100:20 per account × region`,
  );
  console.log(
    `recommendations: ${outcome.recommendations.length} (${outcome.billing.rows} billed from ${outcome.billing.resources} resources' bills, ${outcome.billing.requests?.paidRequests} Cost Explorer requests)`,
  );
  console.log(
    `discovery bound: ${discovery.chains.map((c) => `${c.cloud} ${c.calls} calls`).join(', ')} → ${discovery.longest.calls} × ${LATENCY} ms = ${discovery.latencyBound} ms; token-bucket floor ${discovery.bucketFloor.toFixed(0)} ms → ${discovery.bound.toFixed(0)} ms`,
  );
  console.log(
    `after discovery: metric chain ${metricChains.map((c) => `${c.cloud} ${c.calls}`).join(', ')} calls; bills ${billChain} calls (GetCallerIdentity + ${billPages} pages) → ${Math.max(metricChain.calls, billChain)} × ${LATENCY} ms = ${after} ms`,
  );
  console.log(`bound: ${bound.toFixed(0)} ms`);
  console.log(`guardian optimize: ${ms.toFixed(0)} ms`);
  console.log(`guardian / bound: ${(ms / bound).toFixed(2)}×`);
  console.log(
    `metric calls: ${stats.pages} pages answered, ${stats.calls} attempts (${stats.retries} retries, ${stats.throttled} throttled) in ${stats.batches} batches; minimum ${minimum} (aws ${awsMin}: ceil(queries/500) per account × region, azure ${azureMin}: one per VM, gcp ${gcpMin}: per project × metric type, ≤ ${idsPerFilter} instances a filter)`,
  );
  console.log(`metric calls / minimum: ${(stats.pages / minimum).toFixed(2)}×`);
  console.log(
    `each part alone, warm: discovery of the rules' kinds ${discoveryMs.toFixed(0)} ms, the metrics read ${metricsMs.toFixed(0)} ms, the bills (uncached) ${billsMs.toFixed(0)} ms`,
  );
  await Promise.all(providers.map((p) => p.close?.()));
  await stop(child);
  await rm(home, { recursive: true, force: true });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
