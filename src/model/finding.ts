// What a posture rule says about one resource: the Finding vocabulary shared by the rule engine,
// baselines, suppressions and every scan renderer (table, JSON, SARIF, JUnit, Markdown).

import type { Cloud, ResourceKind } from './resource.js';

/** Most severe first; the order is what --severity and --fail-on compare against. */
export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Lower is more severe: severityRank('critical') = 0. */
export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}

/** True when `severity` is `threshold` or more severe. */
export function atLeast(severity: Severity, threshold: Severity): boolean {
  return severityRank(severity) <= severityRank(threshold);
}

export function isSeverity(value: unknown): value is Severity {
  return typeof value === 'string' && (SEVERITIES as readonly string[]).includes(value);
}

/**
 * `fail`: the rule saw the misconfiguration. `unknown`: the rule could not decide because an
 * attribute it needs is not known (a live resource the provider could not describe fully, or a plan
 * value that is only known after apply). Unknown is never reported as a pass: it is a finding of
 * lower confidence that still counts for --fail-on.
 */
export type FindingStatus = 'fail' | 'unknown';

/** The resource a finding is about, as much as renderers and fingerprints need. */
export interface FindingResource {
  cloud: Cloud;
  kind: ResourceKind;
  id: string;
  name: string;
  account: string;
  region: string;
}

/** Where a planned resource came from: the plan file and its Terraform address. */
export interface FindingSource {
  planFile: string;
  address: string;
}

export interface Finding {
  ruleId: string;
  title: string;
  severity: Severity;
  status: FindingStatus;
  /** One sentence naming the resource (name and id) and what is wrong. */
  message: string;
  resource: FindingResource;
  /** Stable across runs: ruleId + cloud/account/resource id (see fingerprintOf). */
  fingerprint: string;
  /** For status unknown: which attributes were not known. */
  unknownAttributes?: string[];
  /** For status unknown: the other rules the same unknown attributes leave undecided on this resource (one finding stands for all). */
  undecidedRules?: string[];
  source?: FindingSource;
  /** With --baseline: whether the baseline already recorded this finding. */
  baseline?: 'new' | 'existing';
}

/** A finding's stable identity: the rule and the resource, never the message or the time. */
export function fingerprintOf(ruleId: string, resource: Pick<FindingResource, 'cloud' | 'account' | 'id'>): string {
  return `${ruleId}|${resource.cloud}/${resource.account}/${resource.id}`;
}

/** A suppression: findings matching it are accepted risk until it expires. */
export interface Suppression {
  /** A rule id, or '*' for every rule. */
  rule: string;
  /** A resource id (or a Terraform address for plan scans); absent: every resource. */
  resource?: string;
  /** Why the risk is accepted; required so a reviewer can judge it. */
  reason: string;
  /** ISO date (YYYY-MM-DD, end of that day UTC) or date-time after which it no longer applies. */
  expires?: string;
}

/** JSON Schema of one suppression, shared by the profile store and .guardian-suppressions.yaml. */
export const SUPPRESSION_SCHEMA = {
  type: 'object',
  required: ['rule', 'reason'],
  properties: {
    rule: { type: 'string', pattern: '^(\\*|[A-Z]+-[A-Z0-9]+-\\d{3})$' },
    resource: { type: 'string', minLength: 1 },
    reason: { type: 'string', minLength: 3 },
    expires: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}(T[0-9:.]+(Z|[+-]\\d{2}:\\d{2}))?$' },
  },
  additionalProperties: false,
} as const;
