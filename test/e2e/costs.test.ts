// `guardian costs` end to end: the built binary on --profile demo (the in-process sandbox, pinned
// seed, size and day), checked against the sandbox manifest's true cost series; exit codes for
// budgets, bad periods and unknown group keys; --estimate on the demo estate and on a snapshot.

import { existsSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

// Some cases wait out injected outages (twice the call timeout per query); on two shared cores that is slow.
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

/** A data directory of its own, so cached Cost Explorer answers never cross between cases. */
function ownData(name: string): Record<string, string> {
  return { GUARDIAN_DATA_DIR: join(dir, `data-${name}`) };
}

interface ManifestLine {
  cloud: string;
  account: string;
  service: string;
  region: string;
  currency: string;
  monthly: { month: string; unblended: number; amortized: number }[];
}
let lines: ManifestLine[];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'guardian-e2e-costs-'));
  const manifest = await guardian([
    'sandbox',
    'manifest',
    '--seed',
    DEMO.GUARDIAN_DEMO_SEED,
    '--size',
    DEMO.GUARDIAN_DEMO_SIZE,
    '--now',
    DEMO.GUARDIAN_DEMO_NOW,
    '--json',
  ]);
  expect(manifest.exitCode).toBe(0);
  lines = JSON.parse(manifest.stdout).costs.lines;
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** cents by "cloud|key|currency" for a month, from the manifest. */
function truth(month: string, metric: 'unblended' | 'amortized', key: (line: ManifestLine) => string): Map<string, number> {
  const sums = new Map<string, number>();
  for (const line of lines) {
    const amount = line.monthly.find((m) => m.month === month)?.[metric] ?? 0;
    const id = `${line.cloud}|${key(line)}|${line.currency}`;
    sums.set(id, (sums.get(id) ?? 0) + Math.round(amount * 100));
  }
  return new Map([...sums].filter(([, cents]) => cents !== 0));
}

function reported(rows: { cloud: string; key: string; currency: string; amount: number }[]): Map<string, number> {
  return new Map(rows.filter((r) => r.amount !== 0).map((r) => [`${r.cloud}|${r.key}|${r.currency}`, Math.round(r.amount * 100)]));
}

