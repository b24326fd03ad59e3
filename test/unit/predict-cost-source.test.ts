// Cost history into the predictors' series: per currency (never added), total, top services and
// accounts, every day of the range; saved files (costs --json, CSV) with their gaps and bad values.

import { describe, expect, it } from 'vitest';
import type { CostSeries } from '../../src/model/cost.js';
import { costHistorySeries, parseCostFile } from '../../src/predict/sources/costs.js';

const read: CostSeries[] = [
  {
    cloud: 'aws',
    metric: 'unblended',
    granularity: 'daily',
    dimension: 'service',
    start: '2026-11-01',
    end: '2026-11-04',
    groups: [
      { account: '111', key: 'EC2', points: [1, 2, 3].map((d) => ({ date: `2026-11-0${d}`, amount: 10 * d, currency: 'USD' })) },
      { account: '222', key: 'S3', points: [{ date: '2026-11-02', amount: 5, currency: 'USD' }] },
    ],
  },
  {
    cloud: 'azure',
    metric: 'unblended',
    granularity: 'daily',
    dimension: 'service',
    start: '2026-11-01',
    end: '2026-11-04',
    groups: [{ account: 'sub-eu', key: 'Storage', points: [{ date: '2026-11-01', amount: 7, currency: 'EUR' }] }],
  },
];

describe('costHistorySeries', () => {
  it('gives a total per currency, then its top services and accounts, each with every day of the range', () => {
    const series = costHistorySeries(read, { first: '2026-11-01', last: '2026-11-03' }, 1);
    expect(series.map((s) => s.id)).toEqual([
      'costs/USD/total',
      'costs/USD/service/aws/EC2',
      'costs/USD/account/aws/111',
      'costs/EUR/total',
      'costs/EUR/service/azure/Storage',
      'costs/EUR/account/azure/sub-eu',
    ]);
    expect(series[0].points.map((p) => p.v)).toEqual([10, 25, 30]);
    expect(series[0].unit).toBe('USD');
    // A day without a figure in the billing range is no spend, not a gap.
    expect(series[3].points.map((p) => p.v)).toEqual([7, 0, 0]);
  });
});

describe('parseCostFile', () => {
  it('reads CSV date,amount[,currency]; a missing day is a gap, NaN and Inf are gaps with a note each', () => {
    const file = parseCostFile(
      'date,amount,currency\n2026-11-01,10,USD\n2026-11-02,NaN,USD\n2026-11-04,Infinity,USD\n2026-11-05,12\n2026-11-01,3,EUR\n',
      'spend.csv',
    );
    const usd = file.series.find((s) => s.unit === 'USD');
    expect(usd?.points.map((p) => p.v)).toEqual([10, Number.NaN, Number.NaN, Number.NaN, 12]);
    expect(file.series.find((s) => s.unit === 'EUR')?.points.map((p) => p.v)).toEqual([3]);
    expect(file.notes).toHaveLength(2);
    expect(file.notes[0]).toMatch(/line 3: amount 'NaN' on 2026-11-02 is not a finite number/);
  });

  it('reads the daily series of a saved guardian costs --json and refuses a monthly one', () => {
    const doc = {
      schemaVersion: 1,
      kind: 'guardian.costs',
      granularity: 'daily',
      series: [
        { date: '2026-11-01', currency: 'USD', amount: 4 },
        { date: '2026-11-02', currency: 'USD', amount: 6 },
      ],
    };
    expect(parseCostFile(JSON.stringify(doc), 'c.json').series[0].points.map((p) => p.v)).toEqual([4, 6]);
    expect(() => parseCostFile(JSON.stringify({ ...doc, granularity: 'monthly' }), 'c.json')).toThrow(/monthly, not daily/);
    expect(() => parseCostFile('{"kind":"guardian.scan"}', 'c.json')).toThrow(/not a 'guardian costs --json' document/);
  });

  it('refuses a bad date, a bad currency and a repeated day with the line number', () => {
    expect(() => parseCostFile('2026-13-45,1\n', 'x.csv')).toThrow(/line 1: '2026-13-45' is not a date/);
    expect(() => parseCostFile('2026-11-01,1,US DOLLARS\n', 'x.csv')).toThrow(/line 1: 'US DOLLARS' is not a currency code/);
    expect(() => parseCostFile('2026-11-01,1\n2026-11-01,2\n', 'x.csv')).toThrow(/line 2: 2026-11-01 appears twice/);
  });
});
