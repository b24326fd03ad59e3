// Discovery throughput against the sandbox: 10,000 resources over the three clouds, 100 ms of
// injected latency on every request and EC2's published token bucket (100 tokens, refilled at
// 20/s, per account × region). Measured in one run: Guardian at its default concurrency, the same
// engine at concurrency 1 (the sequential way), and the physical bound. Also the peak RSS of a
// `guardian discover` process over a 100,000-resource estate.
// Usage: npm run build && npm run bench:discovery [-- --size 10000 --latency 100 --runs 3]

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { discoveryBound, dist, entry, flag, median, sandboxSession, serve, stop } from './harness.js';

const SIZE = flag('size', 10_000);
const LATENCY = flag('latency', 100);
const RUNS = flag('runs', 3);
const RSS_SIZE = flag('rss-size', 100_000);

async function main() {
  const { discover } = await import(dist('discovery/engine.js'));
  const { createProviders } = await import(dist('discovery/session.js'));
  const defaults = await import(dist('discovery/run.js'));
  const DEFAULT_CONCURRENCY = flag('concurrency', defaults.DEFAULT_CONCURRENCY);
  const DEFAULT_SCOPE_CONCURRENCY = flag('scope-concurrency', defaults.DEFAULT_SCOPE_CONCURRENCY);

  const { child, info } = await serve(SIZE, ['--latency', String(LATENCY), '--throttle', '100:20']);
  const session = sandboxSession(info);
  const providers = await createProviders(session, undefined, { callTimeoutMs: 30_000 });
  // Timed runs hold no resources, as `guardian discover` does (it streams them to the snapshot);
  // the warm-up keeps them to count each Azure subscription's VMs and public IPs for the bound.
  const run = async (concurrency, keep = false) => {
    const tasks = [];
    const finished = {};
    const cpu = process.cpuUsage();
    const started = performance.now();
    const result = await discover({
      providers,
      concurrency,
      scopeConcurrency: Math.min(concurrency, DEFAULT_SCOPE_CONCURRENCY),
      callTimeoutMs: 30_000,
      keep,
      signal: new AbortController().signal,
      onEvent: (event) => {
        if (event.type === 'task-done') finished[event.scope.cloud] = performance.now() - started;
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
    const ms = performance.now() - started;
    if (result.errors.length > 0) throw new Error(`bench run failed: ${JSON.stringify(result.errors[0])}`);
    const used = process.cpuUsage(cpu);
    return { ms, result, tasks, finished, cpuMs: (used.user + used.system) / 1000 };
  };
  // Warm-up: loads every SDK, builds every client, fetches every token and lets the JIT settle,
  // so the timed runs measure the engine and the wire, not module loading.
  let warm;
  for (let i = 0; i < flag('warmups', 3); i++) warm = await run(DEFAULT_CONCURRENCY, true);
  console.log(`warm-up: ${warm.result.resources.length} resources in ${(warm.ms / 1000).toFixed(2)} s`);
  if (warm.result.resources.length !== SIZE) throw new Error(`expected ${SIZE} resources, got ${warm.result.resources.length}`);

  const guardian = [];
  const lastFinish = [];
  for (let i = 0; i < RUNS; i++) {
    const timed = await run(DEFAULT_CONCURRENCY);
    guardian.push(timed.ms);
    lastFinish.push({ ...timed.finished, cpu: timed.cpuMs, throttled: timed.result.stats.throttled });
  }
  const sequential = await run(1);

  const { chains, longest, latencyBound, callsPerScope, bucketFloor, bound } = discoveryBound(warm.tasks, warm.result.resources, LATENCY);

  const g = median(guardian);
  console.log(`\nestate: ${SIZE} resources; latency ${LATENCY} ms per request; EC2 token bucket 100 tokens, 20/s per account × region`);
  console.log(
    `critical path: ${chains.map((c) => `${c.cloud} ${c.calls} calls`).join(', ')} → longest ${longest.calls} × ${LATENCY} ms = ${latencyBound} ms`,
  );
  console.log(`token-bucket floor: the busiest AWS account × region makes ${callsPerScope} calls → ${bucketFloor.toFixed(0)} ms`);
  console.log(`bound: ${bound.toFixed(0)} ms`);
  console.log(
    `guardian (concurrency ${DEFAULT_CONCURRENCY}): median ${g.toFixed(0)} ms of ${RUNS} runs (${guardian.map((v) => v.toFixed(0)).join(', ')})`,
  );
  console.log(
    `  each cloud's last listing ended at: ${lastFinish
      .map((f) =>
        Object.entries(f)
          .map(([c, t]) => `${c} ${t.toFixed(0)}`)
          .join(' '),
      )
      .join(' | ')} ms`,
  );
  console.log('  (cpu: main-thread and provider-thread CPU of the process; throttled: calls the token bucket refused)');
  console.log(`sequential (concurrency 1): ${sequential.ms.toFixed(0)} ms`);
  console.log(`guardian / bound: ${(g / bound).toFixed(2)}× (target ≤ 1.3×)`);
  console.log(`sequential / guardian: ${(sequential.ms / g).toFixed(1)}× (target ≥ 10×)`);
  await Promise.all(providers.map((p) => p.close?.()));
  await stop(child);

  if (RSS_SIZE > 0) {
    const big = await serve(RSS_SIZE);
    const profileDir = await import('node:fs/promises').then((fs) => fs.mkdtemp('/tmp/guardian-bench-'));
    const env = {
      ...process.env,
      NO_COLOR: '1',
      GUARDIAN_CONFIG_DIR: `${profileDir}/config`,
      GUARDIAN_DATA_DIR: `${profileDir}/data`,
      AWS_CONFIG_FILE: big.info.files.awsConfig,
      AWS_SHARED_CREDENTIALS_FILE: big.info.files.awsCredentials,
    };
    const set = async (key, value) => {
      const c = spawn(
        process.execPath,
        [entry, '--profile', 'bench', 'config', 'set', key, value, ...(key.endsWith('Secret') ? ['--secret'] : [])],
        { env, stdio: 'ignore' },
      );
      await once(c, 'exit');
    };
    const p = big.info.profile;
    await set('aws.profiles', p.aws.profiles.join(','));
    await set('aws.assumeRole', p.aws.assumeRole);
    await set('aws.endpoint', p.aws.endpoint);
    for (const key of ['auth', 'tenantId', 'clientId', 'clientSecret', 'authorityHost', 'endpoint', 'caFile'])
      await set(`azure.${key}`, p.azure[key]);
    await set('gcp.projects', p.gcp.projects.join(','));
    await set('gcp.keyFile', p.gcp.keyFile);
    await set('gcp.endpoint', p.gcp.endpoint);
    const started = performance.now();
    const d = spawn(
      '/usr/bin/time',
      ['-f', '%M', process.execPath, entry, '--profile', 'bench', 'discover', '-q', '--output', 'ndjson', '--no-save'],
      {
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let lines = 0;
    d.stdout.on('data', (chunk) => {
      for (const byte of chunk) if (byte === 10) lines += 1;
    });
    let err = '';
    d.stderr.on('data', (chunk) => (err += chunk));
    const [code] = await once(d, 'exit');
    const rssKb = Number(err.trim().split('\n').at(-1));
    console.log(
      `\npeak RSS, guardian discover over ${RSS_SIZE.toLocaleString('en-US')} resources (sandbox in its own process): ${(rssKb / 1024).toFixed(0)} MB (target ≤ 300 MB); ${lines} resources in ${((performance.now() - started) / 1000).toFixed(1)} s, exit ${code}`,
    );
    await stop(big.child);
  }
}

await main();
