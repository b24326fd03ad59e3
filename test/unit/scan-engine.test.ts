// The scan engine and its CI gates: rule selection, findings per rule × resource, fail-on counting,
// baselines (fail only on new findings) and suppressions (reason, expiry, where declared).

import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { fingerprintOf } from '../../src/model/finding.js';
import { buildBaseline, readBaseline, writeBaseline } from '../../src/rules/baseline.js';
import { resource, world } from '../../src/rules/cases.js';
import { loadCatalog } from '../../src/rules/catalog.js';
import { runRules, selectRules } from '../../src/rules/engine.js';
import { scan } from '../../src/rules/scan.js';
import { applySuppressions, type DeclaredSuppression, readSuppressionsFile } from '../../src/rules/suppressions.js';

const catalog = await loadCatalog();
const now = new Date('2026-06-15T12:00:00Z');

const openSsh = resource('aws.ec2.security-group', { ingress: [world(22)], isDefault: false }, { id: 'sg-open', name: 'bastion' });
const plainVolume = resource('aws.ec2.volume', { encrypted: false }, { id: 'vol-plain' });
const goodVolume = resource('aws.ec2.volume', { encrypted: true }, { id: 'vol-good' });
const gcpDisk = resource('gcp.compute.disk', { cmek: false }, { id: 'disk-1' });
const estate = [openSsh, plainVolume, goodVolume, gcpDisk];

describe('rule selection', () => {
  it('selects by id, skips by id, by minimum severity and by framework', () => {
    expect(selectRules(catalog, { rules: ['AWS-EC2-001', 'AWS-EC2-011'] }).map((r) => r.id)).toEqual(['AWS-EC2-001', 'AWS-EC2-011']);
    expect(selectRules(catalog, { skipRules: ['AWS-EC2-001'] }).some((r) => r.id === 'AWS-EC2-001')).toBe(false);
    const high = selectRules(catalog, { severity: 'high' });
    expect(high.length).toBeGreaterThan(0);
    expect(high.every((r) => r.severity === 'critical' || r.severity === 'high')).toBe(true);
    const cisGcp = selectRules(catalog, { frameworks: ['cis-gcp'] });
    expect(cisGcp.length).toBeGreaterThan(0);
    expect(cisGcp.every((r) => r.id.startsWith('GCP-') && r.references.some((ref) => ref.framework === 'cis-gcp'))).toBe(true);
  });

  it('rejects an unknown rule id with a suggestion', () => {
    expect(() => selectRules(catalog, { rules: ['AWS-EC2-01'] })).toThrow(UsageError);
    expect(() => selectRules(catalog, { skipRules: ['AWS-EC2-0011'] })).toThrow(
      /--skip-rules: no rule 'AWS-EC2-0011' \(did you mean AWS-EC2-\d{3}\?\)/,
    );
  });
});

