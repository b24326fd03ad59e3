// `guardian optimize --apply` without --yes on a real pseudo-terminal: util-linux's `script` gives
// the built binary a pty, the prompts (@inquirer/prompts) appear on it, and this test answers yes
// to the first item and no to the second as a person would type it. The journal and the sandbox's
// estate and manifest must then show exactly the accepted change made and the declined one not.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ec2Instance } from '../../src/sandbox/estate/types.js';
import { createSandbox, type Sandbox } from '../../src/sandbox/index.js';

const SCRIPT = spawnSync('script', ['--version'], { encoding: 'utf8' });
const haveScript = SCRIPT.status === 0;
if (!haveScript) console.warn("skipping the pseudo-terminal check: util-linux's `script` is not on PATH");

const RULES = 'AWS-COST-001,AWS-COST-007';
let dir: string;
let sandbox: Sandbox;
let env: Record<string, string>;

function guardian(args: string[], extra: Record<string, string> = {}) {
  return execa(process.execPath, ['dist/bin/guardian.js', ...args], {
    reject: false,
    extendEnv: false,
    stdin: 'ignore',
    env: { ...env, ...extra },
  });
}

const quote = (arg: string) => `'${arg.replace(/'/g, `'\\''`)}'`;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'guardian-apply-pty-'));
  sandbox = await createSandbox({ seed: 42, size: 400, now: new Date().toISOString().slice(0, 10), settleMs: 50 });
  const account = sandbox.estate.aws.accounts.find((a) => a.management)!;
  env = {
    PATH: process.env.PATH ?? '',
    HOME: dir,
    GUARDIAN_CONFIG_DIR: join(dir, 'config'),
    GUARDIAN_DATA_DIR: join(dir, 'data'),
    AWS_ENDPOINT_URL: sandbox.awsOrigin,
    AWS_ACCESS_KEY_ID: account.accessKeyId,
    AWS_SECRET_ACCESS_KEY: account.secretAccessKey,
    AWS_REGION: 'us-east-1',
    AWS_EC2_METADATA_DISABLED: 'true',
    NO_COLOR: '1',
    TERM: 'xterm',
  };
  for (const [key, value] of [
    ['aws.endpoint', sandbox.awsOrigin],
    ['aws.assumeRole', sandbox.estate.aws.organizationRole],
  ]) {
    const set = await guardian(['config', 'set', key, value], { CI: 'true' });
    expect(set.exitCode, set.stderr).toBe(0);
  }
});

afterAll(async () => {
  await sandbox?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!haveScript)('guardian optimize --apply asking on a terminal', () => {
  it('applies the item answered yes and not the one answered no', { timeout: 240_000 }, async () => {
    const planned = await guardian(['optimize', '--rules', RULES, '--json'], { CI: 'true' });
    expect(planned.exitCode, planned.stderr).toBe(0);
    const plan = (JSON.parse(planned.stdout) as { plan: { id: string; action: string; resource: { id: string } }[] }).plan;
    const yes = plan.find((r) => r.action === 'release-address')!;
    const no = plan.find((r) => r.action === 'stop')!;
    expect(yes && no).toBeTruthy();
    const journal = join(dir, 'asked.jsonl');
    const command = ['optimize', '--rules', RULES, '--apply', yes.id, no.id, '--journal', journal];
    const child = execa('script', ['-qfec', [process.execPath, 'dist/bin/guardian.js', ...command].map(quote).join(' '), '/dev/null'], {
      reject: false,
      extendEnv: false,
      env,
      stdin: 'pipe',
    });
    let screen = '';
    let ended = false;
    void child.then(() => {
      ended = true;
    });
    child.stdout?.on('data', (chunk: Buffer) => {
      screen += chunk.toString('utf8');
    });
    /** Resolves once the screen shows `text` after position `from`; fails the test if the program ends first. */
    const shown = async (text: string, from = 0) => {
      for (;;) {
        const at = screen.indexOf(text, from);
        if (at >= 0) return at;
        if (ended) throw new Error(`guardian ended before showing ${JSON.stringify(text)}:\n${screen}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };
    const first = await shown('Go ahead?');
    expect(screen.slice(0, first)).toContain(yes.resource.id);
    child.stdin?.write('y\r');
    // The second question names the machine; it comes after the first was answered (which re-draws the first).
    await shown('Go ahead?', await shown(no.resource.id, first));
    child.stdin?.write('n\r');
    const result = await child;
    child.stdin?.end();
    expect(result.exitCode, screen).toBe(0);
    expect(screen).toMatch(/1 done, 0 failed, 0 not attempted, 1 declined/);

    const records = readFileSync(journal, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { type: string; item?: string });
    expect(records.filter((r) => r.type === 'item').map((r) => r.item)).toEqual([yes.id]);
    expect(records.filter((r) => r.item === no.id)).toEqual([]);
    expect(records.at(-1)).toMatchObject({ type: 'done', item: yes.id });
    // The estate and its manifest: the address is released, the machine still runs.
    const planted = sandbox.manifest().planted;
    expect(sandbox.store.get(yes.resource.id)).toBeUndefined();
    expect(planted['address-unassociated']).not.toContain(yes.resource.id);
    expect((sandbox.store.get(no.resource.id) as Ec2Instance).spec.state).toBe('running');
    expect(planted['instance-idle']).toContain(no.resource.id);
  });
});
