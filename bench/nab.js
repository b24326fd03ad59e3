// The Numenta Anomaly Benchmark: Guardian's streaming detector over NAB's 58 labelled series,
// scored the way NAB scores (src/predict/anomaly/nab.ts), beside the published scoreboard. Checks
// the scorer first: the null detector must score 0 and the perfect one 100 on every profile, and
// the null detector's raw scores must be the ones NAB published (config/thresholds.json).
// Usage: npm run build && npm run bench:nab [-- --data DIR] [-- --results DIR] [-- --detector JSON]
//   --data DIR      NAB's data, labels, config and results (default ../shared/data/nab)
//   --results DIR   also write NAB's results layout: DIR/guardian/<category>/guardian_<file>.csv
//   --detector JSON detector options to try instead of the defaults (e.g. '{"restPeriod":50}')

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dist } from './harness.js';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const root = fileURLToPath(new URL('..', import.meta.url));
const DATA = resolve(root, option('data', '../shared/data/nab'));
const RESULTS = option('results', undefined);
const DETECTOR = JSON.parse(option('detector', '{}'));
const PROFILES = ['standard', 'reward_low_FP_rate', 'reward_low_FN_rate'];
const BOARD = [
  'ARTime',
  'numenta',
  'contextOSE',
  'htmjava',
  'earthgeckoSkyline',
  'knncad',
  'relativeEntropy',
  'randomCutForest',
  'twitterADVec',
  'windowedGaussian',
  'null',
];

/** NAB's timestamps are "YYYY-MM-DD hh:mm:ss" in UTC (windows add ".000000"). */
const epoch = (text) => Date.parse(`${text.slice(0, 19).replace(' ', 'T')}Z`);

function readCorpus() {
  const windows = JSON.parse(readFileSync(join(DATA, 'labels/combined_windows.json'), 'utf8'));
  const files = [];
  for (const name of Object.keys(windows).sort()) {
    const lines = readFileSync(join(DATA, 'data', name), 'utf8')
      .trim()
      .split('\n')
      .slice(1);
    const rows = lines.map((line) => {
      const [stamp, value] = line.split(',');
      return { stamp, value };
    });
    files.push({
      name,
      rows,
      timestamps: rows.map((r) => epoch(r.stamp)),
      values: rows.map((r) => Number(r.value)),
      windows: windows[name].map(([a, b]) => [epoch(a), epoch(b)]),
    });
  }
  return files;
}

function writeResults(dir, files, scores) {
  for (const [i, file] of files.entries()) {
    const [category, base] = file.name.split('/');
    const out = join(dir, 'guardian', category);
    mkdirSync(out, { recursive: true });
    const lines = ['timestamp,value,anomaly_score,label'];
    file.rows.forEach((row, r) => {
      const t = file.timestamps[r];
      const label = file.windows.some(([a, b]) => t >= a && t <= b) ? 1 : 0;
      lines.push(`${row.stamp},${row.value},${scores[i][r]},${label}`);
    });
    writeFileSync(join(out, `guardian_${base}`), `${lines.join('\n')}\n`);
  }
}

async function main() {
  const nab = await import(dist('predict/anomaly/nab.js'));
  const { StreamingDetector } = await import(dist('predict/anomaly/detector.js'));
  const profiles = JSON.parse(readFileSync(join(DATA, 'config/profiles.json'), 'utf8'));
  const published = JSON.parse(readFileSync(join(DATA, 'results/final_results.json'), 'utf8'));
  const publishedRaw = JSON.parse(readFileSync(join(DATA, 'config/thresholds.json'), 'utf8'));
  const files = readCorpus();
  const points = files.reduce((n, f) => n + f.values.length, 0);

  const started = process.hrtime.bigint();
  const cpuStarted = process.cpuUsage();
  const scores = files.map((file) => {
    const detector = new StreamingDetector(DETECTOR);
    return Float64Array.from(file.values, (v) => detector.push(v).score);
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpu = process.cpuUsage(cpuStarted);
  // CPU time as well as wall time: on a shared machine the wall clock counts other processes' turns.
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;

  const ours = {};
  const checks = [];
  for (const name of PROFILES) {
    const profile = profiles[name].CostMatrix;
    const nullRaw = nab.nullRaw(files, profile);
    const perfect = nab.perfectRaw(files, profile);
    const perfectScores = files.map((f) => f.timestamps.map((t) => (f.windows.some(([a]) => a === t) ? 1 : 0)));
    const perfectRaw = nab.scoreCorpus(files, perfectScores, profile).raw;
    checks.push({
      profile: name,
      null: nab.normalise(nullRaw, nullRaw, perfect),
      perfect: nab.normalise(perfectRaw, nullRaw, perfect),
      nullRaw,
      publishedNullRaw: publishedRaw.null[name].score,
    });
    const result = nab.scoreCorpus(files, scores, profile);
    ours[name] = { ...result, score: nab.normalise(result.raw, nullRaw, perfect) };
  }

  if (RESULTS) writeResults(resolve(RESULTS), files, scores);

  const f1 = (x) => x.toFixed(1).padStart(8);
  const out = [];
  out.push(
    `NAB: ${files.length} files, ${points.toLocaleString('en')} points; detector ${seconds.toFixed(2)} s = ${Math.round(points / seconds).toLocaleString('en')} points/s`,
  );
  out.push('');
  out.push(`${'detector'.padEnd(20)}${'standard'.padStart(8)}${'low FP'.padStart(8)}${'low FN'.padStart(8)}`);
  out.push(`${'guardian'.padEnd(20)}${PROFILES.map((p) => f1(ours[p].score)).join('')}`);
  for (const name of BOARD) {
    const row = published[name];
    if (row) out.push(`${name.padEnd(20)}${PROFILES.map((p) => f1(row[p])).join('')}`);
  }
  out.push('');
  for (const p of PROFILES) {
    const r = ours[p];
    out.push(
      `guardian ${p}: raw ${r.raw.toFixed(3)} at threshold ${r.threshold.toFixed(4)} (${r.tp} rows in windows flagged, ${r.fp} outside)`,
    );
  }
  out.push('');
  let ok = true;
  for (const c of checks) {
    const good = Math.abs(c.null) < 1e-9 && Math.abs(c.perfect - 100) < 1e-9 && Math.abs(c.nullRaw - c.publishedNullRaw) < 1e-9;
    ok &&= good;
    out.push(
      `scorer check ${c.profile}: null ${c.null.toFixed(1)}, perfect ${c.perfect.toFixed(1)}, null raw ${c.nullRaw} (NAB published ${c.publishedNullRaw}) ${good ? 'ok' : 'MISMATCH'}`,
    );
  }
  if (RESULTS) out.push(`results written under ${resolve(RESULTS)}/guardian`);
  console.log(out.join('\n'));
  if (!ok) process.exitCode = 1;
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
