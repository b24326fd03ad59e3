// Every rule in the catalog, judged on one resource that passes and one that fails; plus the
// catalog's own guarantees (found on disk, valid metadata, unique ids matching their files).

import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Resource } from '../../src/model/resource.js';
import { loadCatalog, loadCostCatalog, metadataValidator, ruleFiles, ruleProblems } from '../../src/rules/catalog.js';
import { createRuleContext } from '../../src/rules/context.js';
import type { Rule } from '../../src/rules/rule.js';
import { internal, resource, world } from './scan-fixture.js';

interface Case {
  pass: Resource;
  fail: Resource;
  /** Other resources the rule may consult through its context. */
  others?: Resource[];
}

const sg = (ingress: Resource['attributes']['ingress'], extra = {}) =>
  resource('aws.ec2.security-group', { ingress, isDefault: false, ...extra });
const nsg = (ingress: Resource['attributes']['ingress']) => resource('azure.network.nsg', { ingress });
const fw = (ingress: Resource['attributes']['ingress'], extra = {}) =>
  resource('gcp.compute.firewall', { ingress, direction: 'INGRESS', disabled: false, ...extra });
const gce = (extra: Resource['attributes']) =>
  resource('gcp.compute.instance', {
    serviceAccount: 'app@acme-prod.iam.gserviceaccount.com',
    serviceAccountScopes: ['https://www.googleapis.com/auth/cloud-platform'],
    serialPortEnabled: false,
    projectSshKeysBlocked: true,
    ...extra,
  });
const sensitiveDb = resource('aws.ec2.instance', { imdsV1Allowed: false }, { tags: { tier: 'db' } });
const eip = resource('aws.ec2.address', { publicIp: '54.1.2.3' }, { relations: [{ type: 'associated-with', target: sensitiveDb.id }] });
const azVm = resource('azure.compute.vm', { managedDisks: true });
const azPip = resource('azure.network.public-ip', { publicIp: '20.1.2.3' }, { relations: [{ type: 'associated-with', target: azVm.id }] });

