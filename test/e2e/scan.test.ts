// `guardian scan` end to end: the built binary on --input snapshots and --plan files, asserting
// stdout, stderr and the exit code for every --fail-on, baselines, suppressions and outputs.

import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { XMLValidator } from 'fast-xml-parser';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Resource } from '../../src/model/resource.js';
import type { SarifLog } from '../../src/render/sarif.js';

const BIN = path.resolve('dist/bin/guardian.js');
const PLANS = path.resolve('test/fixtures/plans');
let dir: string;

function guardian(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}) {
  const env: NodeJS.ProcessEnv = { ...process.env, GUARDIAN_CONFIG_DIR: path.join(dir, 'config'), CI: 'true', ...options.env };
  delete env.GUARDIAN_PROFILE;
  return execa(process.execPath, [BIN, ...args], { cwd: options.cwd ?? dir, env, reject: false, stdin: 'ignore' });
}

const base = { tags: {}, relations: [], region: 'eu-west-1', account: '111122223333', cloud: 'aws' as const };
const resources: Resource[] = [
  {
    ...base,
    kind: 'aws.ec2.security-group',
    id: 'sg-0aaa',
    name: 'bastion',
    attributes: { isDefault: false, ingress: [{ protocol: 'tcp', fromPort: 22, toPort: 22, source: '0.0.0.0/0' }] },
  },
  { ...base, kind: 'aws.ec2.volume', id: 'vol-0bbb', name: 'data', attributes: { encrypted: false } },
  { ...base, kind: 'aws.ec2.volume', id: 'vol-0ccc', name: 'ok', attributes: { encrypted: true } },
  {
    ...base,
    cloud: 'gcp',
    kind: 'gcp.compute.disk',
    id: '4411',
    name: 'orders-data',
    account: 'acme-prod',
    region: 'europe-west1-b',
    attributes: { cmek: false },
  },
];

async function snapshot(name: string, list: Resource[]): Promise<string> {
  const file = path.join(dir, name);
  await writeFile(
    file,
    JSON.stringify({ schemaVersion: 1, kind: 'guardian.snapshot', resources: list, errors: [], scopes: [], complete: true }),
  );
  return file;
}

let input: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'guardian-scan-e2e-'));
  input = await snapshot('snapshot.json', resources);
});

