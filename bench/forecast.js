// Cost forecasts against seasonal-naive, by rolling origin: at every third day of each series
// (from its ninth week on) `predict costs`' forecaster sees only the days up to it (at most the
// default 180 of them, as the command reads) and forecasts the month's total to its end; the
// textbook seasonal-naive forecast (the same weekday last week) does the same from the same days.
// Printed per corpus: the mean absolute month-end error of each as a % of the actual month, their
// ratio (target ≤ 0.70), and how often the actual month fell inside the 80% interval (target 75–85%).
// Corpora: the sandbox's 400-day cost series (totals per currency and per cloud, several seeds)
// and NAB's real spend- and usage-like series summed (or averaged, for prices) per day.
// Usage: npm run build && npm run bench:forecast [-- --seeds 5 --step 3 --nab DIR --no-sandbox]

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dist, flag } from './harness.js';

const SEEDS = flag('seeds', 5);
const STEP = flag('step', 3);
const HISTORY = 180;
const DAY_MS = 86_400_000;
const args = process.argv.slice(2);
const nabFlag = args.indexOf('--nab') >= 0 ? args[args.indexOf('--nab') + 1] : undefined;
const here = fileURLToPath(new URL('.', import.meta.url));
const NAB = [nabFlag, process.env.GUARDIAN_NAB_DIR, join(here, '../../shared/data/nab'), join(here, '../../../shared/data/nab')].find(
  (dir) => dir && existsSync(join(dir, 'data')),
);

/**
 * NAB's series that behave like spend or usage: what a bill is made of.
 * - realKnownCause/nyc_taxi: taxi passengers per half hour for seven months, summed per day — demand
 *   with a weekly cycle and holidays, like usage-priced spend; the longest real series in NAB.
 * - realAdExchange/*_cpc_results, *_cpm_results: prices paid per click and per thousand impressions
 *   on an ad exchange, hourly for ten weeks, averaged per day — money, with weekly swings.
 * Left out: realTweets/Twitter_volume_* (usage-like, but 55 days each with one month end: no
 * month-end forecast has the 8 weeks of history before it); CPU, latency, temperatures and
 * traffic speeds (not amounts that add up to a bill); the artificial files.
 */
const NAB_SERIES = [
  ['realKnownCause/nyc_taxi.csv', 'sum'],
  ...['2', '3', '4'].flatMap((n) => [
    [`realAdExchange/exchange-${n}_cpc_results.csv`, 'mean'],
    [`realAdExchange/exchange-${n}_cpm_results.csv`, 'mean'],
  ]),
];

/** A NAB file per UTC day (sum or mean), without the first and last days when they are partial. */
function nabDaily(file, how) {
  const rows = readFileSync(join(NAB, 'data', file), 'utf8')
    .trim()
    .split('\n')
    .slice(1);
  const days = new Map();
  for (const row of rows) {
    const [stamp, value] = row.split(',');
    const day = Math.floor(Date.parse(`${stamp.replace(' ', 'T')}Z`) / DAY_MS);
    const entry = days.get(day) ?? { sum: 0, count: 0 };
    entry.sum += Number(value);
    entry.count += 1;
    days.set(day, entry);
  }
  const keys = [...days.keys()].sort((a, b) => a - b);
  const full = Math.max(...[...days.values()].map((d) => d.count));
  while (keys.length && days.get(keys[0]).count < 0.8 * full) keys.shift();
  while (keys.length && days.get(keys[keys.length - 1]).count < 0.8 * full) keys.pop();
  const first = keys[0];
  const values = [];
  for (let day = first; day <= keys[keys.length - 1]; day++) {
    const d = days.get(day);
    values.push(d ? (how === 'sum' ? d.sum : d.sum / d.count) : Number.NaN);
  }
  return { name: file, firstDay: first, values };
}

async function sandboxSeries() {
  const { generateEstate } = await import(dist('sandbox/estate/generate.js'));
  const { costSeries, dayNumber } = await import(dist('sandbox/estate/costs.js'));
  const out = [];
  for (let seed = 1; seed <= SEEDS; seed++) {
    const truth = costSeries(generateEstate({ seed, size: 300, now: '2026-11-25' }));
    const groups = new Map();
    truth.lines.forEach((line, index) => {
      for (const key of [`${line.currency} total`, `${line.cloud} ${line.currency}`]) {
        const values = groups.get(key) ?? new Array(truth.days).fill(0);
        for (let t = 0; t < truth.days; t++) values[t] += truth.unblended[index * truth.days + t] / 100;
        groups.set(key, values);
      }
    });
    for (const [key, values] of groups) out.push({ name: `seed ${seed} ${key}`, firstDay: dayNumber(truth.start), values });
  }
  return out;
}

