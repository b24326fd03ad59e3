// The rule catalog: rules are found by walking src/rules/<category>/<cloud>/, not listed by hand.
// Each file exports one `rule`; the folder gives it its category, its metadata is validated against
// RULE_METADATA_SCHEMA, and its id, slug and cloud must agree with where the file lives. `scan`
// loads the security rules (loadCatalog), `optimize` the cost rules (loadCostCatalog).

import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { RECOMMENDATION_ACTIONS } from '../model/recommendation.js';
import { cloudOfKind } from '../model/resource.js';
import type { CostRule } from './cost.js';
import { RULE_METADATA_SCHEMA } from './metadata-schema.js';
import { RULE_CATEGORIES, type Rule, type RuleCategory, type RuleDefinition } from './rule.js';

const ID_PREFIX: Record<string, string> = { aws: 'AWS-', azure: 'AZ-', gcp: 'GCP-' };

export const RULES_DIRECTORY = fileURLToPath(new URL('./', import.meta.url));

export interface RuleFile {
  category: RuleCategory;
  cloud: string;
  slug: string;
  file: string;
}

/** Every rule module of these categories on disk (compiled .js in dist, .ts under the test runner). */
export async function ruleFiles(directory = RULES_DIRECTORY, categories: readonly RuleCategory[] = RULE_CATEGORIES): Promise<RuleFile[]> {
  const files: RuleFile[] = [];
  for (const category of categories) {
    const root = path.join(directory, category);
    // A category with no rule yet has no folder (tsc emits none for it).
    const clouds = await readdir(root, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return [];
      throw error;
    });
    for (const cloud of clouds.filter((e) => e.isDirectory()).map((e) => e.name)) {
      for (const name of await readdir(path.join(root, cloud))) {
        // <slug>.cases.ts beside a rule is its test data (src/rules/cases.ts), never a rule.
        if (!/\.(js|ts)$/.test(name) || name.endsWith('.d.ts') || /\.cases\.(js|ts)$/.test(name)) continue;
        files.push({ category, cloud, slug: name.replace(/\.(js|ts)$/, ''), file: path.join(root, cloud, name) });
      }
    }
  }
  return files.sort((a, b) => a.file.localeCompare(b.file));
}

/** Why a rule module does not belong in the catalog, or an empty list when it does. */
export function ruleProblems(rule: unknown, file: RuleFile, validate: (value: unknown) => string[]): string[] {
  const problems = validate(rule);
  if (problems.length > 0) return problems;
  const r = rule as Rule & Partial<CostRule>;
  if (file.category === 'cost') {
    if (typeof r.recommend !== 'function') problems.push('recommend is not a function');
    if (!(RECOMMENDATION_ACTIONS as readonly string[]).includes(String(r.action)))
      problems.push(`action ${String(r.action)} is not one of ${RECOMMENDATION_ACTIONS.join(', ')}`);
    if (!Array.isArray(r.metrics) || !Array.isArray(r.reads)) problems.push('metrics and reads must be lists');
  } else if (typeof r.check !== 'function') problems.push('check is not a function');
  if (r.slug !== file.slug) problems.push(`slug ${r.slug} does not match the file name ${file.slug}`);
  if (!r.id.startsWith(ID_PREFIX[file.cloud] ?? '?'))
    problems.push(`id ${r.id} does not start with ${ID_PREFIX[file.cloud]} for ${file.cloud}`);
  for (const kind of r.kinds) if (cloudOfKind(kind) !== file.cloud) problems.push(`kind ${kind} is not a ${file.cloud} kind`);
  return problems;
}

export async function metadataValidator(): Promise<(value: unknown) => string[]> {
  const { Ajv2020 } = await import('ajv/dist/2020.js');
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  const check = ajv.compile(RULE_METADATA_SCHEMA);
  return (value) => (check(value) ? [] : (check.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`));
}

/** Loads, validates and returns every security rule, sorted by id. A broken rule file is a bug: it throws. */
export async function loadCatalog(directory = RULES_DIRECTORY): Promise<Rule[]> {
  return loadRules<Rule>(directory, 'security');
}

/** The cost rules `guardian optimize` runs, validated the same way. */
export async function loadCostCatalog(directory = RULES_DIRECTORY): Promise<CostRule[]> {
  return loadRules<CostRule>(directory, 'cost');
}

async function loadRules<R extends Rule | CostRule>(directory: string, category: RuleCategory): Promise<R[]> {
  const validate = await metadataValidator();
  const files = await ruleFiles(directory, [category]);
  const modules = await Promise.all(files.map((file) => import(pathToFileURL(file.file).href) as Promise<{ rule?: unknown }>));
  const rules: R[] = [];
  const seen = new Map<string, string>();
  files.forEach((file, index) => {
    const declared = modules[index].rule as RuleDefinition | Omit<CostRule, 'category'> | undefined;
    const rule = declared && typeof declared === 'object' ? { ...declared, category: file.category } : declared;
    const problems = ruleProblems(rule, file, validate);
    if (problems.length > 0) throw new Error(`rule file ${file.file} is invalid: ${problems.join('; ')}`);
    const r = rule as R;
    const previous = seen.get(r.id);
    if (previous) throw new Error(`rule id ${r.id} is used by both ${previous} and ${file.file}`);
    seen.set(r.id, file.file);
    rules.push(r);
  });
  return rules.sort((a, b) => a.id.localeCompare(b.id));
}
