// Periods, group keys, budgets and the report's arithmetic (totals per currency, shares,
// changes, the linear projection), on hand-made series.

import { describe, expect, it } from 'vitest';
import { resolvePeriods } from '../../src/costs/period.js';
import { checkBudget, currencyTotals, groupTable, projectMonthEnd } from '../../src/costs/report.js';
import { parseBudget, parseDimension } from '../../src/costs/run.js';
import { UsageError } from '../../src/errors.js';
import type { CostSeries } from '../../src/model/cost.js';

const TODAY = '2026-11-25';

describe('resolvePeriods', () => {
  it('defaults to the month to date against the same days of the month before', () => {
    const { current, previous } = resolvePeriods({}, TODAY);
    expect(current).toMatchObject({ start: '2026-11-01', end: '2026-11-26', days: 25, label: 'month to date' });
    expect(previous).toMatchObject({ start: '2026-10-01', end: '2026-10-26', days: 25 });
  });

  it('reads --last in days, weeks, months and years ending today', () => {
    expect(resolvePeriods({ last: '30d' }, TODAY).current).toMatchObject({ start: '2026-10-27', end: '2026-11-26', days: 30 });
    expect(resolvePeriods({ last: '30d' }, TODAY).previous).toMatchObject({ start: '2026-09-27', end: '2026-10-27' });
    expect(resolvePeriods({ last: '12w' }, TODAY).current).toMatchObject({ start: '2026-09-03', days: 84 });
    expect(resolvePeriods({ last: '3m' }, TODAY).current).toMatchObject({ start: '2026-08-26', end: '2026-11-26' });
    expect(resolvePeriods({ last: '1y' }, TODAY).current).toMatchObject({ start: '2025-11-26', end: '2026-11-26', days: 365 });
  });

  it('takes a whole past month, and clips the running month to today', () => {
    const october = resolvePeriods({ month: '2026-10' }, TODAY);
    expect(october.current).toMatchObject({ start: '2026-10-01', end: '2026-11-01', days: 31 });
    expect(october.previous).toMatchObject({ start: '2026-09-01', end: '2026-10-01', days: 30 });
    expect(resolvePeriods({ month: '2026-11' }, TODAY).current).toMatchObject({ start: '2026-11-01', end: '2026-11-26' });
    expect(resolvePeriods({ month: '2026-03' }, '2026-03-31').previous).toMatchObject({ start: '2026-02-01', end: '2026-03-01' });
  });

  it('treats --to as the last day included', () => {
    const { current, previous } = resolvePeriods({ from: '2026-10-01', to: '2026-10-10' }, TODAY);
    expect(current).toMatchObject({ start: '2026-10-01', end: '2026-10-11', days: 10 });
    expect(previous).toMatchObject({ start: '2026-09-21', end: '2026-10-01' });
  });

  it.each([
    [{ last: '3x' }, /--last '3x' is not a span/],
    [{ last: '0d' }, /--last '0d'/],
    [{ month: '2026-13' }, /--month '2026-13' is not a month/],
    [{ month: '2027-01' }, /in the future/],
    [{ from: '2026-02-30' }, /--from '2026-02-30' is not a date/],
    [{ from: '2026-10-10', to: '2026-10-01' }, /--to 2026-10-01 is before --from 2026-10-10/],
    [{ to: '2026-10-01' }, /--to needs --from/],
    [{ from: '2026-12-01' }, /in the future/],
    [{ last: '30d', month: '2026-10' }, /choose one of --last, --month/],
  ])('rejects %o with a usage error', (options, message) => {
    expect(() => resolvePeriods(options, TODAY)).toThrow(UsageError);
    expect(() => resolvePeriods(options, TODAY)).toThrow(message);
  });
});

describe('group keys and budgets', () => {
  it('accepts service, region, account and tag:KEY and nothing else', () => {
    expect(parseDimension('service')).toBe('service');
    expect(parseDimension('tag:cost-center')).toBe('tag:cost-center');
    expect(() => parseDimension('colour')).toThrow(/unknown group key 'colour'/);
    expect(() => parseDimension('tag:')).toThrow(UsageError);
  });

  it('reads budgets in USD by default or in the currency given', () => {
    expect(parseBudget('5000')).toEqual({ amount: 5000, currency: 'USD' });
    expect(parseBudget('4,500.50 eur')).toEqual({ amount: 4500.5, currency: 'EUR' });
    expect(() => parseBudget('lots')).toThrow(UsageError);
  });
});

function series(dimension: CostSeries['dimension'], groups: CostSeries['groups']): CostSeries {
  return { cloud: 'aws', metric: 'unblended', granularity: 'daily', dimension, start: '2026-10-01', end: '2026-11-26', groups };
}

