import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lookupKey, parseValue } from '../../src/config/keys.js';
import { REDACTED, redactText } from '../../src/config/redact.js';
import { type ConfigStore, openConfigStore, STORE_FORMAT_VERSION } from '../../src/config/store.js';
import { ConfigError, UsageError } from '../../src/errors.js';
import { editDistance } from '../../src/model/suggest.js';

const CANARY = 'CANARY-SECRET-123456';

let dir: string;
let env: NodeJS.ProcessEnv;
const file = () => join(dir, 'config.json');

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'guardian-config-'));
  env = { GUARDIAN_CONFIG_DIR: dir };
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Opens the store and reads its profiles: what fails on a broken file (opening alone does not, for the demo's sake). */
async function readStore(environment: NodeJS.ProcessEnv) {
  return (await openConfigStore(environment)).listProfiles();
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

describe('config store', () => {
  it('round-trips every kind of setting through the file', async () => {
    const store = await openConfigStore(env);
    await store.setValue('prod', 'aws.regions', 'eu-west-1, us-east-1,eu-west-1');
    await store.setValue('prod', 'aws.accounts', '111111111111,222222222222');
    await store.setValue('prod', 'azure.auth', 'cli');
    await store.setValue('prod', 'gcp.billingExportTable', 'my-project.billing.gcp_billing_export_v1_0123');
    await store.setValue('prod', 'defaults.concurrency', '24');
    await store.setValue('prod', 'gcp.keyFile', 'keys/sa.json', { cwd: '/home/me' });

    const reopened = await openConfigStore(env);
    expect(reopened.getProfile('prod')).toEqual({
      aws: { regions: ['eu-west-1', 'us-east-1'], accounts: ['111111111111', '222222222222'] },
      azure: { auth: 'cli' },
      gcp: { billingExportTable: 'my-project.billing.gcp_billing_export_v1_0123', keyFile: '/home/me/keys/sa.json' },
      defaults: { concurrency: 24 },
    });
    expect(reopened.getValue('prod', 'defaults.concurrency')).toBe(24);

    expect(await reopened.unsetValue('prod', 'aws.regions')).toBe(true);
    expect(await reopened.unsetValue('prod', 'aws.regions')).toBe(false);
    await reopened.unsetValue('prod', 'azure.auth');
    const again = await openConfigStore(env);
    expect(again.getProfile('prod')?.aws).toEqual({ accounts: ['111111111111', '222222222222'] });
    expect(again.getProfile('prod')?.azure).toBeUndefined();
  });

  it('records the migration version in the file', async () => {
    const store = await openConfigStore(env);
    await store.setValue('default', 'aws.regions', 'eu-west-1');
    const raw = JSON.parse(readFileSync(file(), 'utf8'));
    expect(raw.__internal__.migrations.version).toBe(STORE_FORMAT_VERSION);
  });

  it('does not create the file until something is written', async () => {
    const store = await openConfigStore(env);
    expect(store.path).toBe(file());
    store.listProfiles();
    expect(() => statSync(file())).toThrow();
  });

  it('leaves the file alone when it is only read', async () => {
    await (await openConfigStore(env)).setValue('default', 'aws.regions', 'eu-west-1');
    const before = readFileSync(file());
    const mtime = statSync(file()).mtimeMs;
    const store = await openConfigStore(env);
    store.listProfiles();
    store.getProfile('default');
    expect(readFileSync(file()).equals(before)).toBe(true);
    expect(statSync(file()).mtimeMs).toBe(mtime);
  });

  it('writes the file with mode 0600', async () => {
    const store = await openConfigStore(env);
    await store.setValue('default', 'aws.regions', 'eu-west-1');
    expect(statSync(file()).mode & 0o777).toBe(0o600);
  });

  it('tightens a hand-made file to 0600 on the next write', async () => {
    writeFileSync(file(), JSON.stringify({ profiles: { dev: { aws: { regions: ['eu-west-1'] } } } }));
    chmodSync(file(), 0o644);
    const store = await openConfigStore(env);
    await store.setValue('dev', 'aws.assumeRole', 'Audit');
    expect(statSync(file()).mode & 0o777).toBe(0o600);
    expect((await openConfigStore(env)).getProfile('dev')).toEqual({ aws: { regions: ['eu-west-1'], assumeRole: 'Audit' } });
  });

  it('resolves the profile: flag, then GUARDIAN_PROFILE, then the current one, then default', async () => {
    const store = await openConfigStore(env);
    expect(store.resolveProfileName()).toBe('default');
    await store.putProfile('team', {});
    await store.useProfile('team');
    expect(store.resolveProfileName()).toBe('team');
    const withEnv = await openConfigStore({ ...env, GUARDIAN_PROFILE: 'ci' });
    expect(withEnv.resolveProfileName()).toBe('ci');
    expect(withEnv.resolveProfileName('cli')).toBe('cli');
    expect(() => store.resolveProfileName('bad name')).toThrow(UsageError);
  });

  it('suggests the closest key for a typo and refuses values of the wrong type', async () => {
    const store = await openConfigStore(env);
    const typo = await rejection(store.setValue('default', 'aws.regoins', 'eu-west-1'));
    expect(typo).toBeInstanceOf(UsageError);
    expect(typo.message).toContain('did you mean aws.regions');
    await expect(store.setValue('default', 'defaults.concurrency', 'many')).rejects.toThrow(/whole number/);
    await expect(store.setValue('default', 'defaults.concurrency', '0')).rejects.toThrow(/between 1 and 1000/);
    await expect(store.setValue('default', 'aws.accounts', '12345')).rejects.toThrow(/12-digit/);
    await expect(store.setValue('default', 'azure.auth', 'clii')).rejects.toThrow(/did you mean cli/);
    expect(() => statSync(file())).toThrow();
  });

  it('parses lists, integers and paths from what the user typed', () => {
    expect(parseValue(lookupKey('gcp.projects'), 'a-project, b-project')).toEqual(['a-project', 'b-project']);
    expect(parseValue(lookupKey('defaults.concurrency'), ' 8 ')).toBe(8);
    expect(() => parseValue(lookupKey('aws.regions'), ' , ')).toThrow(UsageError);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });

  it('keeps the built-in demo profile listed and read-only', async () => {
    const store = await openConfigStore(env);
    expect(store.listProfiles()).toEqual([{ name: 'demo', current: false, builtIn: true, clouds: ['aws', 'azure', 'gcp'] }]);
    await expect(store.setValue('demo', 'aws.regions', 'eu-west-1')).rejects.toThrow(/built-in/);
    await expect(store.putProfile('demo', {})).rejects.toThrow(/built-in/);
    await expect(store.deleteProfile('demo')).rejects.toThrow(/built-in/);
    await store.useProfile('demo');
    expect((await openConfigStore(env)).currentProfile).toBe('demo');
  });

  it('names the profiles there are when one is missing', async () => {
    const store = await openConfigStore(env);
    await store.putProfile('production', {});
    const error = await rejection(store.useProfile('productoin'));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toContain('did you mean production');
    expect(store.requireProfile('default')).toEqual({});
  });

  it('stores suppressions with the profile and rejects one without a reason', async () => {
    const store = await openConfigStore(env);
    const suppressions = [{ rule: 'AWS-EC2-001', resource: 'sg-0123', reason: 'bastion, reviewed', expires: '2027-01-31' }];
    await store.putProfile('work', { aws: { regions: ['eu-west-1'] }, suppressions });
    expect((await openConfigStore(env)).getProfile('work')?.suppressions).toEqual(suppressions);
    writeFileSync(file(), JSON.stringify({ profiles: { work: { suppressions: [{ rule: 'AWS-EC2-001' }] } } }));
    expect((await rejection(readStore(env))).message).toContain("profiles.work.suppressions.0 must have required property 'reason'");
  });

  it('refuses to replace a profile unless asked', async () => {
    const store = await openConfigStore(env);
    await store.putProfile('p1', { aws: { regions: ['eu-west-1'] } });
    await expect(store.putProfile('p1', {})).rejects.toThrow(/--force/);
    await store.putProfile('p1', { gcp: { projects: ['x-project'] } }, { replace: true });
    expect((await openConfigStore(env)).getProfile('p1')).toEqual({ gcp: { projects: ['x-project'] } });
  });

  it('deletes a profile and forgets it as the current one', async () => {
    const store = await openConfigStore(env);
    await store.putProfile('gone', {}, { makeCurrent: true });
    await store.deleteProfile('gone');
    const reopened = await openConfigStore(env);
    expect(reopened.getProfile('gone')).toBeUndefined();
    expect(reopened.currentProfile).toBeUndefined();
  });
});

describe('secrets in the config store', () => {
  it('stores a secret only when asked, and explains why otherwise', async () => {
    const store = await openConfigStore(env);
    const refused = await rejection(store.setValue('default', 'azure.clientSecret', CANARY));
    expect(refused).toBeInstanceOf(UsageError);
    expect(refused.message).toContain('--secret');
    expect(refused.message).not.toContain(CANARY);
    await store.setValue('default', 'azure.clientSecret', CANARY, { secret: true });
    expect(readFileSync(file(), 'utf8')).toContain(CANARY);
  });

  it('redacts stored secrets in listings and registers them for every log line', async () => {
    const first = await openConfigStore(env);
    await first.setValue('default', 'llm.apiKey', CANARY, { secret: true });
    const store: ConfigStore = await openConfigStore(env);
    const profile = store.getProfile('default')!;
    expect(JSON.stringify(store.redacted(profile))).not.toContain(CANARY);
    expect(store.entries(profile)).toEqual([{ key: 'llm.apiKey', value: REDACTED, secret: true }]);
    expect(store.entries(profile, { showSecrets: true })[0].value).toBe(CANARY);
    expect(redactText(`request failed with key ${CANARY}`)).toBe(`request failed with key ${REDACTED}`);
  });

  it('refuses --secret for a key that is not a secret', async () => {
    const store = await openConfigStore(env);
    await expect(store.setValue('default', 'aws.regions', 'eu-west-1', { secret: true })).rejects.toThrow(/not a secret/);
  });
});

describe('a damaged config file', () => {
  function damage(text: string): { before: Buffer; mtime: number } {
    writeFileSync(file(), text, { mode: 0o600 });
    return { before: readFileSync(file()), mtime: statSync(file()).mtimeMs };
  }

  function expectUntouched(state: { before: Buffer; mtime: number }) {
    expect(readFileSync(file()).equals(state.before)).toBe(true);
    expect(statSync(file()).mtimeMs).toBe(state.mtime);
  }

  it('reports invalid JSON with the file and where it broke, quotes nothing, and leaves the file alone', async () => {
    const state = damage(`{\n  "profiles": {\n    "x": { "azure": { "clientSecret": "${CANARY}" }, }\n}\n`);
    const error = await rejection(readStore(env));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toContain(file());
    expect(error.message).toMatch(/not valid JSON at line 3/);
    expect(error.message).not.toContain(CANARY);
    expect((error as ConfigError).hint).toMatch(/fix it by hand/);
    expectUntouched(state);
  });

  it('reports a schema violation with the setting that breaks it and leaves the file alone', async () => {
    const state = damage(JSON.stringify({ profiles: { prod: { aws: { regions: 'eu-west-1' } } } }));
    const error = await rejection(readStore(env));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toContain(`${file()} breaks the schema: profiles.prod.aws.regions must be array`);
    expectUntouched(state);
  });

  it('still resolves the built-in demo profile over a broken file, and refuses every other use of it', async () => {
    const state = damage('{"profiles": ');
    const store = await openConfigStore(env);
    expect(store.resolveProfileName('demo')).toBe('demo');
    expect(store.requireProfile('demo')).toEqual({});
    expect((await openConfigStore({ ...env, GUARDIAN_PROFILE: 'demo' })).resolveProfileName()).toBe('demo');
    expect(() => store.resolveProfileName()).toThrow(ConfigError);
    expect(() => store.getProfile('prod')).toThrow(ConfigError);
    await expect(store.setValue('prod', 'aws.regions', 'eu-west-1')).rejects.toThrow(ConfigError);
    expectUntouched(state);
  });

  it('reports unknown settings by name', async () => {
    const state = damage(JSON.stringify({ profiles: { prod: { aws: { region: ['eu-west-1'] } } } }));
    const error = await rejection(readStore(env));
    expect(error.message).toContain("must NOT have additional properties 'region'");
    expectUntouched(state);
  });

  it('reports an empty file and a non-object', async () => {
    damage('');
    expect((await rejection(readStore(env))).message).toContain('the file is empty');
    damage('[]');
    expect((await rejection(readStore(env))).message).toContain('must hold a JSON object');
  });

  it('refuses a file written by a newer Guardian', async () => {
    const state = damage(JSON.stringify({ profiles: {}, __internal__: { migrations: { version: '99.0.0' } } }));
    expect((await rejection(readStore(env))).message).toContain('newer Guardian');
    expectUntouched(state);
  });

  it('migrates a hand-written file that lacks the profiles map', async () => {
    writeFileSync(file(), JSON.stringify({ currentProfile: 'demo' }));
    const store = await openConfigStore(env);
    expect(store.currentProfile).toBe('demo');
    expect(store.listProfiles().map((p) => p.name)).toEqual(['demo']);
  });
});
