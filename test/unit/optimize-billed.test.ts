// Which figure each optimize row uses: the 14 days' bill scaled to 730 hours, all of it for an
// action that removes the resource, the list saving's share of it for a part-saving, list prices
// where the bill cannot price the action or the choice says list; and the 14 days asked for.

import { describe, expect, it } from 'vitest';
import { billedMonthly, billedSaving, billedWindow, chooseBasis } from '../../src/optimize/billed.js';
import { difference } from '../../src/rules/cost.js';

describe('billed savings', () => {
  it('scales a 14-day bill to a month of 730 hours', () => {
    expect(billedMonthly(336, 14)).toBeCloseTo(730, 10);
    expect(billedMonthly(14 * 24 * 0.1, 14)).toBeCloseTo(73, 10);
    expect(billedMonthly(10, 7)).toBeCloseTo((10 * 730) / 168, 10);
  });

  it('takes the whole bill for an action that removes the resource, whatever the list figure was', () => {
    for (const action of [
      'stop',
      'delete-volume',
      'release-address',
      'delete-snapshot',
      'delete-load-balancer',
      'delete-database',
    ] as const) {
      expect(billedSaving(action, { amount: 100, approximate: false }, 60), action).toBe(60);
      expect(billedSaving(action, { unpriced: 'no list price for db.x9' }, 60), action).toBe(60);
    }
  });

  it('takes the list saving’s share of the bill for a resize, a modernize and gp2 → gp3', () => {
    // m5.xlarge → m5.large: half the list hour saved, so half of what it was billed.
    const saving = difference({ amount: 140.16, approximate: false }, { amount: 70.08, approximate: false });
    expect(saving).toMatchObject({ amount: 70.08, of: 140.16 });
    for (const action of ['resize', 'modernize', 'change-volume-type'] as const)
      expect(billedSaving(action, saving, 90)).toBeCloseTo(45, 10);
  });

  it('leaves on list prices what the bill cannot price: a stopped machine’s disks, a part-saving without its whole, no bill', () => {
    expect(billedSaving('delete-stopped', { amount: 20, approximate: false }, 5)).toBeUndefined();
    expect(billedSaving('resize', { amount: 20, approximate: false }, 50)).toBeUndefined();
    expect(billedSaving('stop', { amount: 20, approximate: false }, 0)).toBeUndefined();
  });

  it('chooses billed per row only where the choice allows and a bill prices it', () => {
    const saving = { amount: 30, approximate: false };
    expect(chooseBasis('auto', 'stop', saving, 12)).toEqual({ monthlySaving: 12, priceBasis: 'billed' });
    expect(chooseBasis('billed', 'stop', saving, 12)).toEqual({ monthlySaving: 12, priceBasis: 'billed' });
    expect(chooseBasis('list', 'stop', saving, 12)).toEqual({ monthlySaving: 30, priceBasis: 'list' });
    expect(chooseBasis('auto', 'stop', saving, undefined)).toEqual({ monthlySaving: 30, priceBasis: 'list' });
    expect(chooseBasis('auto', 'delete-stopped', saving, 12)).toEqual({ monthlySaving: 30, priceBasis: 'list' });
    expect(chooseBasis('auto', 'resize', { unpriced: 'no list price' }, 12)).toEqual({ monthlySaving: null, priceBasis: 'list' });
  });

  it('asks for the 14 whole days before today, whatever the time of day', () => {
    expect(billedWindow(new Date('2026-11-25T00:00:00Z'))).toEqual({ start: '2026-11-11', end: '2026-11-25' });
    expect(billedWindow(new Date('2026-11-25T23:59:59Z'))).toEqual({ start: '2026-11-11', end: '2026-11-25' });
    expect(billedWindow(new Date('2026-03-01T12:00:00Z'))).toEqual({ start: '2026-02-15', end: '2026-03-01' });
  });
});