describe('guardian scan --input', () => {
  it('prints findings as JSON and exits 0 without --fail-on', async () => {
    const result = await guardian(['scan', '--input', input, '--json']);
    expect(result.exitCode).toBe(0);
    const json = JSON.parse(result.stdout);
    expect(json).toMatchObject({ schemaVersion: 1, kind: 'guardian.scan', summary: { resources: 4, findings: 3 } });
    expect(json.findings.map((f: { ruleId: string }) => f.ruleId)).toEqual(['AWS-EC2-001', 'AWS-EC2-011', 'GCP-CMP-005']);
    expect(json.findings[0].message).toBe('Security group "bastion" (sg-0aaa) allows SSH (tcp/22) from 0.0.0.0/0.');
  });

  it.each([
    ['critical', 1],
    ['high', 1],
    ['medium', 1],
    ['low', 1],
    ['info', 1],
  ])('exits %s → %i on the full snapshot', async (level, code) => {
    const result = await guardian(['scan', '--input', input, '--fail-on', level, '--output', 'json']);
    expect(result.exitCode).toBe(code);
    expect(result.stderr).toMatch(/finding\(s\) at or above/);
    expect(JSON.parse(result.stdout).summary.failing).toBeGreaterThan(0);
  });

  it.each([
    ['critical', 0],
    ['high', 0],
    ['medium', 0],
    ['low', 1],
    ['info', 1],
  ])('exits %s → %i when only a low finding remains', async (level, code) => {
    const result = await guardian(['scan', '--input', input, '--rules', 'GCP-CMP-005', '--fail-on', level]);
    expect(result.exitCode).toBe(code);
    expect(result.stdout).toContain('LOW (1)');
  });

  it('selects by severity and framework, and rejects bad values with exit 2', async () => {
    const high = JSON.parse((await guardian(['scan', '--input', input, '--severity', 'high', '--json'])).stdout);
    expect(high.findings.map((f: { ruleId: string }) => f.ruleId)).toEqual(['AWS-EC2-001', 'AWS-EC2-011']);
    const cisGcp = JSON.parse((await guardian(['scan', '--input', input, '--framework', 'cis-gcp', '--json'])).stdout);
    expect(cisGcp.findings.map((f: { ruleId: string }) => f.ruleId)).toEqual(['GCP-CMP-005']);
    for (const args of [
      ['--fail-on', 'urgent'],
      ['--rules', 'AWS-EC2-999'],
      ['--framework', 'pci'],
    ]) {
      const bad = await guardian(['scan', '--input', input, ...args]);
      expect(bad.exitCode, bad.stderr).toBe(2);
      expect(bad.stderr.split('\n')[0]).toMatch(/^guardian: /);
    }
  });

  it('fails only on new findings against a baseline', async () => {
    const baseline = path.join(dir, 'baseline.json');
    const written = await guardian(['scan', '--input', input, '--write-baseline', baseline, '--fail-on', 'high', '--json']);
    expect(written.exitCode).toBe(1);
    expect(JSON.parse(await readFile(baseline, 'utf8')).findings).toHaveLength(3);
    expect((await guardian(['scan', '--input', input, '--baseline', baseline, '--fail-on', 'low'])).exitCode).toBe(0);
    const grown = await snapshot('grown.json', [
      ...resources,
      {
        ...base,
        kind: 'aws.ec2.security-group',
        id: 'sg-0new',
        name: 'new',
        attributes: { isDefault: false, ingress: [{ protocol: 'tcp', fromPort: 3389, toPort: 3389, source: '0.0.0.0/0' }] },
      },
    ]);
    const result = await guardian(['scan', '--input', grown, '--baseline', baseline, '--fail-on', 'high', '--json']);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain('1 new finding(s) at or above high');
    expect(JSON.parse(result.stdout).findings.find((f: { resource: { id: string } }) => f.resource.id === 'sg-0new').baseline).toBe('new');
  });

  it('applies .guardian-suppressions.yaml from the working directory and reports expired ones', async () => {
    const work = path.join(dir, 'suppressed');
    await mkdir(work, { recursive: true });
    await writeFile(
      path.join(work, '.guardian-suppressions.yaml'),
      [
        'suppressions:',
        '  - rule: AWS-EC2-001',
        '    resource: sg-0aaa',
        '    reason: reachable only through the office VPN NACL',
        '    expires: 2999-12-31',
        '  - rule: AWS-EC2-011',
        '    reason: scratch volumes, re-created nightly',
        '    expires: 2020-01-01',
      ].join('\n'),
    );
    const result = await guardian(['scan', '--input', input, '--fail-on', 'critical', '--json'], { cwd: work });
    expect(result.exitCode).toBe(0);
    const json = JSON.parse(result.stdout);
    expect(json.findings.map((f: { ruleId: string }) => f.ruleId)).toEqual(['AWS-EC2-011', 'GCP-CMP-005']);
    expect(json.suppressed[0]).toMatchObject({
      ruleId: 'AWS-EC2-001',
      suppression: { reason: 'reachable only through the office VPN NACL' },
    });
    expect(result.stderr).toMatch(/suppression for AWS-EC2-011 .*expired on 2020-01-01/);
    expect((await guardian(['scan', '--input', input, '--fail-on', 'high'], { cwd: work })).exitCode).toBe(1);
  });

  it('rejects a bad suppressions file with exit 2 naming it', async () => {
    const work = path.join(dir, 'bad-suppressions');
    await mkdir(work, { recursive: true });
    await writeFile(path.join(work, '.guardian-suppressions.yaml'), 'suppressions:\n  - rule: AWS-EC2-001\n');
    const result = await guardian(['scan', '--input', input], { cwd: work });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(`${path.join(work, '.guardian-suppressions.yaml')} is not a suppressions file`);
  });

  it('applies suppressions from the profile', async () => {
    const configDir = path.join(dir, 'profile-config');
    await mkdir(configDir, { recursive: true });
    await writeFile(
      path.join(configDir, 'config.json'),
      JSON.stringify({
        profiles: { ci: { suppressions: [{ rule: 'GCP-CMP-005', reason: 'Google-managed keys accepted for dev data' }] } },
      }),
    );
    const result = await guardian(['scan', '--input', input, '--profile', 'ci', '--json'], { env: { GUARDIAN_CONFIG_DIR: configDir } });
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    const json = JSON.parse(result.stdout);
    expect(json.suppressed).toEqual([
      expect.objectContaining({ ruleId: 'GCP-CMP-005', suppression: expect.objectContaining({ origin: 'profile ci' }) }),
    ]);
  });

  it('writes SARIF, JUnit, Markdown and CSV', async () => {
    const sarif = JSON.parse((await guardian(['scan', '--input', input, '--output', 'sarif'])).stdout);
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0].results).toHaveLength(3);
    expect(sarif.runs[0].automationDetails.id).toBe('guardian/all/');
    const junit = await guardian(['scan', '--input', input, '--output', 'junit']);
    expect(XMLValidator.validate(junit.stdout)).toBe(true);
    expect(junit.stdout).toContain('<testsuites name="guardian scan"');
    const markdown = await guardian(['scan', '--input', input, '--output', 'markdown', '--fail-on', 'high']);
    expect(markdown.stdout).toMatch(/^### Guardian scan/);
    expect(markdown.exitCode).toBe(1);
    const csv = await guardian(['scan', '--input', input, '--output', 'csv']);
    expect(csv.stdout.trim().split('\r\n')).toHaveLength(4);
  });

  it('lists the rule catalog as a table and as JSON', async () => {
    const table = await guardian(['scan', '--list-rules']);
    expect(table.exitCode).toBe(0);
    expect(table.stdout).toContain('AWS-EC2-001');
    const json = JSON.parse((await guardian(['scan', '--list-rules', '--framework', 'cis-aws', '--json'])).stdout);
    expect(json.kind).toBe('guardian.rules');
    expect(json.rules.length).toBeGreaterThan(5);
    expect(json.rules.every((r: { references: { framework: string }[] }) => r.references.some((ref) => ref.framework === 'cis-aws'))).toBe(
      true,
    );
  });
});

