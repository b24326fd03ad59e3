// The rule catalog's own guarantees: found on disk, valid metadata, unique ids matching their files,
// categories from folders. Each rule's verdicts are tested on its cases in rule-cases.test.ts.

import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCatalog, loadCostCatalog, metadataValidator, ruleFiles, ruleProblems } from '../../src/rules/catalog.js';

const catalog = await loadCatalog();

describe('rule catalog', () => {
  it('finds at least 25 AWS, 10 Azure and 10 GCP rules on disk', () => {
    expect(catalog.filter((r) => r.id.startsWith('AWS-')).length).toBeGreaterThanOrEqual(25);
    expect(catalog.filter((r) => r.id.startsWith('AZ-')).length).toBeGreaterThanOrEqual(10);
    expect(catalog.filter((r) => r.id.startsWith('GCP-')).length).toBeGreaterThanOrEqual(10);
  });

  it('has every rule file in the catalog, with unique ids that match the file', async () => {
    const files = await ruleFiles(undefined, ['security']);
    expect(catalog.map((r) => `${r.kinds[0].split('.')[0]}/${r.slug}`).sort()).toEqual(files.map((f) => `${f.cloud}/${f.slug}`).sort());
    expect(new Set(catalog.map((r) => r.id)).size).toBe(catalog.length);
    for (const file of files) expect(path.basename(file.file).replace(/\.(ts|js)$/, '')).toBe(file.slug);
  });

  it('rejects metadata that breaks the schema, a slug that is not the file name, or a kind of another cloud', async () => {
    const validate = await metadataValidator();
    const good = catalog[0];
    const file = { category: 'security' as const, cloud: 'aws', slug: good.slug, file: 'x.ts' };
    expect(ruleProblems(good, file, validate)).toEqual([]);
    expect(ruleProblems({ ...good, severity: 'urgent' }, file, validate).join()).toMatch(/severity/);
    expect(ruleProblems({ ...good, id: 'EC2-1' }, file, validate).join()).toMatch(/id/);
    expect(ruleProblems(good, { ...file, slug: 'other-name' }, validate).join()).toMatch(/does not match the file name/);
    expect(ruleProblems({ ...good, kinds: ['gcp.compute.disk'] }, file, validate).join()).toMatch(/not a aws kind/);
    expect(ruleProblems({ ...good, description: 'x'.repeat(1025) }, file, validate).join()).toMatch(/description/);
  });

  it('cites CIS controls with benchmark name and version, and gives remediation for every rule', () => {
    for (const rule of catalog) {
      expect(rule.remediation.length).toBeGreaterThan(20);
      for (const ref of rule.references) expect(ref.version).toMatch(/^\d+(\.\d+)+$/);
    }
    const cis = catalog.flatMap((r) => r.references).filter((ref) => ref.framework === 'cis-aws');
    expect(
      cis.some(
        (ref) => ref.benchmark === 'CIS Amazon Web Services Foundations Benchmark' && ref.version === '3.0.0' && ref.control === '5.2',
      ),
    ).toBe(true);
  });

  it('takes the category of each rule from the folder it sits in, not from the file', async () => {
    const files = await ruleFiles();
    const byFile = new Map(files.map((f) => [`${f.cloud}/${f.slug}`, f.category]));
    for (const rule of catalog) expect(rule.category).toBe(byFile.get(`${rule.kinds[0].split('.')[0]}/${rule.slug}`));
    for (const rule of await loadCostCatalog()) expect(byFile.get(`${rule.kinds[0].split('.')[0]}/${rule.slug}`)).toBe('cost');
    // scan's catalog holds the security folder only; the cost folder is optimize's.
    expect(new Set(files.map((f) => f.category))).toEqual(new Set(['security', 'cost']));
    expect(new Set(catalog.map((r) => r.category))).toEqual(new Set(['security']));
  });
});
