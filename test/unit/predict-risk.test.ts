// predict risk's arithmetic: each signal's chance and evidence, and the combined score.

import { describe, expect, it } from 'vitest';
import type { ResourceRef } from '../../src/model/metric.js';
import type { CapacityForecast } from '../../src/predict/capacity/index.js';
import { anomalySignal, capacitySignal, combine, maintenanceSignals, rank, saturationSignal } from '../../src/predict/risk/index.js';

const DAY = 86_400_000;
const NOW = Date.parse('2026-11-25T00:00:00Z');
const window = { now: NOW, horizonMs: 14 * DAY };
const ref = (name: string): ResourceRef => ({ cloud: 'aws', kind: 'aws.ec2.instance', id: name, name, account: '1', region: 'us-east-1' });
const at = (days: number) => new Date(NOW + days * DAY).toISOString();

describe('risk signals', () => {
  it('counts a scheduled event inside the horizon by its code, and ignores completed, past and far ones', () => {
    const signals = maintenanceSignals(
      [
        { code: 'instance-retirement', notBefore: at(3), state: 'scheduled', description: 'degraded hardware' },
        { code: 'system-reboot', notBefore: at(5), notAfter: at(5.1), state: 'scheduled' },
        { code: 'system-reboot', notBefore: at(-30), notAfter: at(-29.9), state: 'completed', description: '[Completed] reboot' },
        { code: 'system-maintenance', notBefore: at(-2), notAfter: at(-1.9), state: 'scheduled' },
        { code: 'instance-stop', notBefore: at(20), state: 'scheduled' },
      ],
      window,
    );
    expect(signals.map((s) => [s.probability, s.at])).toEqual([
      [0.95, NOW + 3 * DAY],
      [0.8, NOW + 5 * DAY],
    ]);
    expect(signals[0].evidence).toBe('instance-retirement scheduled from 2026-11-28 00:00: degraded hardware');
  });

  it('turns a capacity forecast into a chance by how much of its interval falls inside the horizon', () => {
    const base = { seriesId: 's', name: 'disk', threshold: 90, fitted: 100, dropped: 0, note: 'n' } as const;
    const inside = {
      ...base,
      status: 'exhausts',
      crossesAt: NOW + 3 * DAY,
      earliest: NOW + 2 * DAY,
      latest: NOW + 4 * DAY,
    } as CapacityForecast;
    const straddling = { ...inside, crossesAt: NOW + 14 * DAY, earliest: NOW + 12 * DAY, latest: NOW + 16 * DAY } as CapacityForecast;
    expect(capacitySignal(inside, window)!.probability).toBeCloseTo(0.9);
    expect(capacitySignal(straddling, window)!.probability).toBeCloseTo(0.45);
    expect(capacitySignal({ ...base, status: 'crossed', level: 95 } as CapacityForecast, window)!.probability).toBe(0.95);
    expect(capacitySignal({ ...base, status: 'no-trend' } as CapacityForecast, window)).toBeUndefined();
  });

  it('calls CPU saturated from a fifth of the hours on, more the longer it lasts', () => {
    const hours = (over: number) => Array.from({ length: 100 }, (_, i) => (i < over ? 95 : 50));
    expect(saturationSignal(hours(10))).toBeUndefined();
    expect(saturationSignal(hours(20))!.probability).toBeCloseTo(0.2);
    expect(saturationSignal(hours(100))!.probability).toBeCloseTo(0.8);
    expect(saturationSignal(hours(60))!.evidence).toMatch(/in 60% of 100 hours .*saturated most of the time/);
    expect(saturationSignal(hours(60).slice(0, 10))).toBeUndefined();
  });

  it('stands the strongest recent anomaly for them all', () => {
    const anomaly = (score: number, t: number) => ({
      seriesId: 'x',
      seriesName: 'web CPU',
      t,
      value: 99,
      expected: 40,
      spread: 5,
      score,
      reason: `+${score}`,
    });
    const signal = anomalySignal([anomaly(0.5, NOW - 1000), anomaly(0.9, NOW - 2000)])!;
    expect(signal.probability).toBeCloseTo(0.54);
    expect(signal.evidence).toMatch(/^2 recent anomalies in web CPU, strongest at .*: \+0\.9$/);
    expect(anomalySignal([])).toBeUndefined();
  });

  it('scores a machine by the chance that at least one signal happens, and ranks by it', () => {
    const both = combine(ref('both'), [
      { kind: 'maintenance', probability: 0.8, evidence: 'a' },
      { kind: 'saturation', probability: 0.5, evidence: 'b' },
    ]);
    expect(both.score).toBeCloseTo(0.9);
    const one = combine(ref('one'), [{ kind: 'capacity', probability: 0.9, evidence: 'c', at: NOW + DAY }]);
    const none = combine(ref('none'), []);
    expect(none.score).toBe(0);
    // Equal scores (0.9): the one whose trouble has a date, soonest, goes first.
    expect(rank([none, both, one]).map((r) => r.resource.name)).toEqual(['one', 'both', 'none']);
  });
});