const CASES: Record<string, Case> = {
  'AWS-EC2-001': { pass: sg([internal(22), world(443)]), fail: sg([world(22)]) },
  'AWS-EC2-002': { pass: sg([internal(3389)]), fail: sg([{ protocol: 'tcp', fromPort: 3000, toPort: 4000, source: '0.0.0.0/0' }]) },
  'AWS-EC2-003': { pass: sg([world(22, '10.0.0.0/8'), world(443, '::/0')]), fail: sg([world(3389, '::/0')]) },
  'AWS-EC2-004': { pass: sg([internal(3306)]), fail: sg([world(3306)]) },
  'AWS-EC2-005': { pass: sg([world(5432, 'sg-0app')]), fail: sg([world(5432)]) },
  'AWS-EC2-006': { pass: sg([internal(1433)]), fail: sg([world(1433)]) },
  'AWS-EC2-007': { pass: sg([internal(27017)]), fail: sg([world(27017)]) },
  'AWS-EC2-008': { pass: sg([internal(6379)]), fail: sg([world(6379)]) },
  'AWS-EC2-009': { pass: sg([world(443), world(80, '::/0')]), fail: sg([{ protocol: 'all', source: '0.0.0.0/0', action: 'allow' }]) },
  'AWS-EC2-010': {
    pass: sg([], { isDefault: true }),
    fail: resource('aws.ec2.security-group', { ingress: [{ protocol: 'all', source: 'sg-self' }], isDefault: true }, { name: 'default' }),
  },
  'AWS-EC2-011': { pass: resource('aws.ec2.volume', { encrypted: true }), fail: resource('aws.ec2.volume', { encrypted: false }) },
  'AWS-EC2-012': { pass: resource('aws.ec2.snapshot', { encrypted: true }), fail: resource('aws.ec2.snapshot', { encrypted: false }) },
  'AWS-EC2-013': { pass: resource('aws.ec2.snapshot', { public: false }), fail: resource('aws.ec2.snapshot', { public: true }) },
  'AWS-EC2-014': { pass: resource('aws.ec2.image', { public: false }), fail: resource('aws.ec2.image', { public: true }) },
  'AWS-EC2-015': {
    pass: resource('aws.ec2.instance', { imdsV1Allowed: false }),
    fail: resource('aws.ec2.instance', { imdsV1Allowed: true }),
  },
  'AWS-EC2-016': {
    pass: resource('aws.ec2.instance', { publicIp: '54.9.9.9' }, { tags: { tier: 'web' } }),
    fail: sensitiveDb,
    others: [eip],
  },
  'AWS-EC2-017': { pass: sg([world(5432, '10.0.0.0/8')]), fail: sg([world(6379, '::/0')]) },
  'AWS-EC2-018': { pass: sg([internal(23)]), fail: sg([world(21)]) },
  'AWS-RDS-001': { pass: resource('aws.rds.instance', { encrypted: true }), fail: resource('aws.rds.instance', { encrypted: false }) },
  'AWS-RDS-002': { pass: resource('aws.rds.instance', { public: false }), fail: resource('aws.rds.instance', { public: true }) },
  'AWS-RDS-003': {
    pass: resource('aws.rds.instance', { backupRetentionDays: 7 }),
    fail: resource('aws.rds.instance', { backupRetentionDays: 0 }),
  },
  'AWS-RDS-004': {
    pass: resource('aws.rds.instance', { deletionProtection: true }),
    fail: resource('aws.rds.instance', { deletionProtection: false }),
  },
  'AWS-S3-001': {
    pass: resource('aws.s3.bucket', { publicAccessBlock: true }),
    fail: resource('aws.s3.bucket', { publicAccessBlock: false }),
  },
  'AWS-S3-002': {
    pass: resource('aws.s3.bucket', { defaultEncryption: true }),
    fail: resource('aws.s3.bucket', { defaultEncryption: false }),
  },
  'AWS-ELB-001': {
    pass: resource('aws.elbv2.load-balancer', {
      scheme: 'internet-facing',
      listeners: [{ protocol: 'HTTPS', port: 443, sslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06' }],
    }),
    fail: resource('aws.elbv2.load-balancer', { scheme: 'internal', listeners: [{ protocol: 'HTTP', port: 80 }] }),
  },
  'AWS-ELB-002': {
    pass: resource('aws.elbv2.load-balancer', {
      listeners: [{ protocol: 'TLS', port: 443, sslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06' }],
    }),
    fail: resource('aws.elbv2.load-balancer', { listeners: [{ protocol: 'HTTPS', port: 443, sslPolicy: 'ELBSecurityPolicy-2016-08' }] }),
  },
  'AZ-NET-001': {
    // The allow from Internet is shadowed by an earlier deny, so it does not count.
    pass: nsg([
      { ...world(22, 'Internet'), priority: 200 },
      { protocol: 'all', source: '*', action: 'deny', priority: 100 },
    ]),
    fail: nsg([{ ...world(22, '*'), priority: 200 }]),
  },
  'AZ-NET-002': {
    pass: nsg([{ ...world(3389, 'VirtualNetwork'), priority: 100 }]),
    fail: nsg([{ ...world(3389, 'Internet'), priority: 300 }]),
  },
  'AZ-NET-003': {
    pass: nsg([{ ...world(1433, '10.1.0.0/16'), priority: 100 }]),
    fail: nsg([{ ...world(1433, 'Internet'), priority: 300 }]),
  },
  'AZ-NET-004': {
    pass: nsg([{ protocol: 'all', source: 'Internet', action: 'deny', priority: 4000 }]),
    fail: nsg([{ protocol: 'all', source: 'Internet', action: 'allow', priority: 100 }]),
  },
  'AZ-NET-005': {
    pass: nsg([{ ...world(5986, '10.0.0.0/8'), priority: 100 }]),
    fail: nsg([{ ...world(5985, '0.0.0.0/0'), priority: 100 }]),
  },
  'AZ-CMP-001': {
    pass: resource('azure.compute.disk', { networkAccessPolicy: 'DenyAll' }),
    fail: resource('azure.compute.disk', { networkAccessPolicy: 'AllowAll' }),
  },
  'AZ-CMP-002': { pass: resource('azure.compute.disk', { cmek: true }), fail: resource('azure.compute.disk', { cmek: false }) },
  'AZ-CMP-003': { pass: resource('azure.compute.vm', { managedDisks: true }), fail: resource('azure.compute.vm', { managedDisks: false }) },
  'AZ-CMP-004': { pass: resource('azure.compute.vm', { managedDisks: true }), fail: azVm, others: [azPip] },
  'AZ-CMP-005': {
    pass: resource('azure.compute.snapshot', { networkAccessPolicy: 'AllowPrivate' }),
    fail: resource('azure.compute.snapshot', { networkAccessPolicy: 'AllowAll' }),
  },
  'GCP-NET-001': { pass: fw([internal(22)]), fail: fw([world(22)]) },
  'GCP-NET-002': { pass: fw([world(3389)], { disabled: true }), fail: fw([world(3389)]) },
  'GCP-NET-003': { pass: fw([world(443)]), fail: fw([{ protocol: 'all', source: '0.0.0.0/0', action: 'allow' }]) },
  'GCP-NET-004': { pass: fw([internal(5432)]), fail: fw([world(27017)]) },
  'GCP-NET-005': { pass: fw([world(8443)]), fail: fw([world(5900)]) },
  'GCP-CMP-001': {
    pass: gce({}),
    fail: gce({ serviceAccount: '123456789012-compute@developer.gserviceaccount.com' }),
  },
  'GCP-CMP-002': { pass: gce({}), fail: gce({ serialPortEnabled: true }) },
  'GCP-CMP-003': { pass: gce({}), fail: gce({ projectSshKeysBlocked: false }) },
  'GCP-CMP-004': { pass: gce({}), fail: gce({ publicIp: '34.1.2.3' }) },
  'GCP-CMP-005': { pass: resource('gcp.compute.disk', { cmek: true }), fail: resource('gcp.compute.disk', { cmek: false }) },
};

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

  it('has a pass/fail case for every rule', () => {
    expect(Object.keys(CASES).sort()).toEqual(catalog.map((r) => r.id).sort());
  });
});

function judge(rule: Rule, subject: Resource, others: Resource[] = []) {
  return rule.check(subject, createRuleContext([subject, ...others]));
}

describe.each(catalog.map((rule) => [rule.id, rule] as const))('%s', (id, rule) => {
  const testCase = CASES[id];

  it('passes a resource configured the safe way', () => {
    expect(rule.kinds).toContain(testCase.pass.kind);
    expect(judge(rule, testCase.pass, testCase.others)).toEqual({ status: 'pass' });
  });

  it('fails the misconfigured resource with one sentence naming it', () => {
    const verdict = judge(rule, testCase.fail, testCase.others);
    expect(verdict.status).toBe('fail');
    if (verdict.status !== 'fail') return;
    expect(verdict.message).toContain(testCase.fail.id);
    expect(verdict.message).toContain(testCase.fail.name);
    expect(verdict.message).toMatch(/\.$/);
    expect(verdict.message.split(/\.\s+[A-Z]/).length).toBe(1);
  });
});

describe('unknown values', () => {
  const byId = new Map(catalog.map((r) => [r.id, r]));

  it('never passes a live resource whose attribute was not reported', () => {
    for (const [id, subject] of [
      ['AWS-EC2-011', resource('aws.ec2.volume', {})],
      ['AWS-EC2-015', resource('aws.ec2.instance', {})],
      ['AWS-RDS-003', resource('aws.rds.instance', {})],
      ['AWS-EC2-001', resource('aws.ec2.security-group', {})],
      ['AZ-CMP-002', resource('azure.compute.disk', {})],
      ['GCP-CMP-001', resource('gcp.compute.instance', {})],
    ] as const) {
      const verdict = judge(byId.get(id)!, subject);
      expect(verdict.status, id).toBe('unknown');
      if (verdict.status === 'unknown') expect(verdict.message).toMatch(/was not reported|were not reported/);
    }
  });

  it('says a planned value will be known only after apply', () => {
    const volume = resource('aws.ec2.volume', { unknownAfterApply: ['encrypted'] });
    const verdict = judge(byId.get('AWS-EC2-011')!, volume);
    expect(verdict).toMatchObject({ status: 'unknown', missing: ['encrypted'] });
    if (verdict.status === 'unknown') expect(verdict.message).toMatch(/known only after apply/);
  });

  it('still fails a security group on its known rules when part of its ingress is unknown', () => {
    const group = sg([world(22)], { unknownAfterApply: ['ingress'] });
    expect(judge(byId.get('AWS-EC2-001')!, group).status).toBe('fail');
    expect(judge(byId.get('AWS-EC2-004')!, group).status).toBe('unknown');
  });
});
