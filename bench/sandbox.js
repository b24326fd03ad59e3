// How many DescribeInstances pages of 1,000 the sandbox serves per second, with latency off,
// to several concurrent callers using the official EC2 client (each caller in its own worker
// thread, so the server's thread does nothing but serve). Also prints the CPU each side spends
// per page: the ratio says how much more work a client does parsing a page than the server does
// producing it, i.e. why the server is not what limits a discovery run.
//
//   npm run build && npm run bench:sandbox -- [--size 200000] [--callers 4] [--seconds 10]

import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';

const DAY = '2026-11-25';

function flag(name, fallback) {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? Number(process.argv[at + 1]) : fallback;
}

async function caller({ endpoint, region, credentials, seconds, pageSize }) {
  const { EC2Client, DescribeInstancesCommand } = await import('@aws-sdk/client-ec2');
  const client = new EC2Client({ endpoint, region, credentials, maxAttempts: 1 });
  let token;
  const page = async () => {
    const result = await client.send(new DescribeInstancesCommand({ MaxResults: pageSize, NextToken: token }));
    token = result.NextToken;
    let instances = 0;
    for (const reservation of result.Reservations ?? []) instances += reservation.Instances?.length ?? 0;
    return instances;
  };
  // Warm up (module loading, JIT, the server's first-use work) before the timed window opens.
  await page();
  await page();
  parentPort.postMessage({ ready: true });
  await new Promise((resolve) => parentPort.once('message', resolve));
  const cpu0 = process.threadCpuUsage();
  const end = performance.now() + seconds * 1000;
  let pages = 0;
  let instances = 0;
  while (performance.now() < end) {
    instances += await page();
    pages += 1;
  }
  const cpu = process.threadCpuUsage(cpu0);
  parentPort.postMessage({ pages, instances, cpuMs: (cpu.user + cpu.system) / 1000 });
}

async function main() {
  const size = flag('size', 200_000);
  const callers = flag('callers', 4);
  const seconds = flag('seconds', 10);
  const pageSize = 1000;
  const { createSandbox } = await import('../dist/src/sandbox/index.js');
  const t0 = performance.now();
  const sandbox = await createSandbox({ seed: 42, size, now: DAY });
  const startMs = performance.now() - t0;
  // The account × region with the most instances, so every page is a full 1,000.
  const counts = new Map();
  for (const r of sandbox.estate.resources) {
    if (r.kind !== 'aws.ec2.instance') continue;
    const key = `${r.account}|${r.region}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const [bestKey, bestCount] = [...counts.entries()].sort((a, b) => b[1] - a[1])[0];
  const [accountId, region] = bestKey.split('|');
  const account = sandbox.estate.aws.accounts.find((a) => a.id === accountId);
  const credentials = { accessKeyId: account.accessKeyId, secretAccessKey: account.secretAccessKey };
  const workers = Array.from(
    { length: callers },
    () => new Worker(new URL(import.meta.url), { workerData: { endpoint: sandbox.awsOrigin, region, credentials, seconds, pageSize } }),
  );
  const next = (worker) =>
    new Promise((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
  await Promise.all(workers.map(next));
  const cpu0 = process.threadCpuUsage();
  const wall0 = performance.now();
  const done = workers.map(next);
  for (const worker of workers) worker.postMessage('go');
  const results = await Promise.all(done);
  const wallS = (performance.now() - wall0) / 1000;
  const serverCpu = process.threadCpuUsage(cpu0);
  await sandbox.close();
  const pages = results.reduce((sum, r) => sum + r.pages, 0);
  const instances = results.reduce((sum, r) => sum + r.instances, 0);
  const clientCpuMs = results.reduce((sum, r) => sum + r.cpuMs, 0);
  const serverCpuMs = (serverCpu.user + serverCpu.system) / 1000;
  const perPageServer = serverCpuMs / pages;
  const perPageClient = clientCpuMs / pages;
  console.log(`estate: ${size.toLocaleString('en-US')} resources (seed 42, ${DAY}), sandbox up in ${startMs.toFixed(0)} ms`);
  console.log(
    `scope: ${account.name} ${region}, ${bestCount.toLocaleString('en-US')} instances; ${callers} callers for ${seconds} s, MaxResults=${pageSize}`,
  );
  console.log(
    `pages served: ${pages} in ${wallS.toFixed(1)} s = ${(pages / wallS).toFixed(1)} pages/s (${Math.round(instances / wallS).toLocaleString('en-US')} instances/s)`,
  );
  console.log(
    `CPU per page: server ${perPageServer.toFixed(1)} ms, EC2 client ${perPageClient.toFixed(1)} ms (client/server ratio ${(perPageClient / perPageServer).toFixed(1)}×)`,
  );
  console.log(
    `server ceiling on one core: ${(1000 / perPageServer).toFixed(1)} pages/s; one client on one core: ${(1000 / perPageClient).toFixed(1)} pages/s`,
  );
}

if (isMainThread) await main();
else await caller(workerData);