function monthEnd(day) {
  const d = new Date(day * DAY_MS);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0) / DAY_MS;
}
function monthStart(day) {
  const d = new Date(day * DAY_MS);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1) / DAY_MS;
}

async function evaluate(corpus) {
  const { forecastSeries, MIN_HISTORY_DAYS } = await import(dist('predict/forecast/index.js'));
  const { seasonalNaive } = await import(dist('predict/forecast/models.js'));
  const { predict } = await import(dist('predict/forecast/backtest.js'));
  const totals = { guardian: 0, naive: 0, naiveCharges: 0, n: 0, inside80: 0, inside95: 0, withInterval: 0, wins: {} };
  for (const series of corpus) {
    const { values, firstDay } = series;
    for (let o = MIN_HISTORY_DAYS; o < values.length; o += STEP) {
      const lastDay = firstDay + o - 1;
      const end = monthEnd(lastDay + 1);
      if (end - firstDay >= values.length) continue;
      const from = Math.max(o - HISTORY, 0);
      const history = values.slice(from, o);
      if (history.some((v) => !Number.isFinite(v)) || values.slice(o, end - firstDay + 1).some((v) => !Number.isFinite(v))) continue;
      let actual = 0;
      for (let day = Math.max(monthStart(lastDay + 1), firstDay); day <= end; day++) actual += values[day - firstDay];
      if (!(actual > 0)) continue;
      const points = history.map((v, i) => ({ t: (firstDay + from + i) * DAY_MS, v }));
      const forecast = forecastSeries({ id: series.name, name: series.name, labels: {}, points }, { horizon: { kind: 'month-end' } });
      if (forecast.status !== 'ok') continue;
      const h = end - lastDay;
      const naive = seasonalNaive(history)(h).reduce((sum, v) => sum + v, 0) + forecast.total.toDate;
      // Seasonal-naive with the monthly charges taken out and added back as the forecaster does.
      const naiveCharges =
        predict('seasonal-naive', history, firstDay + from, h).mean.reduce((sum, v) => sum + v, 0) + forecast.total.toDate;
      totals.naiveCharges += Math.abs(naiveCharges - actual) / actual;
      totals.guardian += Math.abs(forecast.total.mean - actual) / actual;
      totals.naive += Math.abs(naive - actual) / actual;
      totals.n += 1;
      totals.wins[forecast.model] = (totals.wins[forecast.model] ?? 0) + 1;
      const interval = forecast.total.interval;
      if (interval) {
        totals.withInterval += 1;
        if (actual >= interval.lower80 && actual <= interval.upper80) totals.inside80 += 1;
        if (actual >= interval.lower95 && actual <= interval.upper95) totals.inside95 += 1;
      }
    }
  }
  return totals;
}

function report(name, count, t) {
  const pct = (v) => `${(v * 100).toFixed(2)}%`;
  console.log(`${name} (${count} series, ${t.n} month-end forecasts)`);
  console.log(
    `  month-end error: guardian ${pct(t.guardian / t.n)}, seasonal-naive ${pct(t.naive / t.n)}, ratio ${(t.guardian / t.naive).toFixed(3)}`,
  );
  console.log(
    `  (seasonal-naive with monthly charges counted once: ${pct(t.naiveCharges / t.n)}, ratio ${(t.guardian / t.naiveCharges).toFixed(3)})`,
  );
  console.log(
    `  80% interval held the actual month ${pct(t.inside80 / t.withInterval)} of ${t.withInterval} times; 95%: ${pct(t.inside95 / t.withInterval)}`,
  );
  console.log(
    `  models chosen: ${Object.entries(t.wins)
      .map(([m, c]) => `${m} ${c}`)
      .join(', ')}`,
  );
}

async function main() {
  const started = performance.now();
  const sandbox = args.includes('--no-sandbox') ? [] : await sandboxSeries();
  if (sandbox.length > 0) report(`sandbox, seeds 1–${SEEDS}`, sandbox.length, await evaluate(sandbox));
  if (!NAB) console.log('NAB: data not found (pass --nab DIR, the folder holding data/)');
  else {
    const nab = NAB_SERIES.map(([file, how]) => nabDaily(file, how));
    report('NAB nyc_taxi (daily passengers)', 1, await evaluate(nab.slice(0, 1)));
    report('NAB ad exchange prices (daily mean cpc/cpm)', 6, await evaluate(nab.slice(1)));
  }
  console.log(`(${((performance.now() - started) / 1000).toFixed(1)} s)`);
}

await main();
