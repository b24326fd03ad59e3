// The month-end projection on pure daily series: monthly one-off charges are found in the history
// and counted once, the run-rate ignores spikes, and the basis says how the figure was made.

import { describe, expect, it } from 'vitest';
import { addDays, dayNumber } from '../../src/costs/period.js';
import { type DailyAmount, projectMonth } from '../../src/costs/projection.js';

/** Daily amounts from `start` to `last` inclusive. */
function series(start: string, last: string, amount: (date: string) => number): DailyAmount[] {
  const out: DailyAmount[] = [];
  for (let day = start; day <= last; day = addDays(day, 1)) out.push({ date: day, amount: amount(day) });
  return out;
}
const dom = (date: string) => Number(date.slice(8, 10));

describe('projectMonth', () => {
  it('on the 1st, counts a first-of-month charge once instead of multiplying it by the month', () => {
    const daily = series('2026-08-01', '2026-12-01', (d) => 100 + (dom(d) === 1 ? 3000 : 0));
    const projection = projectMonth(daily, '2026-12-01');
    expect(projection.monthToDate).toBe(3100);
    // Linear would be 3100 × 31 = 96,100.
    expect(projection.projectedMonthEnd).toBe(3100 + 100 * 30);
    expect(projection.basis).toMatchObject({
      method: 'run-rate',
      window: { start: '2026-11-18', last: '2026-12-01', days: 14 },
      runRate: 100,
      daysLeft: 30,
      notYetBilled: 0,
    });
    expect(projection.basis.oneOffs).toEqual([{ dayOfMonth: 1, amount: 3000, seenIn: 3, of: 3, billed: true }]);
  });

  it('adds a monthly charge that is still to come this month', () => {
    const daily = series('2026-07-01', '2026-11-10', (d) => 50 + (dom(d) === 15 ? 500 : 0));
    const projection = projectMonth(daily, '2026-11-10');
    expect(projection.basis.oneOffs).toEqual([{ dayOfMonth: 15, amount: 500, seenIn: 3, of: 3, billed: false }]);
    expect(projection.basis.notYetBilled).toBe(500);
    expect(projection.projectedMonthEnd).toBe(50 * 10 + 50 * 20 + 500);
  });

  it('does not take a spike seen once for a monthly charge, and keeps it out of the run-rate', () => {
    const daily = series('2026-08-01', '2026-11-25', (d) => 200 + (d === '2026-11-20' ? 5000 : 0) + (d === '2026-10-07' ? 4000 : 0));
    const projection = projectMonth(daily, '2026-11-25');
    expect(projection.basis.oneOffs).toEqual([]);
    expect(projection.basis.runRate).toBeLessThanOrEqual(200 * 1.25);
    // The spike itself was spent: it stays in the month to date.
    expect(projection.monthToDate).toBe(200 * 25 + 5000);
    expect(projection.projectedMonthEnd).toBeLessThan(200 * 25 + 5000 + 5 * 250 + 1);
  });

  it('averages whole weeks so weekday and weekend spend both count', () => {
    const weekend = (d: string) => [0, 6].includes(new Date(`${d}T00:00:00Z`).getUTCDay());
    const daily = series('2026-09-01', '2026-11-25', (d) => (weekend(d) ? 40 : 100));
    const projection = projectMonth(daily, '2026-11-25');
    expect(projection.basis.runRate).toBeCloseTo((5 * 100 + 2 * 40) / 7, 1);
  });

  it('falls back to the month to date, said as such, when there are under three days of history', () => {
    const daily = series('2026-11-01', '2026-11-02', () => 10);
    const projection = projectMonth(daily, '2026-11-02');
    expect(projection.basis.method).toBe('month-to-date');
    expect(projection.projectedMonthEnd).toBe(300);
  });

  it('reads the window into the previous month early in a month', () => {
    const daily = series('2026-10-01', '2026-11-03', (d) => (d < '2026-11-01' ? 100 : 120));
    const projection = projectMonth(daily, '2026-11-03');
    expect(projection.basis.window).toEqual({ start: '2026-10-21', last: '2026-11-03', days: 14 });
    expect(dayNumber(projection.basis.window.last) - dayNumber(projection.basis.window.start) + 1).toBe(14);
    expect(projection.basis.runRate).toBeCloseTo((11 * 100 + 3 * 120) / 14, 2);
  });
});
