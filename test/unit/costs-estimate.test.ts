// What `costs --estimate` means for the exit code (src/costs/estimate.ts), and the --verbose lines
// saying what the billing APIs were asked (src/costs/print.ts).

import { describe, expect, it } from 'vitest';
import { judgeEstimate } from '../../src/costs/estimate.js';
import { readStatsLines } from '../../src/costs/print.js';
import type { EstateEstimate } from '../../src/pricing/estimate.js';

const estimate = (monthly: number) => ({ monthly }) as EstateEstimate;
const INCOMPLETE = 'the inventory is incomplete (some listings failed); the estimate covers what was found';

describe('the estimate verdict', () => {
  it('fails a run-rate over the budget, naming both amounts', () => {
    const verdict = judgeEstimate(
      { estimate: estimate(1200.5), complete: true },
      { budget: { amount: 1000, currency: 'USD' }, strict: false },
    );
    expect(verdict.outcome).toBe('check-failed');
    expect(verdict.message).toMatch(
      /^budget exceeded: the estate's estimated monthly run-rate 1,200\.50 USD is over the budget of 1,000\.00 USD$/,
    );
  });

  it('passes a run-rate within the budget, and any estimate without one', () => {
    const budget = { amount: 1000, currency: 'USD' };
    expect(judgeEstimate({ estimate: estimate(999), complete: true }, { budget, strict: true })).toEqual({ warnings: [], outcome: 'ok' });
    expect(judgeEstimate({ estimate: estimate(1e9), complete: true }, { strict: true })).toEqual({ warnings: [], outcome: 'ok' });
  });

  it('warns on an incomplete inventory, and makes it exit 4 under --strict unless the budget is already exceeded', () => {
    const budget = { amount: 1000, currency: 'USD' };
    const within = { estimate: estimate(10), complete: false };
    expect(judgeEstimate(within, { budget, strict: false })).toEqual({ warnings: [INCOMPLETE], outcome: 'ok' });
    expect(judgeEstimate(within, { budget, strict: true })).toEqual({ warnings: [], outcome: 'partial', message: INCOMPLETE });
    // What was found is already over: exit 1 whatever was missed, the gap still said.
    const over = judgeEstimate({ estimate: estimate(5000), complete: false }, { budget, strict: true });
    expect(over.outcome).toBe('check-failed');
    expect(over.warnings).toEqual([INCOMPLETE]);
  });
});

describe('the billing request lines', () => {
  it("prices Cost Explorer's paid requests and counts the others' requests", () => {
    expect(
      readStatsLines({
        aws: { paidRequests: 3, cachedRequests: 2, requests: 5 },
        gcp: { paidRequests: 0, cachedRequests: 0, requests: 4 },
      }),
    ).toEqual(['Cost Explorer: 3 paid request(s) ($0.03), 2 answered from the cache', 'gcp: 4 billing request(s)']);
    expect(readStatsLines({})).toEqual([]);
  });
});
