// Start-up cost: median wall time of `guardian --help` against `node -e 0` on the same Node binary,
// runs interleaved so both see the same machine load. Target: at most 2.5×.
// Usage: npm run bench:startup [-- --runs 30]

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const TARGET = 2.5;
const entry = fileURLToPath(new URL('../dist/bin/guardian.js', import.meta.url));
const runsFlag = process.argv.indexOf('--runs');
const runs = runsFlag > 0 ? Number(process.argv[runsFlag + 1]) : 30;

if (!existsSync(entry)) {
  console.error(`bench: ${entry} is missing; run npm run build first`);
  process.exit(2);
}

function time(args) {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  const elapsed = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0) throw new Error(`${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  return elapsed;
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

// Warm the OS file cache and Node's compile cache before measuring.
for (let i = 0; i < 3; i++) {
  time(['-e', '0']);
  time([entry, '--help']);
}

const bare = [];
const guardian = [];
for (let i = 0; i < runs; i++) {
  bare.push(time(['-e', '0']));
  guardian.push(time([entry, '--help']));
}

const bareMedian = median(bare);
const guardianMedian = median(guardian);
const ratio = guardianMedian / bareMedian;
console.log(`node ${process.version}, ${runs} interleaved runs each`);
console.log(`node -e 0          median ${bareMedian.toFixed(1)} ms`);
console.log(`guardian --help    median ${guardianMedian.toFixed(1)} ms`);
console.log(`ratio              ${ratio.toFixed(2)}x (target <= ${TARGET}x) ${ratio <= TARGET ? 'OK' : 'OVER'}`);
if (process.argv.includes('--json')) {
  console.log(JSON.stringify({ runs, node: process.version, bareMs: bareMedian, guardianMs: guardianMedian, ratio, target: TARGET }));
}