describe('guardian costs --profile demo', () => {
  it('reports every grouping of a past month and its previous month to the cent of the true series', async () => {
    const run = await guardian(['costs', '--profile', 'demo', '--month', '2026-10', '--top', '1000', '--json']);
    expect(run.exitCode, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({
      schemaVersion: 1,
      kind: 'guardian.costs',
      metric: 'unblended',
      granularity: 'daily',
      clouds: ['aws', 'azure', 'gcp'],
    });
    expect(report.period).toMatchObject({ start: '2026-10-01', end: '2026-11-01', last: '2026-10-31', days: 31 });
    const byDimension = Object.fromEntries(report.groups.map((g: { dimension: string; rows: never[] }) => [g.dimension, g.rows]));
    expect(reported(byDimension.service)).toEqual(truth('2026-10', 'unblended', (l) => l.service));
    expect(reported(byDimension.region)).toEqual(truth('2026-10', 'unblended', (l) => l.region));
    expect(reported(byDimension.account)).toEqual(truth('2026-10', 'unblended', (l) => l.account));
    const totals = (month: string) => {
      const sums = new Map<string, number>();
      for (const [id, cents] of truth(month, 'unblended', () => '')) sums.set(id.split('|')[2], (sums.get(id.split('|')[2]) ?? 0) + cents);
      return sums;
    };
    for (const total of report.totals) {
      expect(Math.round(total.amount * 100)).toBe(totals('2026-10').get(total.currency));
      expect(Math.round(total.previous * 100)).toBe(totals('2026-09').get(total.currency));
    }
    expect(report.totals.map((t: { currency: string }) => t.currency).sort()).toEqual(['EUR', 'USD']);
  });

  it('reads amortized spend for the month to date and groups by a tag key', async () => {
    const run = await guardian([
      'costs',
      '--profile',
      'demo',
      '--metric',
      'amortized',
      '--group-by',
      'tag:team',
      '--top',
      '1000',
      '--json',
    ]);
    expect(run.exitCode, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.period).toMatchObject({ start: '2026-11-01', last: '2026-11-25', label: 'month to date' });
    expect(report.groups[0].dimension).toBe('tag:team');
    expect(reported(report.groups.find((g: { dimension: string }) => g.dimension === 'service').rows)).toEqual(
      truth('2026-11', 'amortized', (l) => l.service),
    );
    // Every cent of each currency lands in some team (or untagged).
    for (const total of report.totals) {
      const teams = report.groups[0].rows.filter((r: { currency: string }) => r.currency === total.currency);
      expect(Math.round(teams.reduce((sum: number, r: { amount: number }) => sum + r.amount, 0) * 100)).toBe(
        Math.round(total.amount * 100),
      );
    }
    expect(report.series).toHaveLength(50); // 25 days × two currencies
    // Cost Explorer marks the current month's days as estimated.
    expect(report.series.filter((p: { currency: string }) => p.currency === 'USD').every((p: { estimated?: boolean }) => p.estimated)).toBe(
      true,
    );
  });

  it('prints a table with totals, the projection, a chart and the top groups; CSV and Markdown too', async () => {
    const table = await guardian(['costs', '--profile', 'demo', '--last', '30d']);
    expect(table.exitCode, table.stderr).toBe(0);
    expect(table.stdout).toMatch(/last 30 days: 2026-10-27 to 2026-11-25/);
    expect(table.stdout).toMatch(
      /Month-end projection 2026-11: [\d,.]+ USD \(80%: [\d,.]+ – [\d,.]+; 95%: [\d,.]+ – [\d,.]+\)\n {2}basis: month to date [\d,.]+ USD \(25 days of 30\) \+ a (seasonal-naive|run-rate|holt-winters) forecast of the 5 days left, the model chosen by backtest over 117 days of history\n {2}backtest month-end error: .*\n {2}run-rate for comparison: [\d,.]+ USD/,
    );
    expect(table.stdout).toMatch(/Daily spend, USD: [▁▂▃▄▅▆▇█]{30}/);
    expect(table.stdout).toMatch(/Top services[\s\S]*Top regions[\s\S]*Top accounts/);
    const csv = await guardian(['costs', '--profile', 'demo', '--month', '2026-10', '--output', 'csv']);
    expect(csv.stdout.split('\r\n')[0]).toBe(
      'dimension,cloud,key,currency,amount,previous,change,change_percent,share_percent,period_start,period_end',
    );
    const markdown = await guardian(['costs', '--profile', 'demo', '--month', '2026-10', '--output', 'markdown']);
    expect(markdown.stdout).toMatch(/^## Cloud spend: 2026-10/);
    expect(markdown.stdout).toMatch(/### Top services/);
  });

  it('exits 1 with one clear line when the month-to-date spend or its projection is over the budget', async () => {
    const ok = await guardian(['costs', '--profile', 'demo', '--provider', 'aws', '--budget', '100000000', '--json', '-v']);
    expect(ok.exitCode, ok.stderr).toBe(0);
    expect(ok.stderr).toMatch(/Cost Explorer: \d+ paid request\(s\) \(\$\d+\.\d\d\), \d+ answered from the cache/);
    const { monthToDate, projectedMonthEnd } = JSON.parse(ok.stdout).budget;
    expect(projectedMonthEnd).toBeGreaterThan(monthToDate);

    const over = await guardian(['costs', '--profile', 'demo', '--provider', 'aws', '--budget', String(Math.floor(monthToDate / 2))]);
    expect(over.exitCode).toBe(1);
    expect(over.stderr).toMatch(/^guardian: budget exceeded: month-to-date spend [\d,.]+ USD is over the budget of [\d,.]+ USD$/m);
    expect(over.stdout).toMatch(/Budget [\d,.]+ USD: EXCEEDED \(month to date\)/);

    const projected = await guardian([
      'costs',
      '--profile',
      'demo',
      '--provider',
      'aws',
      '--budget',
      ((monthToDate + projectedMonthEnd) / 2).toFixed(2),
    ]);
    expect(projected.exitCode).toBe(1);
    expect(projected.stderr).toMatch(
      /^guardian: budget will be exceeded: projected month-end spend [\d,.]+ USD \(month to date \+ (seasonal-naive|run-rate|holt-winters) forecast\) is over the budget/m,
    );
  });

  it.each([
    [['--last', '3x'], /--last '3x' is not a span/],
    [['--month', '2026-13'], /--month '2026-13' is not a month/],
    [['--from', '2026-11-10', '--to', '2026-11-01'], /--to 2026-11-01 is before --from 2026-11-10/],
    [['--month', '2027-01'], /is in the future/],
    [['--group-by', 'colour'], /unknown group key 'colour' \(choose service, region, account or tag:KEY\)/],
    [['--budget', 'lots'], /--budget 'lots' is not an amount/],
  ])('exits 2 with one line for %j', async (args, message) => {
    const run = await guardian(['costs', '--profile', 'demo', ...args]);
    expect(run.exitCode).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(message);
  });
});

describe('guardian costs: projection, partial figures and timeouts', () => {
  it('on the 1st of a month projects near the previous month, not thirty times the first day', async () => {
    const env = { GUARDIAN_DEMO_NOW: '2026-12-01', ...ownData('first-of-month') };
    const manifest = await guardian([
      'sandbox',
      'manifest',
      '--seed',
      DEMO.GUARDIAN_DEMO_SEED,
      '--size',
      DEMO.GUARDIAN_DEMO_SIZE,
      '--now',
      '2026-12-01',
      '--json',
    ]);
    const november = (JSON.parse(manifest.stdout).costs.lines as ManifestLine[])
      .filter((line) => line.currency === 'USD')
      .reduce((sum, line) => sum + (line.monthly.find((m) => m.month === '2026-11')?.unblended ?? 0), 0);
    const run = await guardian(['costs', '--profile', 'demo', '--json'], env);
    expect(run.exitCode, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout);
    const usd = report.projections.find((p: { currency: string }) => p.currency === 'USD');
    expect(usd.daysElapsed).toBe(1);
    // December has a day more than November; a linear run-rate would be 31 times the 1st, fee and all.
    expect(usd.projectedMonthEnd).toBeGreaterThan(november * 0.95);
    expect(usd.projectedMonthEnd).toBeLessThan(november * 1.15);
    expect(usd.monthToDate * 31).toBeGreaterThan(november * 1.5);
    // Three months of daily history (92 days, over the 8 weeks a forecast needs): the backtested
    // forecast projects, the run-rate (one-off counted once) is kept beside it for comparison.
    expect(usd.basis).toMatchObject({ method: 'forecast', window: { start: '2026-11-18', last: '2026-12-01', days: 14 }, daysLeft: 30 });
    expect(usd.basis.forecast).toMatchObject({ historyDays: 92, origins: expect.any(Number) });
    expect(usd.basis.forecast.interval80[0]).toBeLessThan(usd.projectedMonthEnd);
    expect(usd.basis.forecast.interval80[1]).toBeGreaterThan(usd.projectedMonthEnd);
    expect(usd.basis.runRateProjection).toBeGreaterThan(november * 0.95);
    expect(usd.basis.oneOffs).toEqual([expect.objectContaining({ dayOfMonth: 1, billed: true })]);
    const guard = await guardian(['costs', '--profile', 'demo', '--budget', String(Math.ceil(november * 1.3))], env);
    expect(guard.exitCode, guard.stderr).toBe(0);
    expect(guard.stdout).toMatch(/\(1 day\), compared with 2026-11-01 to 2026-11-01/);
    expect(guard.stdout).toMatch(/one-offs: [\d,.]+ USD on day 1 \(seen in 3 of 3 months, billed\)/);
    expect(guard.stdout).toMatch(/Budget [\d,.]+ USD: within budget$/m);
  });

  it('with AWS and Azure not answering, ends within the call timeout and names them; a budget on the rest is partial', async () => {
    const env = { GUARDIAN_DEMO_OUTAGE: 'us-east-1,global', ...ownData('outage') };
    const args = ['costs', '--profile', 'demo', '--call-timeout', '5s'];
    const within = await guardian([...args, '--budget', '100000000', '--json'], env);
    expect(within.exitCode, within.stderr).toBe(0);
    const report = JSON.parse(within.stdout);
    expect(report.clouds).toEqual(['gcp']);
    expect(report.missing).toEqual([
      expect.objectContaining({ cloud: 'aws', reason: 'failed', message: expect.stringMatching(/CallTimeout/) }),
      expect.objectContaining({ cloud: 'azure', reason: 'failed', message: expect.stringMatching(/CallTimeout/) }),
    ]);
    expect(report.budget).toMatchObject({ judged: true, exceeded: false, missing: [{ cloud: 'aws' }, { cloud: 'azure' }] });
    expect(within.stderr).toMatch(/warning: aws spend not included in the figures: CallTimeout: no answer within 5000 ms/);
    expect(within.stderr).toMatch(/warning: azure spend not included/);
    expect(within.stderr).toMatch(/warning: within budget on partial figures: aws, azure are missing from this month's spend/);

    const strict = await guardian([...args, '--budget', '100000000', '--strict'], env);
    expect(strict.exitCode).toBe(4);
    expect(strict.stdout).toMatch(/within budget on partial figures \(without aws, azure, whose figures are missing\)/);
    expect(strict.stderr).toMatch(/^guardian: within budget on partial figures: aws, azure are missing/m);
    // Spend only adds up: over the budget on what answered is over the budget.
    const over = await guardian([...args, '--budget', '100'], env);
    expect(over.exitCode).toBe(1);
    expect(over.stderr).toMatch(/^guardian: budget exceeded: .* \(without aws, azure, whose figures are missing\)$/m);
  });

  it('stops at --timeout with what answered, and never calls a budget on no figures "within"', async () => {
    const env = { GUARDIAN_DEMO_OUTAGE: 'us-east-1,global', ...ownData('timeout') };
    const run = await guardian(
      ['costs', '--profile', 'demo', '--provider', 'aws', 'azure', '--timeout', '3s', '--call-timeout', '10m', '--budget', '100', '--json'],
      env,
    );
    expect(run.exitCode, run.stderr).toBe(4);
    expect(run.stderr).toMatch(/aws spend not included in the figures: RunTimeout: the run timed out/);
    expect(run.stderr).toMatch(/^guardian: the budget was not judged: no cloud reported spend in USD for 2026-11 \(without aws, azure/m);
    const report = JSON.parse(run.stdout);
    expect(report.budget).toMatchObject({ judged: false, exceeded: false });
  });

  it('says when a cloud reports no spend for the period, and does not judge a budget in a currency nobody bills in', async () => {
    const env = ownData('no-data');
    const run = await guardian(['costs', '--profile', 'demo', '--provider', 'gcp', '--month', '2025-03', '--strict'], env);
    expect(run.exitCode).toBe(4);
    expect(run.stdout).toMatch(/No spend reported for the period by any cloud\./);
    expect(run.stdout).toMatch(/No spend reported by gcp for the period/);
    expect(run.stdout).not.toMatch(/Top services/);
    expect(run.stderr).toMatch(/warning: gcp reported no spend for 2025-03-01 to 2025-03-31: it is left out/);
    expect(run.stderr).toMatch(/^guardian: the figures are incomplete: gcp missing/m);
    const gbp = await guardian(['costs', '--profile', 'demo', '--provider', 'gcp', '--budget', '100GBP'], env);
    expect(gbp.exitCode).toBe(4);
    expect(gbp.stdout).toMatch(/Budget 100\.00 GBP: NOT JUDGED \(no spend in GBP this month\)/);
    expect(gbp.stdout).not.toMatch(/within budget/);
    expect(gbp.stderr).toMatch(/^guardian: the budget was not judged: no cloud reported spend in GBP for 2026-11/m);
  });

  it('retries billing queries the clouds answer with 5xx, as discovery does, and loses nothing', async () => {
    const run = await guardian(['costs', '--profile', 'demo', '--month', '2026-10', '--json', '-v'], {
      GUARDIAN_DEMO_ERRORS: '0.3',
      ...ownData('errors'),
    });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/billing query: .* \(attempt 1\); retrying in \d+ ms/);
    const report = JSON.parse(run.stdout);
    expect(report.missing).toEqual([]);
    const october = new Map<string, number>();
    for (const [id, cents] of truth('2026-10', 'unblended', () => '')) {
      const currency = id.split('|')[2];
      october.set(currency, (october.get(currency) ?? 0) + cents);
    }
    for (const total of report.totals) expect(Math.round(total.amount * 100)).toBe(october.get(total.currency));
  });

  it('stops on Ctrl-C while a billing query hangs and exits 130', async () => {
    const child = execa(process.execPath, ['dist/bin/guardian.js', 'costs', '--profile', 'demo', '--provider', 'aws', '-v'], {
      reject: false,
      extendEnv: false,
      stdin: 'ignore',
      env: {
        PATH: process.env.PATH,
        HOME: dir,
        CI: 'true',
        GUARDIAN_CONFIG_DIR: join(dir, 'config'),
        ...DEMO,
        GUARDIAN_DEMO_OUTAGE: 'us-east-1',
        ...ownData('interrupt'),
      },
    });
    // The query is on its way once the command says what it reads.
    await new Promise<void>((resolve) => {
      child.stderr?.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('reading spend')) resolve();
      });
    });
    child.kill('SIGINT');
    const run = await child;
    expect(run.exitCode).toBe(130);
    expect(run.stderr).toMatch(/interrupted/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('exits 3 naming a command that exists when no cloud can be read', async () => {
    const env = { GUARDIAN_DEMO_OUTAGE: 'us-east-1,global', ...ownData('all-down') };
    const run = await guardian(['costs', '--profile', 'demo', '--provider', 'aws', 'azure', '--call-timeout', '1s'], env);
    expect(run.exitCode).toBe(3);
    expect(run.stderr).toMatch(
      /^guardian: could not read spend from aws \(CallTimeout: .*\); azure \(CallTimeout: .*\) — check the credentials with 'guardian config test'/m,
    );
  });
});

describe('guardian costs: what the tables say', () => {
  it('says a --from/--to period once, gives Previous its currency and keeps currencies apart in the Top tables', async () => {
    const run = await guardian(['costs', '--profile', 'demo', '--from', '2026-10-01', '--to', '2026-10-10', '--top', '1000']);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/for 2026-10-01 to 2026-10-10 \(10 days\), compared with 2026-09-21 to 2026-09-30/);
    expect(run.stdout).not.toMatch(/2026-10-01 to 2026-10-10: 2026-10-01 to 2026-10-10/);
    const accounts = run.stdout.slice(run.stdout.indexOf('Top accounts'));
    const rows = accounts.split('\n').filter((line) => /^│ (aws|azure|gcp) /.test(line));
    const currencies = rows.map((line) => (/ (USD|EUR) │/.exec(line) as RegExpExecArray)[1]);
    // Every row's Spend and Previous carry a currency, and the USD rows come before the EUR ones.
    expect(rows.every((line) => (line.match(/ (USD|EUR) /g) ?? []).length >= 2)).toBe(true);
    expect(currencies).toEqual([...currencies].sort((a, b) => (a === b ? 0 : a === 'USD' ? -1 : 1)));
    expect(new Set(currencies)).toEqual(new Set(['USD', 'EUR']));
  });

  it("answers a back-to-back run from Cost Explorer's cache and prunes entries past their TTL", async () => {
    const env = ownData('cache');
    const args = ['costs', '--profile', 'demo', '--provider', 'aws', '-v'];
    const first = await guardian(args, env);
    expect(first.exitCode, first.stderr).toBe(0);
    const paid = Number(/Cost Explorer: (\d+) paid request/.exec(first.stderr)?.[1]);
    expect(paid).toBeGreaterThan(0);
    const cacheDir = join(dir, 'data-cache', 'cache', 'costexplorer');
    const stale = join(cacheDir, 'stale-entry.json');
    writeFileSync(stale, '{}');
    const old = new Date(Date.now() - 2 * 60 * 60 * 1000);
    utimesSync(stale, old, old);
    const entries = readdirSync(cacheDir).length;
    const second = await guardian(args, env);
    expect(second.exitCode, second.stderr).toBe(0);
    expect(second.stderr).toMatch(new RegExp(`Cost Explorer: 0 paid request\\(s\\) \\(\\$0\\.00\\), ${paid} answered from the cache`));
    const third = await guardian(['costs', '--profile', 'demo', '--provider', 'aws', '--month', '2026-09', '-v'], env);
    expect(third.exitCode, third.stderr).toBe(0);
    expect(existsSync(stale)).toBe(false);
    expect(readdirSync(cacheDir).length).toBeGreaterThan(entries - 1);
  });
});

describe('guardian costs --estimate', () => {
  it('prices the demo estate and lists what it could not price', async () => {
    const run = await guardian(['costs', '--profile', 'demo', '--estimate', '--json']);
    expect(run.exitCode, run.stderr).toBe(0);
    const estimate = JSON.parse(run.stdout);
    expect(estimate).toMatchObject({ schemaVersion: 1, kind: 'guardian.costs.estimate', currency: 'USD' });
    expect(estimate.monthly).toBeGreaterThan(0);
    expect(estimate.counts.priced).toBeGreaterThan(50);
    expect(estimate.counts.unpriced).toBe(estimate.unpriced.length);
    expect(estimate.unpriced.length).toBeGreaterThan(0);
    expect(
      estimate.unpriced
        .filter((u: { kind: string }) => u.kind === 'aws.s3.bucket')
        .every((u: { reason: string }) => /usage-based/.test(u.reason)),
    ).toBe(true);
    expect(estimate.sources).toHaveLength(5);
  });

  it('prices a snapshot file and fails a budget the run-rate exceeds', async () => {
    const snapshot = join(dir, 'snapshot.json');
    const base = { account: '123456789012', region: 'us-east-1', tags: {}, relations: [] };
    writeFileSync(
      snapshot,
      JSON.stringify({
        schemaVersion: 1,
        kind: 'guardian.snapshot',
        complete: true,
        errors: [],
        resources: [
          {
            ...base,
            cloud: 'aws',
            kind: 'aws.ec2.instance',
            id: 'i-1',
            name: 'web-1',
            state: 'running',
            attributes: { instanceType: 'm5.large' },
          },
          { ...base, cloud: 'aws', kind: 'aws.ec2.volume', id: 'vol-1', name: 'data', attributes: { volumeType: 'gp2', sizeGb: 100 } },
          {
            ...base,
            cloud: 'aws',
            kind: 'aws.ec2.instance',
            id: 'i-2',
            name: 'odd',
            state: 'running',
            attributes: { instanceType: 'z9.mega' },
          },
        ],
      }),
    );
    const run = await guardian(['costs', '--estimate', '--input', snapshot, '--json']);
    expect(run.exitCode, run.stderr).toBe(0);
    const estimate = JSON.parse(run.stdout);
    expect(estimate.monthly).toBe(80.08); // 730 h × $0.096 + 100 GiB × $0.10
    expect(estimate.unpriced).toEqual([expect.objectContaining({ id: 'i-2', reason: 'no list price for z9.mega in us-east-1' })]);
    const table = await guardian(['costs', '--estimate', '--input', snapshot]);
    expect(table.stdout).toMatch(/Not priced[\s\S]*z9\.mega/);
    const over = await guardian(['costs', '--estimate', '--input', snapshot, '--budget', '50']);
    expect(over.exitCode).toBe(1);
    expect(over.stderr).toMatch(/budget exceeded: the estate's estimated monthly run-rate 80\.08 USD is over the budget of 50\.00 USD/);
  });
});
