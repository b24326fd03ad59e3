// What a scan report means for the exit code (src/scan/verdict.ts): findings at or above --fail-on
// fail whatever was missed, a clean scan of an incomplete inventory is exit 4 only under --strict,
// and unverified findings --fail-on did not count are said.

import { describe, expect, it } from 'vitest';
import type { ScanReport, ScanSummary } from '../../src/rules/scan.js';
import { judgeScan } from '../../src/scan/verdict.js';

function scanned(summary: Partial<ScanSummary>, extra: { incomplete?: string; baselined?: boolean } = {}) {
  const full: ScanSummary = {
    resources: 10,
    rules: 5,
    evaluations: 50,
    findings: 0,
    bySeverity: { critical: 0, high: 0, medium: 0, low: 0, info: 0 },
    unknown: 0,
    unverifiedNotCounted: 0,
    suppressed: 0,
    failing: 0,
    ...summary,
  };
  return { report: { summary: full } as ScanReport, baselined: extra.baselined ?? false, incomplete: extra.incomplete };
}

const INCOMPLETE = 'the inventory is incomplete (1 listing(s) failed or timed out); findings cover what was found';

describe('the scan verdict', () => {
  it('fails on findings at or above --fail-on, even when the inventory is incomplete and --strict is given', () => {
    const verdict = judgeScan(scanned({ findings: 3, failing: 2 }, { incomplete: INCOMPLETE }), { failOn: 'high', strict: true });
    expect(verdict.outcome).toBe('check-failed');
    expect(verdict.message).toBe('2 finding(s) at or above high');
    expect(verdict.hint).toMatch(/--write-baseline FILE and --baseline FILE/);
  });

  it('says "new" findings and gives no baseline hint when a baseline narrowed them', () => {
    const verdict = judgeScan(scanned({ failing: 1 }, { baselined: true }), { failOn: 'medium', strict: false });
    expect(verdict).toEqual({ warnings: [], outcome: 'check-failed', message: '1 new finding(s) at or above medium', hint: undefined });
  });

  it('passes findings when there is no --fail-on', () => {
    expect(judgeScan(scanned({ findings: 4, failing: 4 }), { strict: false })).toEqual({ warnings: [], outcome: 'ok' });
  });

  it('makes a clean scan of an incomplete inventory exit 4 only under --strict', () => {
    const partial = scanned({}, { incomplete: INCOMPLETE });
    expect(judgeScan(partial, { failOn: 'high', strict: false }).outcome).toBe('ok');
    expect(judgeScan(partial, { failOn: 'high', strict: true })).toMatchObject({ outcome: 'partial', message: INCOMPLETE });
  });

  it('says how many unverified findings --fail-on did not count, and only with --fail-on', () => {
    const unverified = scanned({ unknown: 3, unverifiedNotCounted: 2 });
    expect(judgeScan(unverified, { failOn: 'high', strict: false }).warnings).toEqual([
      '2 unverified finding(s) at or above high were not counted: a value they need is unknown; pass --fail-on-unverified to fail on them',
    ]);
    expect(judgeScan(unverified, { strict: false }).warnings).toEqual([]);
  });
});