describe('running rules', () => {
  it('judges each resource only with the rules of its kind and returns findings with stable fingerprints', () => {
    const result = runRules(catalog, estate, { recordPasses: true });
    const ids = result.findings.map((f) => `${f.ruleId} ${f.resource.id}`).sort();
    expect(ids).toEqual(['AWS-EC2-001 sg-open', 'AWS-EC2-011 vol-plain', 'GCP-CMP-005 disk-1']);
    const perKind = (kind: string) => catalog.filter((r) => r.kinds.includes(kind as never)).length;
    expect(result.evaluations).toBe(perKind('aws.ec2.security-group') + 2 * perKind('aws.ec2.volume') + perKind('gcp.compute.disk'));
    expect(result.passes.length).toBe(result.evaluations - result.findings.length);
    const finding = result.findings.find((f) => f.ruleId === 'AWS-EC2-001')!;
    expect(finding.fingerprint).toBe(fingerprintOf('AWS-EC2-001', openSsh));
    expect(finding.fingerprint).toBe('AWS-EC2-001|aws/111122223333/sg-open');
    expect(runRules(catalog, estate).findings).toEqual(result.findings);
  });

  it('reports a group open to everything once, under the all-traffic rule, not under every port rule', () => {
    const wide = resource('aws.ec2.security-group', {
      ingress: [{ protocol: 'all', source: '0.0.0.0/0', action: 'allow' }],
      isDefault: false,
    });
    const tcpRange = resource('aws.ec2.security-group', {
      ingress: [{ protocol: 'tcp', fromPort: 0, toPort: 65535, source: '::/0' }],
      isDefault: false,
    });
    expect(runRules(catalog, [wide, tcpRange]).findings.map((f) => f.ruleId)).toEqual(['AWS-EC2-009', 'AWS-EC2-009']);
    // Still reported under CIS AWS 5.2 for --framework cis-aws.
    expect(selectRules(catalog, { frameworks: ['cis-aws'] }).map((r) => r.id)).toContain('AWS-EC2-009');
  });

  it('orders findings most severe first and counts them by severity', () => {
    const report = scan({ catalog, resources: estate, now });
    expect(report.findings.map((f) => f.severity)).toEqual(['critical', 'high', 'low']);
    expect(report.summary.bySeverity).toMatchObject({ critical: 1, high: 1, medium: 0, low: 1, info: 0 });
  });

  it('counts findings at or above --fail-on; unverified ones only with --fail-on-unverified, and says how many it left out', () => {
    expect(scan({ catalog, resources: estate, now, failOn: 'critical' }).summary.failing).toBe(1);
    expect(scan({ catalog, resources: estate, now, failOn: 'high' }).summary.failing).toBe(2);
    expect(scan({ catalog, resources: estate, now, failOn: 'info' }).summary.failing).toBe(3);
    const unknownVolume = resource('aws.ec2.volume', {}, { id: 'vol-unknown' });
    const report = scan({ catalog, resources: [unknownVolume], now, failOn: 'high' });
    expect(report.findings[0]).toMatchObject({ status: 'unknown', unknownAttributes: ['encrypted'] });
    expect(report.summary).toMatchObject({ unknown: 1, failing: 0, unverifiedNotCounted: 1 });
    const counted = scan({ catalog, resources: [unknownVolume], now, failOn: 'high', failOnUnverified: true });
    expect(counted.summary).toMatchObject({ unknown: 1, failing: 1, unverifiedNotCounted: 0 });
    expect(scan({ catalog, resources: [unknownVolume], now, failOn: 'critical' }).summary.unverifiedNotCounted).toBe(0);
  });

  it('makes one unverified finding per resource and unknown value, however many rules it leaves undecided', () => {
    const unknownIngress = resource('aws.ec2.security-group', { isDefault: false }, { id: 'sg-unknown' });
    const perRule = runRules(catalog, [unknownIngress]).findings;
    expect(perRule.length).toBeGreaterThan(5);
    expect(perRule.every((f) => f.status === 'unknown')).toBe(true);
    const report = scan({ catalog, resources: [unknownIngress], now });
    expect(report.findings).toHaveLength(1);
    const [finding] = report.findings;
    expect(finding.severity).toBe('critical');
    expect(finding.undecidedRules).toHaveLength(perRule.length - 1);
    expect([finding.ruleId, ...finding.undecidedRules!].sort()).toEqual(perRule.map((f) => f.ruleId).sort());
    // A suppression of the leading rule leaves the others' question open, led by the next one.
    const suppressed = scan({
      catalog,
      resources: [unknownIngress],
      now,
      suppressions: [{ rule: finding.ruleId, resource: 'sg-unknown', reason: 'bastion', origin: 'profile' }],
    });
    expect(suppressed.findings).toHaveLength(1);
    expect(suppressed.findings[0].ruleId).toBe(finding.undecidedRules![0]);
  });
});

