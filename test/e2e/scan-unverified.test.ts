// Unverified findings through the built binary: a security group whose ingress is unknown is one
// finding, not one per port rule; it fails --fail-on only with --fail-on-unverified, and otherwise
// stderr says how many were left out of the verdict.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let dir: string;
let input: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'guardian-unverified-'));
  input = path.join(dir, 'snapshot.json');
  const group = {
    cloud: 'aws',
    kind: 'aws.ec2.security-group',
    id: 'sg-0unknown',
    name: 'app',
    account: '111122223333',
    region: 'eu-west-1',
    tags: {},
    relations: [],
    // No ingress reported: every rule that reads it is undecided.
    attributes: { isDefault: false },
  };
  writeFileSync(
    input,
    JSON.stringify({ schemaVersion: 1, kind: 'guardian.snapshot', resources: [group], errors: [], scopes: [], complete: true }),
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function scan(...args: string[]) {
  return execa(process.execPath, [path.resolve('dist/bin/guardian.js'), 'scan', '--input', input, ...args], {
    reject: false,
    stdin: 'ignore',
    env: { NO_COLOR: '1', CI: 'true', GUARDIAN_CONFIG_DIR: path.join(dir, 'config') },
    extendEnv: false,
  });
}

describe('unverified findings', () => {
  it('are one finding per resource and unknown value, naming the rules it leaves undecided', async () => {
    const result = await scan('--json');
    expect(result.exitCode).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.findings).toHaveLength(1);
    expect(report.findings[0]).toMatchObject({ status: 'unknown', severity: 'critical', unknownAttributes: ['ingress'] });
    expect(report.findings[0].undecidedRules.length).toBeGreaterThan(5);
    expect(report.summary).toMatchObject({ findings: 1, unknown: 1 });
  });

  it('do not fail --fail-on by default, and stderr says how many were not counted', async () => {
    const result = await scan('--fail-on', 'high', '--json');
    expect(result.exitCode).toBe(0);
    expect(JSON.parse(result.stdout).summary).toMatchObject({ failing: 0, unverifiedNotCounted: 1 });
    expect(result.stderr).toContain('1 unverified finding(s) at or above high were not counted');
    expect(result.stderr).toContain('--fail-on-unverified');
  });

  it('fail --fail-on with --fail-on-unverified', async () => {
    const result = await scan('--fail-on', 'high', '--fail-on-unverified');
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain('1 finding(s) at or above high');
  });
});