describe('guardian scan --plan', () => {
  it('scans a plan into SARIF pointing at the plan file and fails on high', async () => {
    const result = await guardian(['scan', '--plan', path.join(PLANS, 'aws-plan.json'), '--output', 'sarif', '--fail-on', 'high']);
    expect(result.exitCode).toBe(1);
    const sarif = JSON.parse(result.stdout);
    expect(sarif.runs[0].automationDetails.id).toBe('guardian/plan/');
    const uris = new Set((sarif as SarifLog).runs[0].results.map((r) => r.locations[0].physicalLocation.artifactLocation.uri));
    expect([...uris]).toHaveLength(1);
    expect([...uris][0]).toMatch(/aws-plan\.json$/);
  });

  it.each(['critical', 'high', 'medium', 'low', 'info'])('exits 0 at --fail-on %s on a plan with nothing to find', async (level) => {
    const result = await guardian(['scan', '--plan', path.join(PLANS, 'clean-plan.json'), '--fail-on', level, '--json']);
    expect(JSON.parse(result.stdout).summary.findings).toBe(0);
    expect(result.exitCode).toBe(0);
  });

  it.each([
    ['critical', 0],
    ['high', 0],
    ['medium', 0],
    ['low', 1],
    ['info', 1],
  ])('exits at --fail-on %s → %i when a plan holds only a low finding', async (level, code) => {
    const result = await guardian(['scan', '--plan', path.join(PLANS, 'gcp-plan.json'), '--rules', 'GCP-CMP-005', '--fail-on', level]);
    expect(result.exitCode, result.stderr).toBe(code);
    expect(result.stdout).toContain('google_compute_disk.data');
  });

  it.each([
    ['state.json', 'is not a Terraform plan: it looks like a state file'],
    ['truncated.json', 'is not valid JSON'],
    ['missing.json', 'no such file'],
  ])('rejects %s with exit 2 and one line naming it', async (file, message) => {
    const result = await guardian(['scan', '--plan', path.join(PLANS, file)]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr.split('\n')[0]).toContain(file);
    expect(result.stderr.split('\n')[0]).toContain(message);
  });

  it('refuses --input and --plan together', async () => {
    const result = await guardian(['scan', '--input', input, '--plan', path.join(PLANS, 'aws-plan.json')]);
    expect(result.exitCode).toBe(2);
  });
});

