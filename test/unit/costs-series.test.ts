// The sandbox's true cost series: deterministic per seed, 400 days ending at the estate's day,
// currencies kept per scope, labelled anomalies visible in the data, amortized vs unblended.

import { describe, expect, it } from 'vitest';
import { aggregateCosts, costManifest, costSeries, dayNumber, splitByTag } from '../../src/sandbox/estate/costs.js';
import { generateEstate } from '../../src/sandbox/estate/generate.js';

const estate = generateEstate({ seed: 5, size: 300, now: '2026-11-25' });
const series = costSeries(estate);

describe('costSeries', () => {
  it('covers the 400 days ending at the estate day (inclusive) and is the same for the same seed', () => {
    expect(series.days).toBe(400);
    expect(series.end).toBe('2026-11-25');
    expect(dayNumber(series.end) - dayNumber(series.start)).toBe(399);
    const again = costSeries(generateEstate({ seed: 5, size: 300, now: '2026-11-25' }));
    expect(again.lines).toEqual(series.lines);
    expect(Buffer.from(again.unblended.buffer).equals(Buffer.from(series.unblended.buffer))).toBe(true);
    expect(again.anomalies).toEqual(series.anomalies);
    expect(costSeries(generateEstate({ seed: 6, size: 300, now: '2026-11-25' })).unblended).not.toEqual(series.unblended);
  });

  it('bills AWS and GCP in USD and one Azure subscription in EUR, in whole cents', () => {
    const currencies = new Set(series.lines.map((l) => `${l.cloud}:${l.currency}`));
    expect(currencies).toEqual(new Set(['aws:USD', 'gcp:USD', 'azure:USD', 'azure:EUR']));
    const euro = new Set(series.lines.filter((l) => l.currency === 'EUR').map((l) => l.account));
    expect(euro.size).toBe(1);
    expect(series.unblended.every((cents) => Number.isInteger(cents) && cents >= 0)).toBe(true);
  });

  it('shows each labelled anomaly in the data', () => {
    expect(series.anomalies.length).toBeGreaterThan(0);
    for (const anomaly of series.anomalies) {
      const line = series.lines.findIndex(
        (l) => l.cloud === anomaly.cloud && l.account === anomaly.account && l.service === anomaly.service && l.region === anomaly.region,
      );
      const t = dayNumber(anomaly.date) - dayNumber(series.start);
      const during = series.amortized[line * series.days + t];
      const before = series.amortized[line * series.days + t - 7];
      if (anomaly.kind === 'spike') expect(during).toBeGreaterThan(before * 1.5);
      else expect(during).toBeLessThan(before * 0.6);
    }
  });

  it('differs between amortized and unblended only where reservations are, and not over a whole month', () => {
    const reserved = series.lines.findIndex((l) => l.reservedShare > 0);
    const plain = series.lines.findIndex((l) => l.reservedShare === 0);
    expect(reserved).toBeGreaterThanOrEqual(0);
    const days = (metric: 'unblended' | 'amortized', line: number) =>
      Array.from(series[metric].subarray(line * series.days, (line + 1) * series.days));
    expect(days('unblended', plain)).toEqual(days('amortized', plain));
    expect(days('unblended', reserved)).not.toEqual(days('amortized', reserved));
    const october = (metric: 'unblended' | 'amortized') =>
      aggregateCosts(series, {
        cloud: series.lines[reserved].cloud,
        accounts: new Set([series.lines[reserved].account]),
        from: '2026-10-01',
        to: '2026-11-01',
        metric,
        granularity: 'none',
        groupBy: [],
      })[0].groups[0].cents;
    expect(october('unblended')).toBe(october('amortized'));
  });

  it('splits a line by tag exactly, to the cent', () => {
    for (let line = 0; line < series.lines.length; line++) {
      const parts = splitByTag(series, line, 'team', 12_345);
      expect(parts.reduce((sum, [, cents]) => sum + cents, 0)).toBe(12_345);
    }
  });

  it('summarises into a manifest without the per-day arrays', () => {
    const manifest = costManifest(series);
    expect(manifest).toMatchObject({ start: series.start, end: '2026-11-25', days: 400, inclusiveEnd: true });
    expect(manifest.lines[0].monthly.length).toBeGreaterThanOrEqual(14);
    expect(JSON.stringify(manifest).length).toBeLessThan(200_000);
  });
});
