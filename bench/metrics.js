// Metrics for every machine of a 10,000-resource estate (14 days of 5-minute points) against the
// sandbox, with 100 ms of latency on every request and EC2's token bucket (100 tokens, 20/s per
// account × region), as bench/discovery.js runs discovery. Measured in one run: the calls Guardian
// made per cloud against the fewest each API allows, and the wall time against the physical bound
// computed the way bench/discovery.js computes it (the longest chain of calls that must follow one
// another × the latency, or the token bucket's floor where that is longer).
// Usage: npm run build && npm run bench:metrics [-- --size 10000 --days 14 --latency 100 --runs 1]
// (the process CPU it prints counts every thread: main and the three provider threads)

import { dist, flag, median, sandboxSession, serve, stop } from './harness.js';

const SIZE = flag('size', 10_000);
const DAYS = flag('days', 14);
const LATENCY = flag('latency', 100);
const RUNS = flag('runs', 1);
const PERIOD = 300;
/** A 100,800-point page takes seconds of CPU to serialise and parse: a per-call limit fit for that. */
const CALL_TIMEOUT_MS = flag('call-timeout', 300) * 1000;

async function main() {
  const { discover } = await import(dist('discovery/engine.js'));
  const { createProviders } = await import(dist('discovery/session.js'));
  const { readMetrics } = await import(dist('metrics/run.js'));
  const { METERED_KINDS, KIND_METRICS, resourceRef } = await import(dist('model/metric.js'));
  const defaults = await import(dist('discovery/run.js'));
  const CONCURRENCY = flag('concurrency', defaults.DEFAULT_CONCURRENCY);
  const SCOPE_CONCURRENCY = flag('scope-concurrency', defaults.DEFAULT_SCOPE_CONCURRENCY);

  const { child, info } = await serve(SIZE, ['--latency', String(LATENCY), '--throttle', '100:20']);
  const session = sandboxSession(info);
  // The clients' own timeouts are the bench's per-call limit too: a page waiting for its thread to
  // finish parsing another must not time out inside the SDK sooner than the engine would let it.
  const providers = await createProviders(session, undefined, { callTimeoutMs: CALL_TIMEOUT_MS });
  // The machines, as `guardian metrics` finds them: a discovery of the metered kinds.
  const found = await discover({
    providers,
    kinds: METERED_KINDS,
    concurrency: CONCURRENCY,
    scopeConcurrency: SCOPE_CONCURRENCY,
    callTimeoutMs: 60_000,
    signal: new AbortController().signal,
  });
  if (found.errors.length > 0) throw new Error(`discovery failed: ${JSON.stringify(found.errors[0])}`);
  const resources = found.resources.map(resourceRef);
  const nowMs = Date.parse(info.now) + 86_400_000 - 3_600_000;
  const end = Math.floor(nowMs / (PERIOD * 1000)) * PERIOD * 1000;
  const start = end - DAYS * 86_400_000;
  const request = {
    resources,
    start: new Date(start).toISOString(),
    end: new Date(end).toISOString(),
    periodSeconds: PERIOD,
    stat: 'average',
    callTimeoutMs: CALL_TIMEOUT_MS,
    concurrency: CONCURRENCY,
    scopeConcurrency: SCOPE_CONCURRENCY,
  };
  // Warm-up on one hour: loads the monitoring SDKs in the provider threads and fetches the tokens.
  await readMetrics(providers, { ...request, start: new Date(end - 3_600_000).toISOString(), signal: new AbortController().signal });

  // Pages answered so far, on stderr every minute: a long run says how far it got.
  const answered = { aws: 0, azure: 0, gcp: 0 };
  for (const provider of providers) {
    const read = provider.metrics;
    provider.metrics = async (...args) => {
      const page = await read.apply(provider, args);
      answered[provider.cloud] += 1;
      return page;
    };
  }
  const runs = [];
  for (let i = 0; i < RUNS; i++) {
    const cpu = process.cpuUsage();
    const started = performance.now();
    const progress = setInterval(() => {
      const s = ((performance.now() - started) / 1000).toFixed(0);
      console.error(`${s} s: pages answered aws ${answered.aws}, azure ${answered.azure}, gcp ${answered.gcp}`);
    }, 60_000);
    const outcome = await readMetrics(providers, { ...request, signal: new AbortController().signal }).finally(() =>
      clearInterval(progress),
    );
    const ms = performance.now() - started;
    const used = process.cpuUsage(cpu);
    if (outcome.failures.length > 0) throw new Error(`metrics run failed: ${JSON.stringify(outcome.failures[0])}`);
    runs.push({ ms, outcome, cpuMs: (used.user + used.system) / 1000, heapMb: process.memoryUsage().heapUsed / 2 ** 20 });
  }
  const last = runs.at(-1).outcome;

  // The fewest calls each API allows for these series.
  const byKind = {};
  for (const r of resources) byKind[r.kind] = (byKind[r.kind] ?? 0) + 1;
  const pointsOf = new Map(last.series.map((s) => [`${s.resource.id}|${s.metric}`, s.points.length]));
  // CloudWatch: per account × region, ceil(queries / 500), and never fewer than the points allow
  // one response to carry (100,800).
  const awsScopes = new Map();
  for (const r of resources) {
    if (r.cloud !== 'aws') continue;
    const key = `${r.account}|${r.region}`;
    const scope = awsScopes.get(key) ?? { queries: 0, points: 0 };
    for (const metric of KIND_METRICS[r.kind]) {
      if (metric === 'memory') continue;
      scope.queries += 1;
      scope.points += pointsOf.get(`${r.id}|${metric}`) ?? 0;
    }
    awsScopes.set(key, scope);
  }
  let cwByQueries = 0;
  let cwByBoth = 0;
  for (const { queries, points } of awsScopes.values()) {
    cwByQueries += Math.ceil(queries / 500);
    cwByBoth += Math.max(Math.ceil(queries / 500), Math.ceil(points / 100_800));
  }
  // Azure Monitor: metrics.list answers for one resource a request (up to 20 metric names).
  const azureMin = byKind['azure.compute.vm'] ?? 0;
  // Cloud Monitoring: one metric type per filter, per project; at most 100,000 points a page. And
  // a filter names only so many instances (as many as a request URL carries: the plan's largest
  // batch says how many), which can raise the minimum where a project has more.
  const gcpGroups = new Map();
  for (const r of resources) {
    if (r.cloud !== 'gcp') continue;
    for (const metric of KIND_METRICS[r.kind]) {
      if (metric === 'memory') continue;
      const key = `${r.account}|${metric}`;
      const group = gcpGroups.get(key) ?? { points: 0, instances: 0 };
      group.points += pointsOf.get(`${r.id}|${metric}`) ?? 0;
      group.instances += 1;
      gcpGroups.set(key, group);
    }
  }

  // The physical bound, as bench/discovery.js computes it. The longest chain of calls that must
  // follow one another: AWS GetCallerIdentity → AssumeRole (members) → a batch's pages; Azure the
  // Entra token → one call; GCP one chain of pages per batch (self-signed JWT: no token call).
  // Pages of one batch follow one another (each needs the NextToken of the one before).
  const plans = await Promise.all(
    providers.map(async (p) => {
      const plan = await p.metricPlan(
        { ...request, resources: resources.filter((r) => r.cloud === p.cloud) },
        { signal: new AbortController().signal },
      );
      return { cloud: p.cloud, batches: plan.batches };
    }),
  );
  const gcpBatches = plans.find((p) => p.cloud === 'gcp')?.batches ?? [];
  const idsPerFilter = Math.max(1, ...gcpBatches.map((b) => b.items.length));
  let gcpMin = 0;
  let gcpMinFiltered = 0;
  for (const { points, instances } of gcpGroups.values()) {
    gcpMin += Math.max(1, Math.ceil(points / 100_000));
    gcpMinFiltered += Math.max(1, Math.ceil(points / 100_000), Math.ceil(instances / idsPerFilter));
  }
  const pagesOfBatch = (batch) => {
    let points = 0;
    for (const item of batch.items) points += pointsOf.get(`${item.resource.id}|${item.metric}`) ?? 0;
    const perPage = batch.items[0].resource.cloud === 'aws' ? 100_800 : batch.items[0].resource.cloud === 'gcp' ? 100_000 : Infinity;
    return Math.max(1, Math.ceil(points / perPage));
  };
  const SETUP = { aws: 2, azure: 1, gcp: 0 };
  const chains = plans.map(({ cloud, batches }) => ({ cloud, calls: SETUP[cloud] + Math.max(...batches.map(pagesOfBatch)) }));
  const longest = chains.reduce((a, b) => (b.calls > a.calls ? b : a));
  const latencyBound = longest.calls * LATENCY;
  // Token bucket floor: the busiest account × region (Azure: subscription × location) waits
  // (calls − 100) / 20 s once it has spent its burst.
  const callsByBucket = new Map();
  for (const { batches } of plans) {
    for (const batch of batches) {
      const r = batch.items[0].resource;
      const key = `${r.cloud}|${r.account}|${r.cloud === 'gcp' ? 'global' : r.region}`;
      callsByBucket.set(key, (callsByBucket.get(key) ?? 0) + pagesOfBatch(batch));
    }
  }
  const busiest = Math.max(...callsByBucket.values());
  const bucketFloor = Math.max(0, (busiest - 100) / 20) * 1000;
  const bound = Math.max(latencyBound, bucketFloor);

  const g = median(runs.map((r) => r.ms));
  const calls = last.pagesByCloud;
  const attempts = last.callsByCloud;
  console.log(
    `estate: ${SIZE} resources, ${resources.length} machines (${Object.entries(byKind)
      .map(([k, n]) => `${n} ${k}`)
      .join(', ')}); ${DAYS} days of ${PERIOD}-second points; latency ${LATENCY} ms; token bucket 100:20 per account × region`,
  );
  console.log(`series read: ${last.series.length}; points: ${last.stats.points.toLocaleString('en-US')}; no data: ${last.noData.length}`);
  console.log(
    `calls (pages answered): aws ${calls.aws ?? 0} (minimum ${cwByBoth}: ceil(queries/500) per account × region = ${cwByQueries}, raised where a scope has more than 100,800 points a request), ` +
      `azure ${calls.azure ?? 0} (minimum ${azureMin}: one per VM), gcp ${calls.gcp ?? 0} (minimum ${gcpMin}: ceil(points/100,000) per project × metric; ${gcpMinFiltered} with at most ${idsPerFilter} instances a filter)`,
  );
  console.log(
    `attempts (retries included): aws ${attempts.aws ?? 0}, azure ${attempts.azure ?? 0}, gcp ${attempts.gcp ?? 0}; retries: ${last.stats.retries}, throttled: ${last.stats.throttled}`,
  );
  console.log(
    `critical path: ${chains.map((c) => `${c.cloud} ${c.calls} calls`).join(', ')} → ${longest.calls} × ${LATENCY} ms = ${latencyBound} ms`,
  );
  console.log(`token-bucket floor: the busiest bucket makes ${busiest} calls → ${bucketFloor.toFixed(0)} ms`);
  console.log(`bound: ${bound.toFixed(0)} ms`);
  console.log(
    `guardian (concurrency ${CONCURRENCY}): median ${g.toFixed(0)} ms of ${RUNS} run(s) (${runs.map((r) => r.ms.toFixed(0)).join(', ')}); main-thread CPU ${runs.map((r) => r.cpuMs.toFixed(0)).join(', ')} ms`,
  );
  console.log(`guardian / bound: ${(g / bound).toFixed(2)}×`);
  console.log(`main-thread heap holding the series: ${runs.map((r) => r.heapMb.toFixed(0)).join(', ')} MB`);
  await Promise.all(providers.map((p) => p.close?.()));
  await stop(child);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
