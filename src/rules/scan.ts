// One scan from resources to a report: select rules, run them, apply suppressions and the
// baseline, and count what remains against --fail-on. Renderers and the command read ScanReport.

import { atLeast, type Finding, SEVERITIES, type Severity, severityRank } from '../model/finding.js';
import type { Resource } from '../model/resource.js';
import { type Evaluation, type RuleSelection, runRules, selectRules } from './engine.js';
import type { Rule, RuleMetadata } from './rule.js';
import { applySuppressions, type DeclaredSuppression, type SuppressedFinding } from './suppressions.js';

export interface ScanInput {
  catalog: readonly Rule[];
  resources: readonly Resource[];
  selection?: RuleSelection;
  suppressions?: DeclaredSuppression[];
  /** Fingerprints recorded by --baseline. */
  baseline?: Set<string>;
  failOn?: Severity;
  planFile?: string;
  recordPasses?: boolean;
  now: Date;
}

export interface ScanSummary {
  resources: number;
  rules: number;
  evaluations: number;
  findings: number;
  bySeverity: Record<Severity, number>;
  /** Findings whose status is unknown (an attribute the rule needs was not known). */
  unknown: number;
  suppressed: number;
  /** With a baseline: findings the baseline did not record. */
  new?: number;
  /** Findings that count against --fail-on (new ones only, with a baseline). */
  failing: number;
}

export interface ScanReport {
  rules: Rule[];
  findings: Finding[];
  suppressed: SuppressedFinding[];
  expiredSuppressions: { suppression: DeclaredSuppression; wouldMatch: number }[];
  passes: Evaluation[];
  summary: ScanSummary;
  failOn?: Severity;
}

function byPriority(a: Finding, b: Finding): number {
  return (
    severityRank(a.severity) - severityRank(b.severity) ||
    a.ruleId.localeCompare(b.ruleId) ||
    a.resource.account.localeCompare(b.resource.account) ||
    a.resource.id.localeCompare(b.resource.id)
  );
}

/** Findings that fail the run: at or above --fail-on, and new when a baseline is in use. Unknown counts: it is not a pass. */
export function countsForFailOn(finding: Finding, failOn: Severity | undefined): boolean {
  return failOn !== undefined && finding.baseline !== 'existing' && atLeast(finding.severity, failOn);
}

export function scan(input: ScanInput): ScanReport {
  const rules = selectRules(input.catalog, input.selection ?? {});
  const run = runRules(rules, input.resources, { recordPasses: input.recordPasses, planFile: input.planFile });
  const outcome = applySuppressions(run.findings, input.suppressions ?? [], input.now);
  const findings = outcome.active.sort(byPriority);
  if (input.baseline) {
    for (const finding of findings) finding.baseline = input.baseline.has(finding.fingerprint) ? 'existing' : 'new';
  }
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const finding of findings) bySeverity[finding.severity] += 1;
  return {
    rules,
    findings,
    suppressed: outcome.suppressed,
    expiredSuppressions: outcome.expired,
    passes: run.passes,
    failOn: input.failOn,
    summary: {
      resources: input.resources.length,
      rules: rules.length,
      evaluations: run.evaluations,
      findings: findings.length,
      bySeverity,
      unknown: findings.filter((f) => f.status === 'unknown').length,
      suppressed: outcome.suppressed.length,
      new: input.baseline ? findings.filter((f) => f.baseline === 'new').length : undefined,
      failing: findings.filter((f) => countsForFailOn(f, input.failOn)).length,
    },
  };
}

/** A rule's metadata without its check, for JSON and --list-rules. */
export function ruleMetadata(rule: Rule): RuleMetadata {
  const { check: _check, ...metadata } = rule;
  return metadata;
}
