// Scan outputs for CI: SARIF 2.1.0 checked against the OASIS schema and GitHub code scanning's own
// requirements, JUnit XML well-formed with one test case per rule × resource, and the text views.

import { readFileSync } from 'node:fs';
import Ajv04Module from 'ajv-draft-04';
import addFormatsModule from 'ajv-formats';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { resource, world } from '../../src/rules/cases.js';
import { loadCatalog } from '../../src/rules/catalog.js';
import { toJunit } from '../../src/rules/junit.js';
import { toScanCsv, toScanJson, toScanMarkdown, toScanTable } from '../../src/rules/report.js';
import { type SarifLog, SECURITY_SEVERITY, toSarif } from '../../src/rules/sarif.js';
import { scan } from '../../src/rules/scan.js';

const SCHEMA_PATH = new URL('../../../shared/schemas/sarif-schema-2.1.0.json', import.meta.url);
const catalog = await loadCatalog();
const now = new Date('2026-06-15T12:00:00Z');

const tricky = resource(
  'aws.ec2.security-group',
  { ingress: [world(22), world(3306)], isDefault: false },
  { id: 'sg-0abc', name: 'web <&> "quoted" \'single\' \u0001bell' },
);
const bucket = resource(
  'aws.s3.bucket',
  { publicAccessBlock: false, defaultEncryption: true },
  { id: 'arn:aws:s3:::acme-logs', name: 'acme-logs' },
);
const armDisk = resource(
  'azure.compute.disk',
  { networkAccessPolicy: 'AllowAll', cmek: true },
  { id: '/subscriptions/0000/resourceGroups/rg one/providers/Microsoft.Compute/disks/d1', name: 'd1' },
);
const unknownVolume = resource('aws.ec2.volume', {}, { id: 'vol-unknown' });
const report = scan({ catalog, resources: [tricky, bucket, armDisk, unknownVolume], now, recordPasses: true, failOn: 'high' });

function sarifValidator() {
  const schema = JSON.parse(readFileSync(SCHEMA_PATH, 'utf8'));
  // The OASIS schema is draft-04 (its "$schema" says so): Ajv's draft-04 build, with formats.
  expect(schema.$schema).toBe('http://json-schema.org/draft-04/schema#');
  // Both are CommonJS packages: their classes are on `.default` under NodeNext.
  const ajv = new Ajv04Module.default({ allErrors: true, strict: false });
  addFormatsModule.default(ajv);
  return ajv.compile(schema);
}

