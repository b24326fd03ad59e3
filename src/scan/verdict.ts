// What a scan means for the exit code, and what must be said on stderr first. A finding on what
// was listed is a finding whatever was missed (exit 1); a clean scan of an incomplete inventory is
// not a pass under --strict (exit 4). Unverified findings that --fail-on did not count are said.

import type { Severity } from '../model/finding.js';
import type { ScanOutcome } from './run.js';

export interface ScanVerdict {
  warnings: string[];
  outcome: 'ok' | 'check-failed' | 'partial';
  message?: string;
  hint?: string;
}

export function judgeScan(
  scan: Pick<ScanOutcome, 'report' | 'incomplete' | 'baselined'>,
  options: { failOn?: Severity; strict: boolean },
): ScanVerdict {
  const { summary } = scan.report;
  const { failOn } = options;
  const warnings: string[] = [];
  if (failOn && summary.unverifiedNotCounted > 0) {
    warnings.push(
      `${summary.unverifiedNotCounted} unverified finding(s) at or above ${failOn} were not counted: a value they need is unknown; pass --fail-on-unverified to fail on them`,
    );
  }
  if (failOn && summary.failing > 0) {
    const scope = scan.baselined ? 'new finding(s)' : 'finding(s)';
    return {
      warnings,
      outcome: 'check-failed',
      message: `${summary.failing} ${scope} at or above ${failOn}`,
      hint: scan.baselined ? undefined : 'accept known ones with --write-baseline FILE and --baseline FILE, or a suppression with a reason',
    };
  }
  if (scan.incomplete && options.strict) {
    return { warnings, outcome: 'partial', message: scan.incomplete, hint: 'the warnings above name the listings that failed' };
  }
  return { warnings, outcome: 'ok' };
}
