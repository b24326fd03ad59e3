// Every cost rule, judged on the cases beside it (src/rules/cost/<cloud>/<slug>.cases.ts, shaped by
// `defineCostCases` in src/rules/cases.ts) through the walk `guardian optimize` runs rules with
// (ruleChecks, then the rule's `recommend`). A cost rule without a cases file, a recommending case
// or a leaving case fails here; orphan cases files fail in rule-cases.test.ts.

import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as pricing from '../../src/pricing/catalog.js';
import { COST_NOW, COST_WINDOW, type CostCase, type CostCases, type RecommendCase, type UnjudgedCase } from '../../src/rules/cases.js';
import { loadCostCatalog, ruleFiles } from '../../src/rules/catalog.js';
import { createRuleContext } from '../../src/rules/context.js';
import { type CostContext, type CostRule, type CostVerdict, DEFAULT_THRESHOLDS } from '../../src/rules/cost.js';
import { ruleChecks } from '../../src/rules/engine.js';

const catalog = await loadCostCatalog();

/** Rule id → its cases, or the path where they are missing. */
const casesById = new Map<string, CostCases | string>();
for (const file of await ruleFiles(undefined, ['cost'])) {
  const { rule } = (await import(pathToFileURL(file.file).href)) as { rule: CostRule };
  const casesFile = file.file.replace(/\.(ts|js)$/, '.cases.ts');
  // A missing file is reported below; a cases file that does not load is a bug and fails the run.
  const module = existsSync(casesFile) ? ((await import(pathToFileURL(casesFile).href)) as { cases?: CostCases }) : undefined;
  casesById.set(rule.id, module?.cases ?? casesFile);
}

/** The context optimize hands a rule, built from the case instead of the clouds. */
function contextOf(testCase: CostCase): CostContext {
  const resources = [testCase.resource, ...(testCase.others ?? [])];
  const inUse = new Set(testCase.snapshotsInUse ?? []);
  return {
    ...createRuleContext(resources),
    thresholds: { ...DEFAULT_THRESHOLDS, ...testCase.thresholds },
    now: testCase.now ?? COST_NOW,
    windowStart: COST_WINDOW.start,
    metric: (resource, metric) =>
      (resource.id === testCase.resource.id ? testCase.readings?.[metric] : undefined) ?? { status: 'missing', reason: 'offline' },
    listed: () => testCase.listed ?? true,
    snapshotInUse: (id) => inUse.has(id),
    pricing,
  };
}

/** The verdicts `rule` gives the case's resource when run over the case's estate as optimize runs it. */
function judge(rule: CostRule, testCase: CostCase): CostVerdict[] {
  const context = contextOf(testCase);
  const verdicts: CostVerdict[] = [];
  for (const [r, resource] of ruleChecks([rule], [testCase.resource, ...(testCase.others ?? [])])) {
    if (resource.id === testCase.resource.id) verdicts.push(r.recommend(resource, context));
  }
  return verdicts;
}

const named = <T extends CostCase>(list: T[] | undefined) => (list ?? []).map((c, i) => [c.name ?? `case ${i + 1}`, c] as const);

describe('cost rule cases', () => {
  it('has a cases file beside every cost rule, with at least one recommending and one leaving case', () => {
    const problems = catalog.flatMap((rule) => {
      const cases = casesById.get(rule.id);
      if (typeof cases === 'string') return [`${rule.id}: no cases at ${cases} (see defineCostCases in src/rules/cases.ts)`];
      if (!cases) return [`${rule.id}: not found on disk`];
      return [
        ...(cases.recommend.length === 0 ? [`${rule.id}: no recommending case`] : []),
        ...(cases.leave.length === 0 ? [`${rule.id}: no leaving case`] : []),
      ];
    });
    expect(problems).toEqual([]);
  });
});

describe.each(catalog.map((rule) => [rule.id, rule] as const))('%s', (id, rule) => {
  const cases = casesById.get(id);
  const { recommend, leave, unjudged } = typeof cases === 'object' ? cases : { recommend: [], leave: [], unjudged: [] };

  it.each(named(recommend))(
    'recommends for %s, naming it in one sentence, with its saving, evidence, a risk and the cloud CLI',
    (_, testCase: RecommendCase) => {
      expect(rule.kinds).toContain(testCase.resource.kind);
      const verdicts = judge(rule, testCase);
      expect(verdicts).toHaveLength(1);
      const [verdict] = verdicts;
      expect(verdict.status, JSON.stringify(verdict)).toBe('recommend');
      if (verdict.status !== 'recommend') return;
      expect(rule.action).toBe(testCase.action);
      const { proposal } = verdict;
      expect(proposal.summary).toContain(testCase.resource.id);
      expect(proposal.summary).toContain(testCase.resource.name);
      expect(proposal.summary.split(/\.\s+[A-Z]/).length).toBe(1);
      expect(proposal.summary).toMatch(/\.$/);
      if (testCase.saving) expect(proposal.saving).toEqual(testCase.saving);
      if (!testCase.saving || 'amount' in testCase.saving) {
        expect('amount' in proposal.saving && proposal.saving.amount > 0, JSON.stringify(proposal.saving)).toBe(true);
      }
      expect(proposal.evidence.length).toBeGreaterThan(0);
      expect(proposal.cli.join(' ')).toMatch(/^(aws|az|gcloud) /);
      expect(proposal.risk.length).toBeGreaterThan(20);
      if (testCase.proposal) expect(proposal).toMatchObject(testCase.proposal);
    },
  );

  it.each(named(leave))('leaves %s alone', (_, testCase) => {
    expect(rule.kinds).toContain(testCase.resource.kind);
    expect(judge(rule, testCase)).toEqual([{ status: 'none' }]);
  });

  it.each(named(unjudged))('does not judge %s, and says why, never leaving it as clean', (_, testCase: UnjudgedCase) => {
    const verdicts = judge(rule, testCase);
    expect(verdicts).toHaveLength(1);
    const [verdict] = verdicts;
    expect(verdict.status).toBe('undecided');
    if (verdict.status !== 'undecided') return;
    if (typeof testCase.reason === 'string') expect(verdict.reason).toBe(testCase.reason);
    else expect(verdict.reason).toMatch(testCase.reason);
  });
});
