// The shape of a posture rule: metadata beside a pure check. Rules read normalized Resources and a
// read-only context; they never fetch, so the same rule judges a live estate, a snapshot and a plan.
//
// Adding a rule is two files in src/rules/<category>/<cloud>/: <slug>.ts exporting `rule` (use
// defineRule), and <slug>.cases.ts beside it exporting `cases` (use defineCases from ./cases.ts):
// at least one resource the rule must fail and one it must pass, and the ones it cannot decide.
// test/unit/rule-cases.test.ts runs every rule's cases through the engine and fails a rule
// without them; the catalog never loads a cases file, and the build leaves them out of dist.

import type { Severity } from '../model/finding.js';
import type { RelationType, Resource, ResourceKind } from '../model/resource.js';

/** Compliance frameworks --framework selects by. */
export const FRAMEWORKS = ['cis-aws', 'cis-azure', 'cis-gcp'] as const;
export type Framework = (typeof FRAMEWORKS)[number];

export const BENCHMARKS: Record<Framework, { benchmark: string; version: string }> = {
  'cis-aws': { benchmark: 'CIS Amazon Web Services Foundations Benchmark', version: '3.0.0' },
  'cis-azure': { benchmark: 'CIS Microsoft Azure Foundations Benchmark', version: '2.0.0' },
  'cis-gcp': { benchmark: 'CIS Google Cloud Platform Foundation Benchmark', version: '2.0.0' },
};

/** A control in a published benchmark or best-practice standard. */
export interface RuleReference {
  /** 'cis-aws' | 'cis-azure' | 'cis-gcp' for CIS controls; other standards carry their own short name. */
  framework: Framework | 'aws-fsbp' | 'azure-mcsb';
  benchmark: string;
  version: string;
  control: string;
  title?: string;
}

export type Verdict =
  | { status: 'pass' }
  | { status: 'fail'; message: string }
  /** The attributes the rule needs are not known; `missing` names them. Never a pass. */
  | { status: 'unknown'; message: string; missing: string[] };

/** Read-only access to the rest of the scanned estate. */
export interface RuleContext {
  byId(id: string): Resource | undefined;
  /** The resources `resource` points at with a relation of this type (instance → its security groups). */
  related(resource: Resource, type: RelationType): Resource[];
  /** The resources that point at `resource` with a relation of this type (instance ← its Elastic IP). */
  referrers(resource: Resource, type: RelationType): Resource[];
  /** Tagged tier=data or tier=db (key and value case-insensitive): public exposure there is a finding. */
  isSensitiveTier(resource: Resource): boolean;
  /** The VPC's default security group (flag from the provider, or the reserved group name). */
  isDefaultSecurityGroup(resource: Resource): boolean;
}

/**
 * What a rule is about. Declared in one place, the folder a rule file sits in
 * (src/rules/<category>/<cloud>/<slug>.ts): the catalog sets it, rule files do not repeat it.
 */
export const RULE_CATEGORIES = ['security', 'cost'] as const;
export type RuleCategory = (typeof RULE_CATEGORIES)[number];

export interface RuleMetadata {
  /** Stable forever: AWS-EC2-001, AZ-NET-001, GCP-CMP-001. */
  id: string;
  /** The rule's file name without extension. */
  slug: string;
  title: string;
  /** What the rule checks and why it matters (≤ 1024 characters: SARIF fullDescription). */
  description: string;
  severity: Severity;
  /** From the rule's folder: `scan` runs security rules, `optimize` cost rules. */
  category: RuleCategory;
  kinds: ResourceKind[];
  references: RuleReference[];
  /** The exact CLI command or console steps that fix it. */
  remediation: string;
  /** Free tags for grouping (network, encryption, exposure, …). */
  tags: string[];
}

export interface Rule extends RuleMetadata {
  check(resource: Resource, context: RuleContext): Verdict;
}

/** A rule as its file declares it: everything but the category its folder gives it. */
export type RuleDefinition = Omit<Rule, 'category'>;

/** Identity for type inference in rule files. */
export function defineRule(rule: RuleDefinition): RuleDefinition {
  return rule;
}

export const PASS: Verdict = { status: 'pass' };

export function fail(message: string): Verdict {
  return { status: 'fail', message };
}

/** How a resource is named in a finding: `security group "web" (sg-0abc)`. */
export function label(noun: string, resource: Resource): string {
  return resource.name && resource.name !== resource.id ? `${noun} "${resource.name}" (${resource.id})` : `${noun} ${resource.id}`;
}

/** Attributes a plan knows only after apply (set by src/plan; absent for live resources). */
export function unknownAfterApply(resource: Resource): readonly string[] {
  const value = resource.attributes.unknownAfterApply;
  return Array.isArray(value) ? (value as string[]) : [];
}

/** A verdict for a rule that cannot decide: says why the attribute is unknown. */
export function unknown(resource: Resource, subject: string, missing: string[], question: string): Verdict {
  const afterApply = unknownAfterApply(resource);
  const why = missing.every((name) => afterApply.includes(name))
    ? `${missing.join(', ')} will be known only after apply`
    : `${missing.join(', ')} ${missing.length === 1 ? 'was' : 'were'} not reported`;
  return { status: 'unknown', message: `Could not verify whether ${subject} ${question}: ${why}.`, missing };
}
