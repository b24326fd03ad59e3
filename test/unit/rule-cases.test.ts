// Every rule in the catalog, judged by the engine on the cases beside it
// (src/rules/<category>/<cloud>/<slug>.cases.ts, shaped by src/rules/cases.ts). A rule without a
// cases file, a failing case or a passing case fails here.

import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/model/finding.js';
import type { FindingCase, RuleCase, RuleCases, UnknownCase } from '../../src/rules/cases.js';
import { loadCatalog, RULES_DIRECTORY, ruleFiles } from '../../src/rules/catalog.js';
import { runRules } from '../../src/rules/engine.js';
import { RULE_CATEGORIES, type Rule } from '../../src/rules/rule.js';

const catalog = await loadCatalog();
const files = await ruleFiles();

/** Rule id → its cases, or the path where they are missing. */
const casesById = new Map<string, RuleCases | string>();
for (const file of files) {
  const { rule } = (await import(pathToFileURL(file.file).href)) as { rule: Rule };
  const casesFile = file.file.replace(/\.(ts|js)$/, '.cases.ts');
  // A missing file is reported below; a cases file that does not load is a bug and fails the run.
  const module = existsSync(casesFile) ? ((await import(pathToFileURL(casesFile).href)) as { cases?: RuleCases }) : undefined;
  casesById.set(rule.id, module?.cases ?? path.relative(process.cwd(), casesFile));
}

/** The findings the engine gives the case's resource when it runs `rule` over the case. */
function judge(rule: Rule, testCase: RuleCase) {
  const result = runRules([rule], [testCase.resource, ...(testCase.others ?? [])], { recordPasses: true });
  return {
    findings: result.findings.filter((f) => f.resource.id === testCase.resource.id),
    passed: result.passes.some((p) => p.resource.id === testCase.resource.id),
  };
}

/** What every finding must be: one sentence that names the resource by id and name. */
function expectOneSentenceNaming(finding: Finding, testCase: FindingCase) {
  expect(finding.message).toContain(testCase.resource.id);
  expect(finding.message).toContain(testCase.resource.name);
  expect(finding.message).toMatch(/\.$/);
  expect(finding.message.split(/\.\s+[A-Z]/).length).toBe(1);
  if (testCase.finding) expect(finding).toMatchObject(testCase.finding);
}

const named = <T extends RuleCase>(list: T[] | undefined) => (list ?? []).map((c, i) => [c.name ?? `case ${i + 1}`, c] as const);

describe('rule cases', () => {
  it('has a cases file beside every rule, with at least one failing and one passing case', () => {
    const problems = catalog.flatMap((rule) => {
      const cases = casesById.get(rule.id);
      if (typeof cases === 'string') return [`${rule.id}: no cases at ${cases} (see src/rules/cases.ts)`];
      if (!cases) return [`${rule.id}: not found on disk`];
      return [
        ...(cases.fail.length === 0 ? [`${rule.id}: no failing case`] : []),
        ...(cases.pass.length === 0 ? [`${rule.id}: no passing case`] : []),
      ];
    });
    expect(problems).toEqual([]);
  });

  it('has no cases file without a rule beside it', async () => {
    const orphans: string[] = [];
    for (const category of RULE_CATEGORIES) {
      const root = path.join(RULES_DIRECTORY, category);
      const entries = await readdir(root, { recursive: true }).catch(() => [] as string[]);
      for (const entry of entries.filter((e) => e.endsWith('.cases.ts'))) {
        const slug = path.basename(entry, '.cases.ts');
        if (!files.some((f) => f.file === path.join(root, path.dirname(entry), `${slug}.ts`))) orphans.push(path.join(category, entry));
      }
    }
    expect(orphans).toEqual([]);
  });
});

describe.each(catalog.map((rule) => [rule.id, rule] as const))('%s', (id, rule) => {
  const cases = casesById.get(id);
  const { pass, fail, unknown } = typeof cases === 'object' ? cases : { pass: [], fail: [], unknown: [] };

  it.each(named(pass))('passes %s', (_, testCase) => {
    expect(rule.kinds).toContain(testCase.resource.kind);
    const { findings, passed } = judge(rule, testCase);
    expect(findings).toEqual([]);
    expect(passed).toBe(true);
  });

  it.each(named(fail))('fails %s with one sentence naming it', (_, testCase) => {
    const { findings } = judge(rule, testCase);
    expect(findings).toHaveLength(1);
    expect(findings[0].status).toBe('fail');
    expectOneSentenceNaming(findings[0], testCase);
  });

  it.each(named(unknown))('cannot decide %s, and says which attributes and why, never passing it', (_, testCase: UnknownCase) => {
    const { findings } = judge(rule, testCase);
    expect(findings).toHaveLength(1);
    const [finding] = findings;
    expect(finding.status).toBe('unknown');
    expect(finding.unknownAttributes).toEqual(testCase.missing);
    const afterApply = (testCase.resource.attributes.unknownAfterApply as string[] | undefined) ?? [];
    expect(finding.message).toMatch(
      testCase.missing.every((name) => afterApply.includes(name)) ? /will be known only after apply/ : /(was|were) not reported/,
    );
    expectOneSentenceNaming(finding, testCase);
  });
});
