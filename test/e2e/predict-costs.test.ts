// `guardian predict costs` end to end: the built binary on --profile demo (the in-process
// sandbox's billing APIs, pinned seed, size and day), saved files through --input, bad flags and
// bad series, and a cloud that does not answer under --strict.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

vi.setConfig({ testTimeout: 180_000 });

const DEMO = { GUARDIAN_DEMO_SEED: '42', GUARDIAN_DEMO_SIZE: '300', GUARDIAN_DEMO_NOW: '2026-11-25' };
let dir: string;

function guardian(args: string[], extra: Record<string, string> = {}) {
  return execa(process.execPath, ['dist/bin/guardian.js', ...args], {
    reject: false,
    extendEnv: false,
    stdin: 'ignore',
    env: {
      PATH: process.env.PATH,
      HOME: dir,
      CI: 'true',
      GUARDIAN_CONFIG_DIR: join(dir, 'config'),
      GUARDIAN_DATA_DIR: join(dir, 'data'),
      ...DEMO,
      ...extra,
    },
  });
}

interface Forecast {
  seriesId: string;
  status: string;
  model?: string;
  notes: string[];
  labels: Record<string, string>;
  backtest?: { metric: string; scores: { model: string; error: number; origins: number }[] };
  points: { date: string; mean: number; lower80?: number; upper80?: number; lower95?: number; upper95?: number }[];
  total?: {
    from: string;
    to: string;
    toDate: number;
    mean: number;
    interval?: { lower80: number; upper80: number; lower95: number; upper95: number };
  };
}

