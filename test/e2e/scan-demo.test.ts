// Recall and precision of the security rules on the demo estate: every planted security condition in
// the sandbox manifest is found by a rule that detects it (recall 1.0), and every finding sits on a
// resource planted with a condition its rule detects (precision 1.0). The resources come from
// `guardian discover --profile demo --json`, i.e. through the real SDKs, the sandbox's wire protocols
// and the providers' normalization.

import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { PLANTED_CONDITIONS, type PlantedCondition } from '../../src/sandbox/estate/types.js';

const BIN = path.resolve('dist/bin/guardian.js');

/** The planted condition(s) each rule detects. A rule may detect several (all ports open covers admin ports). */
const DETECTS: Record<string, PlantedCondition[]> = {
  'AWS-EC2-001': ['sg-open-admin-port'],
  'AWS-EC2-002': ['sg-open-admin-port'],
  'AWS-EC2-003': ['sg-open-admin-port'],
  'AWS-EC2-004': ['sg-open-db-port'],
  'AWS-EC2-005': ['sg-open-db-port'],
  'AWS-EC2-006': ['sg-open-db-port'],
  'AWS-EC2-007': ['sg-open-db-port'],
  'AWS-EC2-008': ['sg-open-db-port'],
  'AWS-EC2-009': ['sg-open-admin-port', 'sg-open-db-port'],
  'AWS-EC2-010': ['default-sg-open'],
  'AWS-EC2-011': ['ebs-unencrypted'],
  'AWS-EC2-012': ['snapshot-unencrypted'],
  'AWS-EC2-013': ['snapshot-public'],
  'AWS-EC2-014': ['ami-public'],
  'AWS-EC2-015': ['imdsv1'],
  'AWS-EC2-016': ['instance-public-ip-sensitive-tier'],
  'AWS-EC2-017': ['sg-open-db-port'],
  'AWS-EC2-018': ['sg-open-admin-port'],
  'AWS-RDS-001': ['rds-unencrypted'],
  'AWS-RDS-002': ['rds-public'],
  'AWS-RDS-003': ['rds-no-backup'],
  'AWS-RDS-004': ['rds-no-deletion-protection'],
  'AWS-S3-001': ['s3-no-public-access-block'],
  'AWS-S3-002': ['s3-no-encryption'],
  'AWS-ELB-001': ['elb-http-listener'],
  'AWS-ELB-002': ['elb-old-tls'],
  'AZ-NET-001': ['nsg-open-admin-port'],
  'AZ-NET-002': ['nsg-open-admin-port'],
  'AZ-NET-003': ['nsg-open-db-port'],
  'AZ-NET-004': ['nsg-open-admin-port', 'nsg-open-db-port'],
  'AZ-NET-005': ['nsg-open-admin-port'],
  'AZ-CMP-001': ['azure-disk-public-network'],
  'AZ-CMP-002': ['azure-disk-no-cmk'],
  'AZ-CMP-003': ['azure-vm-unmanaged-disks'],
  'AZ-CMP-004': ['azure-vm-public-ip'],
  'AZ-CMP-005': ['azure-disk-public-network'],
  'GCP-NET-001': ['gcp-firewall-open-admin'],
  'GCP-NET-002': ['gcp-firewall-open-admin'],
  // Every port open exposes the admin ports too.
  'GCP-NET-003': ['gcp-firewall-open-all', 'gcp-firewall-open-admin'],
  // The estate plants no world-open database firewall; all-ports-open is the nearest condition.
  'GCP-NET-004': ['gcp-firewall-open-all'],
  'GCP-NET-005': ['gcp-firewall-open-admin'],
  'GCP-CMP-001': ['gcp-default-sa-full-scope'],
  'GCP-CMP-002': ['gcp-serial-port'],
  'GCP-CMP-003': ['gcp-project-ssh-keys'],
  'GCP-CMP-004': ['gcp-instance-public-ip'],
  'GCP-CMP-005': ['gcp-disk-no-cmek'],
};

/** The planted conditions that are security findings (the rest are cost and waste). */
const SECURITY_CONDITIONS = PLANTED_CONDITIONS.slice(0, PLANTED_CONDITIONS.indexOf('instance-idle'));

interface ScanFinding {
  ruleId: string;
  status: 'fail' | 'unknown';
  message: string;
  resource: { id: string; name: string };
}

