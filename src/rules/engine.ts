// The scan engine: choose rules (--rules, --skip-rules, --severity, --framework), index the
// resources by kind once, and run every selected rule over the resources of the kinds it reads.

import { UsageError } from '../errors.js';
import { atLeast, type Finding, type FindingResource, fingerprintOf, type Severity } from '../model/finding.js';
import type { Resource, ResourceKind } from '../model/resource.js';
import { didYouMean } from '../model/suggest.js';
import { createRuleContext } from './context.js';
import type { Framework, Rule, RuleMetadata } from './rule.js';

export interface RuleSelection {
  /** Only these rule ids. */
  rules?: string[];
  /** Never these rule ids. */
  skipRules?: string[];
  /** Minimum severity. */
  severity?: Severity;
  /** Only rules that cite a control of one of these benchmarks. */
  frameworks?: Framework[];
}

export function selectRules<R extends RuleMetadata>(catalog: readonly R[], selection: RuleSelection, command = 'scan'): R[] {
  const ids = catalog.map((rule) => rule.id);
  for (const [flag, list] of [
    ['--rules', selection.rules],
    ['--skip-rules', selection.skipRules],
  ] as const) {
    for (const id of list ?? []) {
      if (!ids.includes(id)) throw new UsageError(`${flag}: no rule '${id}'${didYouMean(id, ids)}; see 'guardian ${command} --list-rules'`);
    }
  }
  return catalog.filter(
    (rule) =>
      (!selection.rules || selection.rules.includes(rule.id)) &&
      !selection.skipRules?.includes(rule.id) &&
      (!selection.severity || atLeast(rule.severity, selection.severity)) &&
      (!selection.frameworks || rule.references.some((ref) => (selection.frameworks as string[]).includes(ref.framework))),
  );
}

export interface Evaluation {
  ruleId: string;
  resource: FindingResource;
}

export interface RunOptions {
  /** Keep a record of every passing rule × resource (JUnit needs one test case each). */
  recordPasses?: boolean;
  /** Set on findings of planned resources: the plan file they came from. */
  planFile?: string;
}

export interface RunResult {
  findings: Finding[];
  /** rule × resource checks performed. */
  evaluations: number;
  passes: Evaluation[];
}

export function findingResource(resource: Resource): FindingResource {
  const { cloud, kind, id, name, account, region } = resource;
  return { cloud, kind, id, name, account, region };
}

/**
 * The engine's walk, shared by scan and optimize: the resources indexed by kind once, then every
 * rule paired with each resource of the kinds it reads, rule by rule in the order given.
 */
export function* ruleChecks<R extends { kinds: readonly ResourceKind[] }>(
  rules: readonly R[],
  resources: readonly Resource[],
): Generator<[R, Resource]> {
  const byKind = new Map<ResourceKind, Resource[]>();
  for (const resource of resources) {
    const list = byKind.get(resource.kind);
    if (list) list.push(resource);
    else byKind.set(resource.kind, [resource]);
  }
  for (const rule of rules) {
    for (const kind of rule.kinds) {
      for (const resource of byKind.get(kind) ?? []) yield [rule, resource];
    }
  }
}

/** Runs `rules` over `resources`. Pure: the same input gives the same findings in the same order. */
export function runRules(rules: readonly Rule[], resources: readonly Resource[], options: RunOptions = {}): RunResult {
  const context = createRuleContext(resources);
  const findings: Finding[] = [];
  const passes: Evaluation[] = [];
  let evaluations = 0;
  for (const [rule, resource] of ruleChecks(rules, resources)) {
    evaluations += 1;
    const verdict = rule.check(resource, context);
    if (verdict.status === 'pass') {
      if (options.recordPasses) passes.push({ ruleId: rule.id, resource: findingResource(resource) });
      continue;
    }
    const subject = findingResource(resource);
    const finding: Finding = {
      ruleId: rule.id,
      title: rule.title,
      severity: rule.severity,
      status: verdict.status,
      message: verdict.message,
      resource: subject,
      fingerprint: fingerprintOf(rule.id, subject),
    };
    if (verdict.status === 'unknown') finding.unknownAttributes = verdict.missing;
    const address = resource.attributes.terraformAddress;
    if (options.planFile && typeof address === 'string') finding.source = { planFile: options.planFile, address };
    findings.push(finding);
  }
  return { findings, evaluations, passes };
}
