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
  /** Count unverified findings for --fail-on too (by default they are reported, not counted). */
  failOnUnverified?: boolean;
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
  /** Unverified findings at or above --fail-on that do not count for it (without --fail-on-unverified). */
  unverifiedNotCounted: number;
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
  failOnUnverified?: boolean;
}

function byPriority(a: Finding, b: Finding): number {
  return (
    severityRank(a.severity) - severityRank(b.severity) ||
    a.ruleId.localeCompare(b.ruleId) ||
    a.resource.account.localeCompare(b.resource.account) ||
    a.resource.id.localeCompare(b.resource.id)
  );
}

/**
 * Findings that fail the run: at or above --fail-on, and new when a baseline is in use. An unverified
 * finding is never a pass, but it is a question, not an answer: it fails the run only when asked
 * (--fail-on-unverified), and is otherwise reported with how many were not counted.
 */
export function countsForFailOn(finding: Finding, failOn: Severity | undefined, failOnUnverified = false): boolean {
  return (
    failOn !== undefined &&
    finding.baseline !== 'existing' &&
    atLeast(finding.severity, failOn) &&
    (finding.status !== 'unknown' || failOnUnverified)
  );
}

/**
 * One unknown attribute of one resource (a security group's ingress known only after apply) leaves
 * every rule that reads it undecided: that is one unverified finding, led by the most severe rule and
 * naming the others, not one per rule.
 */
export function groupUnverified(findings: readonly Finding[]): Finding[] {
  const result: Finding[] = [];
  const groups = new Map<string, Finding[]>();
  for (const finding of findings) {
    if (finding.status !== 'unknown') {
      result.push(finding);
      continue;
    }
    const { cloud, account, kind, id } = finding.resource;
    const key = `${cloud}/${account}/${kind}/${id}|${[...(finding.unknownAttributes ?? [])].sort().join(',')}`;
    const group = groups.get(key);
    if (group) group.push(finding);
    else groups.set(key, [finding]);
  }
  for (const group of groups.values()) {
    const [lead, ...others] = group.sort(byPriority);
    if (others.length === 0) {
      result.push(lead);
      continue;
    }
    const ids = others.map((f) => f.ruleId);
    result.push({
      ...lead,
      message: `${lead.message} The same unknown leaves ${ids.length} more rule${ids.length === 1 ? '' : 's'} undecided: ${ids.join(', ')}.`,
      undecidedRules: ids,
    });
  }
  return result;
}

export function scan(input: ScanInput): ScanReport {
  const rules = selectRules(input.catalog, input.selection ?? {});
  const run = runRules(rules, input.resources, { recordPasses: input.recordPasses, planFile: input.planFile });
  const outcome = applySuppressions(run.findings, input.suppressions ?? [], input.now);
  // Suppressions apply per rule first, so accepting one rule's risk leaves the others' question open.
  const findings = groupUnverified(outcome.active).sort(byPriority);
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
    failOnUnverified: input.failOnUnverified,
    summary: {
      resources: input.resources.length,
      rules: rules.length,
      evaluations: run.evaluations,
      findings: findings.length,
      bySeverity,
      unknown: findings.filter((f) => f.status === 'unknown').length,
      unverifiedNotCounted: input.failOnUnverified
        ? 0
        : findings.filter((f) => f.status === 'unknown' && countsForFailOn(f, input.failOn, true)).length,
      suppressed: outcome.suppressed.length,
      new: input.baseline ? findings.filter((f) => f.baseline === 'new').length : undefined,
      failing: findings.filter((f) => countsForFailOn(f, input.failOn, input.failOnUnverified)).length,
    },
  };
}

/** A rule's metadata without its check, for JSON and --list-rules. */
export function ruleMetadata(rule: Rule): RuleMetadata {
  const { check: _check, ...metadata } = rule;
  return metadata;
}