const env: NodeJS.ProcessEnv = { ...process.env, CI: 'true', GUARDIAN_DEMO_NOW: '2026-06-01', GUARDIAN_DEMO_SIZE: '1000' };
delete env.GUARDIAN_PROFILE;

function guardian(args: string[]) {
  return execa(process.execPath, [BIN, ...args], { env, reject: false, stdin: 'ignore', maxBuffer: 512 * 1024 * 1024 });
}

let planted: Record<PlantedCondition, string[]>;
let findings: ScanFinding[];
let snapshotFile: string;

beforeAll(async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'guardian-scan-demo-'));
  env.GUARDIAN_CONFIG_DIR = path.join(dir, 'config');
  env.GUARDIAN_DATA_DIR = path.join(dir, 'data');
  const [discovered, manifest] = await Promise.all([
    guardian(['discover', '--profile', 'demo', '--json', '--no-save']),
    guardian(['sandbox', 'manifest', '--size', '1000', '--now', '2026-06-01', '--json']),
  ]);
  expect(discovered.exitCode, discovered.stderr).toBe(0);
  expect(manifest.exitCode, manifest.stderr).toBe(0);
  planted = JSON.parse(manifest.stdout).planted;
  snapshotFile = path.join(dir, 'demo.json');
  await writeFile(snapshotFile, discovered.stdout);
  const scanned = await guardian(['scan', '--input', snapshotFile, '--json']);
  expect(scanned.exitCode, scanned.stderr).toBe(0);
  findings = JSON.parse(scanned.stdout).findings;
}, 300_000);

describe('scan on the demo estate', () => {
  it('maps every rule to the planted condition it detects, and every security condition to a rule', async () => {
    const listed = JSON.parse((await guardian(['scan', '--list-rules', '--json'])).stdout).rules.map((r: { id: string }) => r.id);
    expect(Object.keys(DETECTS).sort()).toEqual([...listed].sort());
    const detected = new Set(Object.values(DETECTS).flat());
    for (const condition of SECURITY_CONDITIONS) expect(detected.has(condition), condition).toBe(true);
  });

  it('finds every planted security condition (recall 1.0)', () => {
    const found = new Set(
      findings.filter((f) => f.status === 'fail').flatMap((f) => DETECTS[f.ruleId].map((c) => `${c} ${f.resource.id}`)),
    );
    const missed: string[] = [];
    let total = 0;
    for (const condition of SECURITY_CONDITIONS) {
      expect(planted[condition].length, `the estate plants ${condition}`).toBeGreaterThan(0);
      for (const id of planted[condition]) {
        total += 1;
        if (!found.has(`${condition} ${id}`)) missed.push(`${condition} ${id}`);
      }
    }
    expect(missed).toEqual([]);
    expect(total).toBeGreaterThan(50);
  });

  it('reports nothing on a resource the manifest marks clean, and nothing it cannot justify (precision 1.0)', () => {
    const conditionsOf = new Map<string, Set<string>>();
    for (const [condition, ids] of Object.entries(planted)) {
      for (const id of ids) conditionsOf.set(id, (conditionsOf.get(id) ?? new Set()).add(condition));
    }
    const unjustified = findings.filter((f) => !DETECTS[f.ruleId].some((c) => conditionsOf.get(f.resource.id)?.has(c)));
    expect(unjustified.map((f) => `${f.ruleId} ${f.resource.id}: ${f.message}`)).toEqual([]);
    // Every attribute the rules read was reported by the providers: nothing is left unverified.
    expect(findings.filter((f) => f.status === 'unknown')).toEqual([]);
  });

  it('names the resource and its id in every finding', () => {
    for (const finding of findings) {
      expect(finding.message).toContain(finding.resource.id);
      expect(finding.message).toContain(finding.resource.name);
    }
  });

  it('fails a live scan of the demo profile on critical findings', async () => {
    const result = await guardian(['scan', '--profile', 'demo', '--fail-on', 'critical', '--severity', 'critical', '--output', 'sarif']);
    expect(result.exitCode, result.stderr).toBe(1);
    const sarif = JSON.parse(result.stdout);
    expect(sarif.runs[0].results.length).toBe(
      findings.filter((f) => f.ruleId && sarif.runs[0].tool.driver.rules.some((r: { id: string }) => r.id === f.ruleId)).length,
    );
    expect(result.stderr).toMatch(/finding\(s\) at or above critical/);
  }, 300_000);
});