/** A CSV of `days` days ending 2026-11-25 with a weekly shape; `value` may override a day. */
function csv(name: string, days: number, value: (i: number) => string = (i) => String(100 + (i % 7 < 2 ? -30 : 0) + i * 0.1)) {
  const last = Date.parse('2026-11-25T00:00:00Z');
  const rows = ['date,amount,currency'];
  for (let i = 0; i < days; i++) {
    const date = new Date(last - (days - 1 - i) * 86_400_000).toISOString().slice(0, 10);
    rows.push(`${date},${value(i)},USD`);
  }
  const file = join(dir, name);
  writeFileSync(file, `${rows.join('\n')}\n`);
  return file;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'guardian-e2e-predict-costs-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('guardian predict costs on the demo estate', () => {
  it('forecasts each currency, its top services and accounts to month end, with the model the backtest chose', async () => {
    const run = await guardian(['predict', 'costs', '--profile', 'demo', '--top', '2', '--json']);
    expect(run.exitCode, run.stderr).toBe(0);
    const doc = JSON.parse(run.stdout);
    expect(doc).toMatchObject({ schemaVersion: 1, kind: 'guardian.predict.costs', source: 'billing', horizon: { kind: 'month-end' } });
    expect(doc.history).toEqual({ first: '2026-05-30', last: '2026-11-25' });
    const forecasts: Forecast[] = doc.forecasts;
    // USD and EUR (never added), each a total, two services and its accounts (EUR has one).
    expect(forecasts.filter((f) => f.labels.scope === 'total').map((f) => f.seriesId)).toEqual(['costs/USD/total', 'costs/EUR/total']);
    expect(forecasts.filter((f) => f.labels.scope === 'service')).toHaveLength(4);
    for (const f of forecasts) {
      expect(f.status).toBe('ok');
      expect(['seasonal-naive', 'run-rate', 'holt-winters']).toContain(f.model);
      expect(f.backtest?.metric).toBe('month-end-total');
      expect(f.backtest?.scores[0].model).toBe(f.model);
      expect(f.points.map((p) => p.date)).toEqual(['2026-11-26', '2026-11-27', '2026-11-28', '2026-11-29', '2026-11-30']);
      const total = f.total;
      expect(total).toMatchObject({ from: '2026-11-01', to: '2026-11-30' });
      if (!total?.interval) throw new Error(`no interval for ${f.seriesId}`);
      expect(total.mean).toBeGreaterThan(total.toDate);
      expect(total.interval.lower95).toBeLessThanOrEqual(total.interval.lower80);
      expect(total.interval.lower80).toBeLessThanOrEqual(total.mean);
      expect(total.interval.upper80).toBeGreaterThanOrEqual(total.mean);
      expect(total.interval.upper95).toBeGreaterThanOrEqual(total.interval.upper80);
    }
  });

  it('prints the table, a chart of history and band per currency, and --horizon 90d forecasts 90 days', async () => {
    const table = await guardian(['predict', 'costs', '--profile', 'demo', '--top', '1']);
    expect(table.exitCode, table.stderr).toBe(0);
    expect(table.stdout).toMatch(/^Spend forecast to month end \(2026-11-30\), from billing data 2026-05-30 to 2026-11-25/);
    expect(table.stdout).toMatch(/│ total USD +│ USD +│ (seasonal-naive|run-rate|holt-winters) +│ +\d+\.\d% │/);
    expect(table.stdout).toMatch(/Daily spend, total USD: history and forecast \((seasonal-naive|run-rate|holt-winters); backtest: /);
    expect(table.stdout).toMatch(/• history {3}◦ forecast {3}▒ 80% interval {3}░ 95% interval/);
    expect(table.stdout).toMatch(/Monthly charges found and added on their day: [\d,.]+ on day 1/);
    expect(table.stdout).not.toMatch(/\x1b\[/);

    const long = await guardian(['predict', 'costs', '--profile', 'demo', '--top', '1', '--horizon', '90d', '--json']);
    expect(long.exitCode, long.stderr).toBe(0);
    const doc = JSON.parse(long.stdout);
    const usd: Forecast = doc.forecasts[0];
    expect(usd.points).toHaveLength(90);
    expect(usd.total).toMatchObject({ from: '2026-11-26', to: '2027-02-23', toDate: 0 });
    expect(usd.backtest?.metric).toBe('horizon-total');
  });

  it('exits 4 under --strict when a cloud does not answer, naming it, and forecasts the others without it', async () => {
    const env = { GUARDIAN_DEMO_OUTAGE: 'us-east-1,global', GUARDIAN_DATA_DIR: join(dir, 'data-outage') };
    const run = await guardian(['predict', 'costs', '--profile', 'demo', '--call-timeout', '2s', '--strict', '--json'], env);
    expect(run.exitCode).toBe(4);
    expect(run.stderr).toMatch(/aws spend not included in the figures: CallTimeout/);
    expect(run.stderr).toMatch(/^guardian: the figures are incomplete: aws, azure missing/m);
    const doc = JSON.parse(run.stdout);
    expect(doc.clouds).toEqual(['gcp']);
    expect(doc.forecasts.every((f: Forecast) => !f.seriesId.includes('/aws/'))).toBe(true);
  });
});

describe('guardian predict costs --input', () => {
  it('forecasts a saved guardian costs --json', async () => {
    const saved = await guardian(['costs', '--profile', 'demo', '--last', '90d', '--json']);
    expect(saved.exitCode, saved.stderr).toBe(0);
    const file = join(dir, 'spend.json');
    writeFileSync(file, saved.stdout);
    const run = await guardian(['predict', 'costs', '--input', file, '--json']);
    expect(run.exitCode, run.stderr).toBe(0);
    const doc = JSON.parse(run.stdout);
    expect(doc.source).toBe('file');
    expect(doc.forecasts.map((f: Forecast) => f.seriesId)).toEqual(['costs/USD/total', 'costs/EUR/total']);
    expect(doc.forecasts[0].status).toBe('ok');
  });

  it('says which series are too short, gappy or flat, and warns of NaN and Inf lines, without failing', async () => {
    const short = await guardian(['predict', 'costs', '--input', csv('short.csv', 30)]);
    expect(short.exitCode, short.stderr).toBe(0);
    expect(short.stdout).toMatch(/total USD: 30 days of history; a forecast needs at least 56 \(8 weeks\) to be backtested/);

    const gappy = await guardian([
      'predict',
      'costs',
      '--input',
      csv('gappy.csv', 120, (i) => (i === 30 ? 'NaN' : i === 31 ? 'Inf' : String(80 + (i % 7)))),
      '--json',
    ]);
    expect(gappy.exitCode, gappy.stderr).toBe(0);
    expect(gappy.stderr).toMatch(/warning: line 32: amount 'NaN' on 2026-08-28 is not a finite number; the day is treated as a gap/);
    expect(gappy.stderr).toMatch(/warning: line 33: amount 'Inf'/);
    const forecast: Forecast = JSON.parse(gappy.stdout).forecasts[0];
    expect(forecast.status).toBe('ok');
    expect(forecast.notes[0]).toMatch(
      /2 days without a value \(gaps\); the last on 2026-08-29, so the forecast stands on the 88 days after it/,
    );

    const flat = await guardian(['predict', 'costs', '--input', csv('flat.csv', 70, () => '12.5'), '--json']);
    expect(flat.exitCode, flat.stderr).toBe(0);
    const line: Forecast = JSON.parse(flat.stdout).forecasts[0];
    expect(line.notes[0]).toMatch(/a flat line \(every day 12.5\)/);
    expect(line.total?.interval).toBeUndefined();
  });

  it.each([
    [['--horizon', 'soon'], /--horizon 'soon' is not a number of days or weeks \(e\.g\. 90d, 12w\)/],
    [['--horizon', '0d'], /--horizon must be between 1 and 366 days/],
    [['--history', '3x'], /--history '3x' is not a number of days or weeks/],
    [['--top', '0'], /--top must be between 1 and 100/],
    [['--timeout', 'later'], /--timeout takes a duration/],
    [['--input', 'nowhere.csv'], /--input nowhere\.csv: no such file/],
  ])('exits 2 with one line for %j', async (args, message) => {
    const run = await guardian(['predict', 'costs', '--profile', 'demo', ...args]);
    expect(run.exitCode).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(message);
  });

  it('refuses a CSV with a bad date, naming the line', async () => {
    const file = join(dir, 'bad.csv');
    writeFileSync(file, 'date,amount\n2026-11-01,3\nyesterday,4\n');
    const run = await guardian(['predict', 'costs', '--input', file]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/line 3: 'yesterday' is not a date \(the CSV is date,amount\[,currency\]\)/);
  });
});