describe('baselines', () => {
  it('fails only on findings the baseline does not record', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'guardian-baseline-'));
    const file = path.join(dir, 'baseline.json');
    const first = scan({ catalog, resources: [openSsh, plainVolume], now });
    await writeBaseline(file, buildBaseline(first.findings, now));
    const stored = JSON.parse(await readFile(file, 'utf8'));
    expect(stored).toMatchObject({ schemaVersion: 1, kind: 'guardian.scan-baseline' });
    expect(stored.findings.map((f: { fingerprint: string }) => f.fingerprint)).toEqual(first.findings.map((f) => f.fingerprint).sort());

    const newOpen = resource('aws.ec2.security-group', { ingress: [world(3389)], isDefault: false }, { id: 'sg-new' });
    const baseline = await readBaseline(file);
    const second = scan({ catalog, resources: [openSsh, plainVolume, newOpen], now, baseline, failOn: 'high' });
    expect(second.findings.map((f) => [f.resource.id, f.baseline])).toEqual([
      ['sg-open', 'existing'],
      ['sg-new', 'new'],
      ['vol-plain', 'existing'],
    ]);
    expect(second.summary).toMatchObject({ new: 1, failing: 1 });
    expect(scan({ catalog, resources: [openSsh, plainVolume], now, baseline, failOn: 'low' }).summary.failing).toBe(0);
  });

  it('rejects a file that is not a baseline, naming it', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'guardian-baseline-'));
    const file = path.join(dir, 'nope.json');
    await writeFile(file, '{"kind":"guardian.snapshot"}');
    await expect(readBaseline(file)).rejects.toThrow(`${file} is not a Guardian scan baseline`);
    await writeFile(file, '{oops');
    await expect(readBaseline(file)).rejects.toThrow(/is not valid JSON/);
    await expect(readBaseline(path.join(dir, 'missing.json'))).rejects.toThrow(/no such file/);
  });
});

describe('suppressions', () => {
  const suppression = (fields: Partial<DeclaredSuppression>): DeclaredSuppression => ({
    rule: 'AWS-EC2-001',
    reason: 'office bastion',
    origin: 'test',
    ...fields,
  });

  it('hides matching findings with their reason, by rule and resource id', () => {
    const findings = scan({ catalog, resources: estate, now }).findings;
    const outcome = applySuppressions(
      findings,
      [suppression({ resource: 'sg-open' }), suppression({ rule: 'GCP-CMP-005', resource: 'other' })],
      now,
    );
    expect(outcome.active.map((f) => f.ruleId)).toEqual(['AWS-EC2-011', 'GCP-CMP-005']);
    expect(outcome.suppressed).toHaveLength(1);
    expect(outcome.suppressed[0].suppression.reason).toBe('office bastion');
    expect(applySuppressions(findings, [suppression({ rule: '*' })], now).active).toHaveLength(0);
  });

  it('stops applying an expired suppression and reports it', () => {
    const report = scan({
      catalog,
      resources: estate,
      now,
      failOn: 'critical',
      suppressions: [suppression({ expires: '2026-06-14' }), suppression({ rule: 'AWS-EC2-011', expires: '2026-06-15' })],
    });
    // Expired yesterday: the SSH finding is back and fails the run. Expiring today: still applies until the day ends.
    expect(report.findings.map((f) => f.ruleId)).toEqual(['AWS-EC2-001', 'GCP-CMP-005']);
    expect(report.summary).toMatchObject({ suppressed: 1, failing: 1 });
    expect(report.expiredSuppressions).toEqual([
      { suppression: expect.objectContaining({ rule: 'AWS-EC2-001', expires: '2026-06-14' }), wouldMatch: 1 },
    ]);
  });

  it('reads .guardian-suppressions.yaml, and rejects a bad one naming the file', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'guardian-suppress-'));
    expect(await readSuppressionsFile(dir)).toEqual([]);
    const file = path.join(dir, '.guardian-suppressions.yaml');
    await writeFile(
      file,
      'suppressions:\n  - rule: AWS-EC2-001\n    resource: sg-open\n    reason: office bastion\n    expires: 2027-01-31\n',
    );
    expect(await readSuppressionsFile(dir)).toEqual([
      { rule: 'AWS-EC2-001', resource: 'sg-open', reason: 'office bastion', expires: '2027-01-31', origin: '.guardian-suppressions.yaml' },
    ]);
    await writeFile(file, 'suppressions:\n  - rule: AWS-EC2-001\n');
    await expect(readSuppressionsFile(dir)).rejects.toThrow(`${file} is not a suppressions file`);
    await writeFile(file, 'suppressions: [\n');
    await expect(readSuppressionsFile(dir)).rejects.toThrow(/is not valid YAML/);
    await writeFile(file, 'suppressions:\n  - rule: AWS-EC2-001\n    reason: why not\n    expires: 2026-02-30\n');
    await expect(readSuppressionsFile(dir)).rejects.toThrow(/not a real date/);
  });
});
