// What the benchmarks share: numeric flags, the built entry and modules, and a sandbox started in a
// process of its own (`guardian sandbox serve`), so its CPU is not counted as the code under test's.

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);

/** `--name N` from the command line, or the fallback. */
export function flag(name, fallback) {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
}

export const entry = fileURLToPath(new URL('../dist/bin/guardian.js', import.meta.url));

/** The URL of a built module under dist/src. */
export const dist = (path) => new URL(`../dist/src/${path}`, import.meta.url).href;

/**
 * Start `guardian sandbox serve` in its own process and read the endpoints it prints. Node flags
 * for that process come from BENCH_SANDBOX_NODE_FLAGS (space-separated), to profile the sandbox
 * apart from the client: BENCH_SANDBOX_NODE_FLAGS='--cpu-prof --cpu-prof-dir=/tmp/sandbox-prof'.
 */
export async function serve(size, extra = []) {
  const nodeFlags = (process.env.BENCH_SANDBOX_NODE_FLAGS ?? '').split(' ').filter(Boolean);
  const child = spawn(
    process.execPath,
    [...nodeFlags, entry, 'sandbox', 'serve', '--port', '0', '--json', '--size', String(size), ...extra],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1' },
    },
  );
  let text = '';
  child.stdout.setEncoding('utf8');
  for await (const chunk of child.stdout) {
    text += chunk;
    try {
      return { child, info: JSON.parse(text) };
    } catch {}
  }
  throw new Error(`sandbox serve exited: ${text}`);
}

/** A session on the served sandbox's profile and AWS files, as `openSession` gives the engine one. */
export function sandboxSession(info) {
  return {
    profileName: 'bench',
    profile: info.profile,
    env: { ...process.env, AWS_CONFIG_FILE: info.files.awsConfig, AWS_SHARED_CREDENTIALS_FILE: info.files.awsCredentials },
    ambient: false,
    close: async () => {},
  };
}

export async function stop(child) {
  child.kill('SIGINT');
  await once(child, 'exit');
}

export const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/**
 * Discovery's physical bound for a run's tasks (each { cloud, account, region, kind, pages }) and
 * resources: the longest chain of calls that must follow one another × the latency, or the token
 * bucket's floor where that is longer. bench/discovery.js and bench/optimize.js share it.
 */
export function discoveryBound(tasks, resources, latency) {
  // The physical bound: the longest chain of calls that must follow one another, times the
  // latency, or the token bucket's floor where that is longer. Every timed run repeats the scope
  // listing (AWS: GetCallerIdentity → ListAccounts → AssumeRole → DescribeRegions; Azure: the
  // subscriptions list; GCP: projects.get), then each task's chain of pages. Some pages need a
  // second round of per-page or per-item calls, counted as if all of that round ran at once: S3
  // (each bucket's encryption, public access block, versioning, tags), load balancers (listeners),
  // EBS snapshots (which of the page are public). Azure VMs and public IPs need the subscription's
  // NIC and public-IP lists (100 per page) before their first page can be linked.
  const SCOPE_DEPTH = { aws: 4, azure: 1, gcp: 1 };
  const TWO_ROUNDS = new Set(['aws.s3.bucket', 'aws.elbv2.load-balancer', 'aws.ec2.snapshot']);
  const perSubscription = new Map();
  for (const r of resources) {
    if (r.cloud !== 'azure') continue;
    const entry = perSubscription.get(r.account) ?? { vms: 0, ips: 0 };
    if (r.kind === 'azure.compute.vm') entry.vms += 1;
    if (r.kind === 'azure.network.public-ip') entry.ips += 1;
    perSubscription.set(r.account, entry);
  }
  const linkPages = (account) => {
    const { vms, ips } = perSubscription.get(account) ?? { vms: 0, ips: 0 };
    return Math.max(1, Math.ceil(vms / 100), Math.ceil(ips / 100));
  };
  const chainOf = (task) => {
    if (task.kind === 'azure.compute.vm') return linkPages(task.account) + task.pages - 1;
    if (task.kind === 'azure.network.public-ip') return Math.max(linkPages(task.account), task.pages);
    return task.pages * (TWO_ROUNDS.has(task.kind) ? 2 : 1);
  };
  const byCloud = {};
  for (const task of tasks) byCloud[task.cloud] = Math.max(byCloud[task.cloud] ?? 0, chainOf(task));
  const chains = Object.entries(byCloud).map(([cloud, depth]) => ({ cloud, calls: SCOPE_DEPTH[cloud] + depth }));
  const longest = chains.reduce((a, b) => (b.calls > a.calls ? b : a));
  const latencyBound = longest.calls * latency;
  // Token bucket floor: an account × region that needs more calls than the burst waits
  // (calls − 100) / 20 s. Calls per AWS region scope: one per page, two for two-round pages.
  const callsByScope = new Map();
  for (const task of tasks) {
    if (task.cloud !== 'aws') continue;
    const key = `${task.account}|${task.region}`;
    callsByScope.set(key, (callsByScope.get(key) ?? 0) + task.pages * (TWO_ROUNDS.has(task.kind) ? 2 : 1));
  }
  const callsPerScope = Math.max(...callsByScope.values());
  const bucketFloor = Math.max(0, (callsPerScope - 100) / 20) * 1000;
  const bound = Math.max(latencyBound, bucketFloor);

  return { chains, longest, latencyBound, callsPerScope, bucketFloor, bound };
}