describe('guardian init ci', () => {
  it('writes the workflow, refuses to overwrite it, and overwrites with --force', async () => {
    const repo = path.join(dir, 'repo');
    await mkdir(repo, { recursive: true });
    const first = await guardian(['init', 'ci'], { cwd: repo });
    expect(first.exitCode).toBe(0);
    const target = path.join(repo, '.github/workflows/guardian.yml');
    expect(first.stdout.trim()).toBe(target);
    const workflow = await readFile(target, 'utf8');
    expect(workflow).toContain('pull_request');
    expect(workflow).toContain('github/codeql-action/upload-sarif');
    expect(workflow).toContain('GUARDIAN_FAIL_ON: high');
    await writeFile(target, 'custom');
    const second = await guardian(['init', 'ci'], { cwd: repo });
    expect(second.exitCode).toBe(2);
    expect(second.stderr).toContain('already exists; pass --force');
    expect(await readFile(target, 'utf8')).toBe('custom');
    expect((await guardian(['init', 'ci', '--force'], { cwd: repo })).exitCode).toBe(0);
    expect(await readFile(target, 'utf8')).toBe(workflow);
  });
});

describe('scan of a live estate with a region down', () => {
  const down = () => ({
    GUARDIAN_DEMO_SIZE: '300',
    GUARDIAN_DEMO_NOW: '2026-06-01',
    GUARDIAN_DEMO_OUTAGE: 'us-east-2',
    GUARDIAN_DATA_DIR: path.join(dir, 'data-outage'),
  });

  it('scans what answered within --call-timeout, says the inventory is incomplete, and exits 4 under --strict', async () => {
    const args = ['scan', '--profile', 'demo', '--provider', 'aws', '--call-timeout', '2s'];
    const run = await guardian([...args, '--json'], { env: down() });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/warning: the inventory is incomplete \(\d+ listing\(s\) failed or timed out\)/);
    expect(run.stderr).toMatch(/us-east-2 .*CallTimeout/);
    expect(JSON.parse(run.stdout).findings.length).toBeGreaterThan(0);
    const strict = await guardian([...args, '--strict'], { env: down() });
    expect(strict.exitCode).toBe(4);
    expect(strict.stderr).toMatch(/^guardian: the inventory is incomplete/m);
    // Findings on what was listed still fail the gate.
    const gate = await guardian([...args, '--strict', '--fail-on', 'low'], { env: down() });
    expect(gate.exitCode).toBe(1);
  }, 180_000);

  it('stops discovering at --timeout and scans what was found instead of hanging or exiting 130', async () => {
    const run = await guardian(['scan', '--profile', 'demo', '--provider', 'aws', '--timeout', '5s', '--call-timeout', '10m'], {
      env: down(),
    });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/RunTimeout/);
    expect(run.stderr).toMatch(/warning: the inventory is incomplete/);
  }, 180_000);
});