describe('SARIF', () => {
  const sarif = toSarif(report, { toolVersion: '0.1.0', category: 'guardian/aws' });

  it('validates against the SARIF 2.1.0 schema', () => {
    const validate = sarifValidator();
    const ok = validate(sarif);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it('has what GitHub code scanning needs', () => {
    expect(sarif.$schema).toMatch(/sarif-schema-2\.1\.0\.json$/);
    expect(sarif.version).toBe('2.1.0');
    const run = sarif.runs[0];
    expect(run.tool.driver.name).toBe('Guardian');
    expect(run.automationDetails.id).toBe('guardian/aws/');
    expect(run.tool.driver.rules.map((r: { id: string }) => r.id)).toEqual(report.rules.map((r) => r.id));
    for (const rule of run.tool.driver.rules) {
      expect(rule.shortDescription.text.length).toBeGreaterThan(0);
      expect(rule.fullDescription.text.length).toBeLessThanOrEqual(1024);
      expect(rule.help.text).toContain('Remediation:');
      expect(rule.properties.tags.length).toBeLessThanOrEqual(20);
      expect(rule.properties.tags).toContain('security');
      expect(typeof rule.properties['security-severity']).toBe('string');
      const score = Number(rule.properties['security-severity']);
      expect(score).toBeGreaterThanOrEqual(0.1);
      expect(score).toBeLessThanOrEqual(10);
    }
    expect(run.results).toHaveLength(report.findings.length);
    for (const result of run.results) {
      expect(run.tool.driver.rules[result.ruleIndex!].id).toBe(result.ruleId);
      expect(['error', 'warning', 'note']).toContain(result.level);
      expect(result.message.text.length).toBeGreaterThan(0);
      const location = result.locations[0].physicalLocation;
      expect(location.artifactLocation.uri).toMatch(/^guardian\/(aws|azure|gcp)\//);
      expect(location.region.startLine).toBe(1);
      expect(Object.values(result.partialFingerprints)[0]).toMatch(/^[0-9a-f]{64}$/);
    }
  });

  it('maps severities onto GitHub bands and keeps ARNs and ARM ids in one URI segment', () => {
    expect(Number(SECURITY_SEVERITY.critical)).toBeGreaterThanOrEqual(9);
    expect(Number(SECURITY_SEVERITY.high)).toBeGreaterThanOrEqual(7);
    expect(Number(SECURITY_SEVERITY.high)).toBeLessThan(9);
    expect(Number(SECURITY_SEVERITY.medium)).toBeGreaterThanOrEqual(4);
    expect(Number(SECURITY_SEVERITY.low)).toBeLessThan(4);
    const uris = sarif.runs[0].results.map((r) => r.locations[0].physicalLocation.artifactLocation.uri);
    expect(uris).toContain('guardian/aws/111122223333/eu-west-1/arn%3Aaws%3As3%3A%3A%3Aacme-logs');
    expect(uris.find((u) => u.startsWith('guardian/azure/'))!.split('/')).toHaveLength(5);
  });

  it('gives the same finding the same fingerprint on every run', () => {
    const again = toSarif(scan({ catalog, resources: [unknownVolume, armDisk, bucket, tricky], now }), {
      toolVersion: '0.1.0',
      category: 'x',
    });
    const prints = (log: SarifLog) =>
      new Map(log.runs[0].results.map((r) => [`${r.ruleId} ${r.properties.resourceId}`, r.partialFingerprints]));
    expect(prints(again)).toEqual(prints(sarif));
  });

  it('keeps at most 25,000 results per run, the most severe first', () => {
    const volumes = Array.from({ length: 25_001 }, (_, i) => resource('aws.ec2.volume', { encrypted: false }, { id: `vol-${i}` }));
    const open = resource('gcp.compute.disk', { cmek: false }, { id: 'disk-low' });
    const big = toSarif(scan({ catalog, resources: [open, ...volumes], now, selection: { rules: ['AWS-EC2-011', 'GCP-CMP-005'] } }), {
      toolVersion: '0.1.0',
      category: 'big',
    });
    expect(big.runs[0].results).toHaveLength(25_000);
    expect(big.runs[0].results.every((r) => r.ruleId === 'AWS-EC2-011')).toBe(true);
    expect(big.runs[0].properties.omittedResults).toBe(2);
  });

  it('points plan findings at the plan file', () => {
    const planned = resource(
      'aws.ec2.volume',
      { encrypted: false, terraformAddress: 'aws_ebs_volume.data' },
      { id: 'aws_ebs_volume.data' },
    );
    const planReport = scan({ catalog, resources: [planned], now, planFile: './infra/plan.json' });
    const sarifPlan = toSarif(planReport, { toolVersion: '0.1.0', category: 'guardian/plan' });
    expect(sarifValidator()(sarifPlan)).toBe(true);
    const location = sarifPlan.runs[0].results[0].locations[0];
    expect(location.physicalLocation.artifactLocation.uri).toBe('infra/plan.json');
    expect(location.logicalLocations[0].fullyQualifiedName).toBe('aws_ebs_volume.data');
  });
});

describe('JUnit', () => {
  const xml = toJunit(report, (id) => catalog.find((r) => r.id === id)!.remediation);

  it('is well-formed XML with escaped names and no forbidden characters', () => {
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(xml).not.toContain('\u0001');
    expect(xml).toContain('web &lt;&amp;&gt; &quot;quoted&quot;');
  });

  it('has one test case per rule × resource the rule read, failures for findings', () => {
    const parsed = new XMLParser({
      ignoreAttributes: false,
      attributeNamePrefix: '',
      isArray: (name) => name === 'testsuite' || name === 'testcase',
    }).parse(xml);
    const suites = parsed.testsuites.testsuite as { name: string; tests: string; failures: string; testcase?: { failure?: unknown }[] }[];
    expect(suites).toHaveLength(report.rules.length);
    const cases = suites.flatMap((s) => s.testcase ?? []);
    expect(cases).toHaveLength(report.summary.evaluations);
    expect(cases.filter((c) => c.failure)).toHaveLength(report.findings.length);
    expect(Number(parsed.testsuites.tests)).toBe(report.summary.evaluations);
    expect(Number(parsed.testsuites.failures)).toBe(report.findings.length);
  });
});

describe('text views', () => {
  it('groups the table by severity with counts', () => {
    const table = toScanTable(report, { color: false });
    expect(table).toMatch(/^CRITICAL \(1\)/);
    expect(table).toContain('HIGH (4)');
    expect(table.indexOf('CRITICAL')).toBeLessThan(table.indexOf('HIGH'));
    expect(table).toContain('[unverified]');
  });

  it('writes JSON with a schemaVersion and the summary', () => {
    const json = JSON.parse(toScanJson(report, { source: 'test' }));
    expect(json).toMatchObject({ schemaVersion: 1, kind: 'guardian.scan', failOn: 'high', summary: { findings: report.findings.length } });
    expect(json.findings[0]).toMatchObject({ ruleId: 'AWS-EC2-001', severity: 'critical', status: 'fail' });
  });

  it('gives every finding its rule remediation in JSON and in the table', () => {
    const json = JSON.parse(toScanJson(report, { source: 'test' }));
    const byRule = new Map(report.rules.map((rule) => [rule.id, rule.remediation]));
    for (const finding of json.findings) expect(finding.remediation).toBe(byRule.get(finding.ruleId));
    expect(json.findings[0].remediation.length).toBeGreaterThan(20);
    const table = toScanTable(report, { color: false, width: 200 });
    expect(table).toContain('Remediation');
    expect(table.replace(/[│\s]+/g, ' ')).toContain(byRule.get('AWS-EC2-001')?.split(' ').slice(0, 3).join(' '));
  });

  it('fits the findings table to 80, 100 and 200 columns', () => {
    for (const width of [80, 100, 200]) {
      const lines = toScanTable(report, { color: false, width }).split('\n');
      for (const line of lines) expect(line.length, `${width}: ${line}`).toBeLessThanOrEqual(width);
    }
  });

  it('writes a Markdown PR comment with the verdict, counts and how to fix', () => {
    const md = toScanMarkdown(report, { source: 'snapshot.json' });
    expect(md).toMatch(/^### Guardian scan/);
    expect(md).toContain('finding(s) at or above high');
    expect(md).toContain('| Severity | Findings |');
    expect(md).toContain('<details><summary>How to fix</summary>');
    expect(md).toContain('web <&> "quoted"');
  });

  it('writes one CSV row per finding', () => {
    const lines = toScanCsv(report).trim().split('\r\n');
    expect(lines[0]).toBe(
      'severity,status,rule,title,cloud,account,region,kind,resource_id,resource_name,address,message,baseline,fingerprint,remediation',
    );
    expect(lines).toHaveLength(report.findings.length + 1);
  });
});
