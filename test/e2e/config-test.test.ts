// guardian config test: each cloud's credentials checked through the real SDKs.

import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { RESOURCE_KINDS } from '../../src/model/resource.js';

async function env(): Promise<NodeJS.ProcessEnv> {
  const root = await mkdtemp(join(tmpdir(), 'guardian-cfgtest-'));
  return {
    PATH: process.env.PATH,
    HOME: root,
    NO_COLOR: '1',
    GUARDIAN_CONFIG_DIR: join(root, 'config'),
    GUARDIAN_DATA_DIR: join(root, 'data'),
  };
}

function guardian(args: string[], environment: NodeJS.ProcessEnv) {
  return execa(process.execPath, ['dist/bin/guardian.js', ...args], { reject: false, env: environment, extendEnv: false, stdin: 'ignore' });
}

describe('guardian config test', () => {
  it('passes every check of the demo profile', async () => {
    const result = await guardian(['config', 'test', '--profile', 'demo', '--json'], await env());
    expect(result.exitCode, result.stderr).toBe(0);
    const body = JSON.parse(result.stdout);
    expect(body.ok).toBe(true);
    expect(new Set(body.checks.map((c: { cloud: string }) => c.cloud))).toEqual(new Set(['aws', 'azure', 'gcp']));
    expect(body.checks.some((c: { subject: string }) => /sts:AssumeRole/.test(c.subject))).toBe(true);
  });

  it("asks the billing and metrics faces about the demo estate's pinned day, not the wall clock", async () => {
    // An estate that ends months before today: Cost Explorer refuses an end date past the month after its last day.
    const environment = { ...(await env()), GUARDIAN_DEMO_NOW: '2026-03-15', GUARDIAN_DEMO_SIZE: '300' };
    const result = await guardian(['config', 'test', '--profile', 'demo', '--json'], environment);
    expect(result.exitCode, result.stderr).toBe(0);
    const checks: { cloud: string; subject: string; ok: boolean }[] = JSON.parse(result.stdout).checks;
    expect(checks.filter((c) => c.subject === 'costs').map((c) => [c.cloud, c.ok])).toEqual([
      ['aws', true],
      ['azure', true],
      ['gcp', true],
    ]);
  });

  it('probes every kind and face of each cloud, each row naming the permissions it stands for', async () => {
    const result = await guardian(['config', 'test', '--profile', 'demo', '--json'], await env());
    expect(result.exitCode, result.stderr).toBe(0);
    const checks: { cloud: string; subject: string; permissions?: string[] }[] = JSON.parse(result.stdout).checks;
    for (const cloud of ['aws', 'azure', 'gcp']) {
      const rows = checks.filter((c) => c.cloud === cloud);
      for (const kind of RESOURCE_KINDS.filter((k) => k.startsWith(`${cloud}.`))) {
        const probed = rows.filter((c) => c.subject.endsWith(`: ${kind}`));
        expect(probed.length, `${cloud} ${kind}`).toBeGreaterThan(0);
        for (const row of probed) expect(row.permissions?.length, row.subject).toBeGreaterThan(0);
      }
      for (const face of ['costs', 'metrics'])
        expect(rows.find((c) => c.subject === face)?.permissions?.length, `${cloud} ${face}`).toBeGreaterThan(0);
    }
  });

  it('fails the check of a cloud that has not answered by --timeout, instead of waiting for it', async () => {
    const environment = { ...(await env()), GUARDIAN_DEMO_LATENCY: '5000' };
    const result = await guardian(['config', 'test', '--profile', 'demo', '--timeout', '1s', '--json'], environment);
    expect(result.exitCode, result.stderr).toBe(3);
    const body = JSON.parse(result.stdout);
    expect(body.ok).toBe(false);
    const timedOut = body.checks.filter((c: { message: string }) => /no answer within --timeout/.test(c.message));
    expect(timedOut.length).toBeGreaterThan(0);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('says which credential is missing and exits 3', async () => {
    const environment = await env();
    expect((await guardian(['config', 'set', 'aws.profiles', 'nowhere', '--profile', 'broken'], environment)).exitCode).toBe(0);
    expect((await guardian(['config', 'set', 'gcp.projects', 'p-1', '--profile', 'broken'], environment)).exitCode).toBe(0);
    expect(
      (
        await guardian(
          ['config', 'set', 'gcp.keyFile', join(environment.HOME as string, 'missing.json'), '--profile', 'broken'],
          environment,
        )
      ).exitCode,
    ).toBe(0);
    const result = await guardian(['config', 'test', '--profile', 'broken'], environment);
    expect(result.exitCode).toBe(3);
    expect(result.stdout).toMatch(/nowhere/);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/credential check\(s\) failed/);
  });
});