describe('report arithmetic', () => {
  const current = { start: '2026-11-01', end: '2026-11-26', days: 25, label: 'month to date' };
  const previous = { start: '2026-10-01', end: '2026-10-26', days: 25, label: 'same days last month' };
  const data = [
    series('service', [
      {
        account: 'a',
        key: 'EC2',
        points: [
          { date: '2026-10-05', amount: 100, currency: 'USD' },
          { date: '2026-11-05', amount: 150, currency: 'USD' },
        ],
      },
      { account: 'a', key: 'S3', points: [{ date: '2026-11-06', amount: 50, currency: 'USD' }] },
      {
        account: 'b',
        key: 'VMs',
        points: [
          { date: '2026-11-07', amount: 80, currency: 'EUR' },
          { date: '2026-10-07', amount: 40, currency: 'EUR' },
        ],
      },
    ]),
  ];

  it('keeps currencies apart and computes change against the previous period', () => {
    expect(currencyTotals(data, current, previous)).toEqual([
      { currency: 'USD', amount: 200, previous: 100, change: 100, changePercent: 100 },
      { currency: 'EUR', amount: 80, previous: 40, change: 40, changePercent: 100 },
    ]);
  });

  it('ranks groups within their own currency, the larger currency first, and keeps the rest as others', () => {
    const table = groupTable('service', data, current, previous, 1);
    expect(table.rows.map((r) => [r.key, r.currency, r.amount, r.share, r.changePercent])).toEqual([
      ['EC2', 'USD', 150, 75, 50],
      ['VMs', 'EUR', 80, 100, 100],
    ]);
    expect(table.others).toEqual([{ currency: 'USD', count: 1, amount: 50 }]);
    // A EUR row larger than a USD row still sorts with the EUR rows.
    const mixed = groupTable(
      'service',
      [
        series('service', [
          { account: 'a', key: 'big-usd', points: [{ date: '2026-11-02', amount: 1000, currency: 'USD' }] },
          { account: 'a', key: 'small-usd', points: [{ date: '2026-11-02', amount: 10, currency: 'USD' }] },
          { account: 'b', key: 'mid-eur', points: [{ date: '2026-11-02', amount: 500, currency: 'EUR' }] },
        ]),
      ],
      current,
      previous,
      10,
    );
    expect(mixed.rows.map((r) => r.key)).toEqual(['big-usd', 'small-usd', 'mid-eur']);
    expect(groupTable('account', data, current, previous, 10).rows.map((r) => [r.key, r.amount])).toEqual([
      ['a', 200],
      ['b', 80],
    ]);
  });

  it('checks a budget against month to date and projection, and does not judge one without spend in its currency', () => {
    const projections = projectMonthEnd(data, '2026-11-25');
    expect(projections.map((p) => [p.currency, p.monthToDate])).toEqual([
      ['USD', 200],
      ['EUR', 80],
    ]);
    expect(checkBudget({ amount: 150, currency: 'USD' }, projections, '2026-11').exceeded).toBe('month-to-date');
    const daily = Array.from({ length: 56 }, (_, i) => ({
      date: new Date(Date.UTC(2026, 9, 1 + i)).toISOString().slice(0, 10),
      amount: 10,
      currency: 'USD',
    }));
    const steady = projectMonthEnd([series('account', [{ account: 'a', key: 'a', points: daily }])], '2026-11-25');
    expect(steady[0]).toMatchObject({ monthToDate: 250, projectedMonthEnd: 300 });
    expect(checkBudget({ amount: 275, currency: 'USD' }, steady, '2026-11').exceeded).toBe('projection');
    const ok = checkBudget({ amount: 1_000_000, currency: 'USD' }, projections, '2026-11');
    expect(ok).toMatchObject({ exceeded: false, judged: true, missing: [] });
    expect(ok.notCovered).toEqual([{ currency: 'EUR', monthToDate: 80 }]);
    const none = checkBudget({ amount: 100, currency: 'GBP' }, projections, '2026-11');
    expect(none).toMatchObject({ exceeded: false, judged: false });
  });

  it('projects with the backtested forecast from 8 weeks of history, and with the run-rate below that or on the last day', () => {
    const days = (first: string, n: number) =>
      Array.from({ length: n }, (_, i) => {
        const date = new Date(Date.parse(`${first}T00:00:00Z`) + i * 86_400_000);
        const weekend = [0, 6].includes(date.getUTCDay());
        return { date: date.toISOString().slice(0, 10), amount: (100 + i) * (weekend ? 0.6 : 1) + (i % 3), currency: 'USD' };
      });
    const of = (points: ReturnType<typeof days>, today: string) =>
      projectMonthEnd([series('account', [{ account: 'a', key: 'a', points }])], today)[0];
    const long = of(days('2026-08-28', 90), '2026-11-25');
    expect(long.basis.method).toBe('forecast');
    expect(long.basis.forecast).toMatchObject({ historyDays: 90, model: expect.stringMatching(/seasonal-naive|run-rate|holt-winters/) });
    expect(long.basis.forecast?.scores.map((s) => s.model).sort()).toEqual(['holt-winters', 'run-rate', 'seasonal-naive']);
    expect(long.basis.runRateProjection).toBeGreaterThan(long.monthToDate);
    // The intervals are the backtest's error quantiles: nested, and not necessarily centred on
    // the forecast (a model that ran low on a growing series has its interval above it).
    const [low80, high80] = long.basis.forecast?.interval80 ?? [0, 0];
    const [low95, high95] = long.basis.forecast?.interval95 ?? [0, 0];
    expect(low95).toBeLessThanOrEqual(low80);
    expect(low80).toBeLessThan(high80);
    expect(high80).toBeLessThanOrEqual(high95);
    expect(Math.abs(long.projectedMonthEnd - (low80 + high80) / 2)).toBeLessThan(0.05 * long.projectedMonthEnd);
    // 55 days: one short of the 8 weeks the forecaster needs.
    expect(of(days('2026-10-02', 55), '2026-11-25').basis.method).toBe('run-rate');
    const lastDay = of(days('2026-08-02', 121), '2026-11-30');
    expect(lastDay.basis.method).toBe('run-rate');
    expect(lastDay.projectedMonthEnd).toBe(lastDay.monthToDate);
  });
});
