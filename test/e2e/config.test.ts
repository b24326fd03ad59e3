// `guardian config` end to end: the built binary against a throw-away GUARDIAN_CONFIG_DIR, in CI mode
// (never prompts), asserting stdout, stderr, exit codes and the file on disk.

import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const CANARY = 'CANARY-SECRET-123456';
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'guardian-e2e-config-'));
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function guardian(args: string[], options: { input?: string; env?: Record<string, string> } = {}) {
  const env: NodeJS.ProcessEnv = { ...process.env, GUARDIAN_CONFIG_DIR: dir, CI: 'true', ...options.env };
  if (!options.env?.GUARDIAN_PROFILE) delete env.GUARDIAN_PROFILE;
  return execa(process.execPath, ['dist/bin/guardian.js', ...args], {
    reject: false,
    env,
    extendEnv: false,
    ...(options.input === undefined ? { stdin: 'ignore' as const } : { input: options.input }),
  });
}

const file = () => join(dir, 'config.json');
const json = (text: string) => JSON.parse(text);

describe('guardian config', () => {
  it('path prints where the store lives (GUARDIAN_CONFIG_DIR)', async () => {
    const plain = await guardian(['config', 'path']);
    expect(plain.exitCode).toBe(0);
    expect(plain.stdout).toBe(file());
    const asJson = json((await guardian(['config', 'path', '--json'])).stdout);
    expect(asJson).toEqual({ schemaVersion: 1, kind: 'config.path', path: file(), exists: false });
  });

  it('init writes a profile from flags without prompting, and makes it current', async () => {
    const result = await guardian([
      'config',
      'init',
      '--profile',
      'prod',
      '--aws-profiles',
      'audit,billing',
      '--aws-regions',
      'eu-west-1,us-east-1',
      '--azure-subscriptions',
      '00000000-0000-0000-0000-000000000001',
      '--azure-tenant',
      'contoso.onmicrosoft.com',
      '--gcp-projects',
      'shop-prod',
      '--gcp-key-file',
      '/etc/guardian/sa.json',
      '--gcp-billing-table',
      'shop-prod.billing.export_v1',
      '--concurrency',
      '12',
    ]);
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toContain(`wrote profile 'prod' to ${file()} (now the current profile)`);
    expect(result.stdout).toContain('aws.regions = eu-west-1,us-east-1');
    expect(statSync(file()).mode & 0o777).toBe(0o600);
    const stored = json(readFileSync(file(), 'utf8'));
    expect(stored.currentProfile).toBe('prod');
    expect(stored.profiles.prod).toEqual({
      aws: { profiles: ['audit', 'billing'], regions: ['eu-west-1', 'us-east-1'] },
      azure: { subscriptions: ['00000000-0000-0000-0000-000000000001'], tenantId: 'contoso.onmicrosoft.com' },
      gcp: { projects: ['shop-prod'], keyFile: '/etc/guardian/sa.json', billingExportTable: 'shop-prod.billing.export_v1' },
      defaults: { concurrency: 12 },
    });

    const again = await guardian(['config', 'init', '--profile', 'prod', '--aws-regions', 'eu-west-2']);
    expect(again.exitCode).toBe(2);
    expect(again.stderr).toContain('--force');
    const forced = await guardian(['config', 'init', '--profile', 'prod', '--aws-regions', 'eu-west-2', '--force', '--json']);
    expect(forced.exitCode).toBe(0);
    expect(json(forced.stdout)).toMatchObject({ kind: 'config.init', profile: 'prod', settings: { aws: { regions: ['eu-west-2'] } } });
  });

  it('init rejects a bad value with exit 2 and writes nothing', async () => {
    const result = await guardian(['config', 'init', '--concurrency', 'lots']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr.split('\n')[0]).toBe("guardian: defaults.concurrency must be a whole number, got 'lots'");
    expect(() => statSync(file())).toThrow();
  });

  it('set, get, list and unset a setting of the profile in use', async () => {
    expect((await guardian(['config', 'set', 'aws.regions', 'eu-west-1, eu-central-1'])).exitCode).toBe(0);
    expect((await guardian(['config', 'set', 'defaults.concurrency', '8'])).exitCode).toBe(0);

    const get = await guardian(['config', 'get', 'aws.regions']);
    expect(get.stdout).toBe('eu-west-1,eu-central-1');
    expect(json((await guardian(['config', 'get', 'defaults.concurrency', '--json'])).stdout)).toEqual({
      schemaVersion: 1,
      kind: 'config.value',
      profile: 'default',
      key: 'defaults.concurrency',
      value: 8,
    });

    const list = await guardian(['config', 'list']);
    expect(list.exitCode).toBe(0);
    expect(list.stdout).toMatch(/aws\.regions\s+│ eu-west-1,eu-central-1/);
    const listJson = json((await guardian(['config', 'list', '-o', 'json'])).stdout);
    expect(listJson).toMatchObject({ schemaVersion: 1, kind: 'config', profile: 'default', settings: { defaults: { concurrency: 8 } } });
    const csv = await guardian(['config', 'list', '--output', 'csv']);
    expect(csv.stdout).toBe('KEY,VALUE\r\naws.regions,"eu-west-1,eu-central-1"\r\ndefaults.concurrency,8');

    const unset = await guardian(['config', 'unset', 'aws.regions']);
    expect(unset.exitCode).toBe(0);
    expect(unset.stderr).toContain("unset aws.regions (profile 'default')");
    const after = await guardian(['config', 'get', 'aws.regions']);
    expect(after.exitCode).toBe(1);
    expect(after.stdout).toBe('');
    expect(after.stderr).toContain('not set');
  });

  it('get of an unset key says so and exits 1, as git config does', async () => {
    const plain = await guardian(['config', 'get', 'gcp.projects']);
    expect(plain.exitCode).toBe(1);
    expect(plain.stdout).toBe('');
    expect(plain.stderr).toBe("guardian: gcp.projects is not set in profile 'default'");
    const asJson = await guardian(['config', 'get', 'gcp.projects', '--json']);
    expect(asJson.exitCode).toBe(1);
    expect(json(asJson.stdout)).toMatchObject({ key: 'gcp.projects', value: null });
  });

  it('takes the same concurrency bound as --concurrency (1-1000) and only GUIDs as Azure subscriptions', async () => {
    expect((await guardian(['config', 'set', 'defaults.concurrency', '1000'])).exitCode).toBe(0);
    const over = await guardian(['config', 'set', 'defaults.concurrency', '1001']);
    expect(over.exitCode).toBe(2);
    expect(over.stderr).toContain('between 1 and 1000');
    const flag = await guardian(['discover', '--concurrency', '1001', '--profile', 'demo']);
    expect(flag.exitCode).toBe(2);
    expect(flag.stderr).toContain('between 1 and 1,000');
    const notGuid = await guardian(['config', 'set', 'azure.subscriptions', '00000000-0000-0000-0000-000000000001,production']);
    expect(notGuid.exitCode).toBe(2);
    expect(notGuid.stderr).toContain("'production' is not a subscription id");
    expect((await guardian(['config', 'set', 'azure.subscriptions', '0BC91330-0fe2-4200-a420-3d54e310039d'])).exitCode).toBe(0);
  });

  it('creates the config directory readable by its owner only (0700) and the file 0600', async () => {
    const nested = join(dir, 'home', '.config', 'guardian');
    const result = await guardian(['config', 'set', 'aws.regions', 'eu-west-1'], { env: { GUARDIAN_CONFIG_DIR: nested } });
    expect(result.exitCode).toBe(0);
    expect(statSync(nested).mode & 0o777).toBe(0o700);
    expect(statSync(join(nested, 'config.json')).mode & 0o777).toBe(0o600);
  });

  it('suggests a key for a typo and refuses a value of the wrong type, with exit 2', async () => {
    const typo = await guardian(['config', 'set', 'aws.region', 'eu-west-1']);
    expect(typo.exitCode).toBe(2);
    expect(typo.stderr.split('\n')[0]).toMatch(/^guardian: unknown config key 'aws\.region' \(did you mean aws\.regions\?\)/);
    const number = await guardian(['config', 'set', 'defaults.concurrency', 'ten']);
    expect(number.exitCode).toBe(2);
    const choice = await guardian(['config', 'set', 'defaults.output', 'yml']);
    expect(choice.exitCode).toBe(2);
  });

  it('profiles lists stored profiles and the built-in demo; use switches the current one', async () => {
    await guardian(['config', 'init', '--profile', 'dev', '--gcp-projects', 'shop-dev']);
    await guardian(['config', 'init', '--profile', 'prod', '--aws-regions', 'eu-west-1']);
    const profiles = json((await guardian(['config', 'profiles', '--json'])).stdout);
    expect(profiles).toEqual({
      schemaVersion: 1,
      kind: 'config.profiles',
      current: 'dev',
      active: 'dev',
      profiles: [
        { name: 'dev', current: true, builtIn: false, clouds: ['gcp'] },
        { name: 'prod', current: false, builtIn: false, clouds: ['aws'] },
        { name: 'demo', current: false, builtIn: true, clouds: ['aws', 'azure', 'gcp'] },
      ],
    });
    const use = await guardian(['config', 'use', 'prod']);
    expect(use.exitCode).toBe(0);
    expect(json((await guardian(['config', 'profiles', '--json'])).stdout).current).toBe('prod');
    const table = await guardian(['config', 'profiles']);
    expect(table.stdout).toMatch(/\*\s+│ prod/);
    expect(table.stdout).toContain('built-in sandbox');

    const env = await guardian(['config', 'get', 'gcp.projects'], { env: { GUARDIAN_PROFILE: 'dev' } });
    expect(env.stdout).toBe('shop-dev');
    const flag = await guardian(['--profile', 'dev', 'config', 'get', 'gcp.projects'], { env: { GUARDIAN_PROFILE: 'prod' } });
    expect(flag.stdout).toBe('shop-dev');

    const missing = await guardian(['config', 'use', 'prdo']);
    expect(missing.exitCode).toBe(3);
    expect(missing.stderr).toContain('(did you mean prod?)');
    expect((await guardian(['config', 'use', 'demo'])).exitCode).toBe(0);
  });

  it('refuses to change or delete the built-in demo profile', async () => {
    const set = await guardian(['--profile', 'demo', 'config', 'set', 'aws.regions', 'eu-west-1']);
    expect(set.exitCode).toBe(2);
    expect(set.stderr).toContain('built-in');
    const init = await guardian(['--profile', 'demo', 'config', 'init', '--force']);
    expect(init.exitCode).toBe(2);
    const del = await guardian(['config', 'delete', 'demo', '--yes']);
    expect(del.exitCode).toBe(2);
  });

  it('delete asks for --yes in CI and then deletes', async () => {
    await guardian(['config', 'init', '--profile', 'old']);
    const refused = await guardian(['config', 'delete', 'old']);
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toContain('pass --yes');
    const deleted = await guardian(['--yes', 'config', 'delete', 'old']);
    expect(deleted.exitCode).toBe(0);
    expect(json(readFileSync(file(), 'utf8')).profiles).toEqual({});
  });

  it('stores a secret only with --secret and never prints it unless --show-secrets', async () => {
    const refused = await guardian(['config', 'set', 'azure.clientSecret', CANARY]);
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toContain('pass --secret');
    expect(refused.stderr).not.toContain(CANARY);

    const stored = await guardian(['config', 'set', 'azure.clientSecret', CANARY, '--secret', '--debug']);
    expect(stored.exitCode).toBe(0);
    expect(readFileSync(file(), 'utf8')).toContain(CANARY);

    const outputs = await Promise.all([
      guardian(['config', 'list']),
      guardian(['config', 'list', '--json']),
      guardian(['config', 'list', '-o', 'csv']),
      guardian(['config', 'list', '-o', 'markdown']),
      guardian(['config', 'get', 'azure.clientSecret']),
      guardian(['config', 'get', 'azure.clientSecret', '--json']),
      guardian(['config', 'profiles', '--json', '--debug']),
      guardian(['--verbose', '--debug', 'config', 'set', 'azure.clientSecret', CANARY, '--secret', '--json']),
      guardian(['config', 'set', 'azure.clientSecret', `${CANARY}x`, '--debug']),
    ]);
    for (const result of outputs) {
      expect(result.stdout + result.stderr).not.toContain(CANARY);
    }
    expect(outputs[0].stdout).toContain('••••••');

    const shown = await guardian(['config', 'get', 'azure.clientSecret', '--show-secrets']);
    expect(shown.stdout).toBe(CANARY);
    expect((await guardian(['config', 'list', '--show-secrets', '--json'])).stdout).toContain(CANARY);
  });

  it('warns that a secret given as an argument lands in shell history, without echoing it', async () => {
    const result = await guardian(['config', 'set', 'llm.apiKey', CANARY, '--secret']);
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toContain('stays in your shell history');
    expect(result.stderr).toContain('guardian config set llm.apiKey - --secret');
    expect(result.stderr).not.toContain(CANARY);
  });

  it("reads a secret from stdin with '-' so it stays out of shell history", async () => {
    const result = await guardian(['config', 'set', 'llm.apiKey', '-', '--secret'], { input: `${CANARY}\n` });
    expect(result.exitCode).toBe(0);
    expect(result.stderr).not.toContain('shell history');
    expect(json(readFileSync(file(), 'utf8')).profiles.default.llm.apiKey).toBe(CANARY);
  });

  it('reports a hand-broken file with exit 3, names it, and leaves it untouched', async () => {
    const broken = `{"profiles": {"prod": {"azure": {"clientSecret": "${CANARY}"}},}}`;
    writeFileSync(file(), broken, { mode: 0o600 });
    const mtime = statSync(file()).mtimeMs;
    for (const args of [
      ['config', 'list'],
      ['config', 'set', 'aws.regions', 'eu-west-1'],
      ['config', 'init', '--force'],
      ['config', 'use', 'demo'],
    ]) {
      const result = await guardian(args);
      expect(result.exitCode).toBe(3);
      expect(result.stderr.split('\n')[0].startsWith(`guardian: config file ${file()} is not valid JSON at line 1, column 75`)).toBe(true);
      expect(result.stderr).toContain('fix it by hand');
      expect(result.stderr).not.toContain(CANARY);
    }
    expect(readFileSync(file(), 'utf8')).toBe(broken);
    expect(statSync(file()).mtimeMs).toBe(mtime);

    // The built-in sandbox needs nothing from the file: a broken file does not block it.
    for (const args of [
      ['--profile', 'demo', 'config', 'list'],
      ['--profile', 'demo', 'discover', '--no-save', '--quiet'],
    ]) {
      const demo = await guardian(args, { env: { GUARDIAN_DEMO_SIZE: '50' } });
      expect(demo.stderr).not.toContain('config file');
      expect(demo.exitCode).toBe(0);
    }
    const viaEnv = await guardian(['config', 'list'], { env: { GUARDIAN_PROFILE: 'demo' } });
    expect(viaEnv.exitCode).toBe(0);
    expect(readFileSync(file(), 'utf8')).toBe(broken);

    writeFileSync(file(), JSON.stringify({ profiles: { prod: { defaults: { concurrency: 'fast' } } } }));
    const schema = await guardian(['config', 'profiles']);
    expect(schema.exitCode).toBe(3);
    expect(schema.stderr).toContain('breaks the schema: profiles.prod.defaults.concurrency must be integer');
  });
});
