// `config init`'s decisions (src/config/init.ts) on a real config store in a temporary directory:
// flag values parsed as `config set` parses them, replacing only with --force or a yes on a
// terminal, the first profile becoming the current one.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { initProfile } from '../../src/config/init.js';
import { openConfigStore } from '../../src/config/store.js';
import type { Dialogs } from '../../src/dialogs.js';
import { UsageError } from '../../src/errors.js';

let dir: string;
let env: NodeJS.ProcessEnv;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'guardian-init-'));
  env = { GUARDIAN_CONFIG_DIR: dir };
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** No terminal: nothing can be asked. */
const unattended = { interactive: false } as Dialogs;
/** A terminal where the user answers `answer` to the replace question and leaves every other question empty. */
function terminal(answer: boolean): Dialogs & { asked: string[] } {
  const asked: string[] = [];
  return {
    interactive: true,
    asked,
    confirm: async (message: string) => {
      asked.push(message);
      return message.includes('Replace') ? answer : false;
    },
    input: async () => '',
    select: async () => 'default',
  } as unknown as Dialogs & { asked: string[] };
}

function deps(store: Awaited<ReturnType<typeof openConfigStore>>, dialogs: Dialogs, files: string[] = []) {
  const lines: string[] = [];
  return {
    lines,
    store,
    dialogs,
    fileExists: (path: string) => files.includes(path),
    log: { info: (line: string) => lines.push(`info ${line}`), warn: (line: string) => lines.push(`warn ${line}`) },
  };
}

describe('config init', () => {
  it('writes the flag values parsed as config set would, and makes the first profile current', async () => {
    const store = await openConfigStore(env);
    const outcome = await initProfile(deps(store, unattended), {
      profile: 'prod',
      values: [
        { key: 'aws.regions', text: 'eu-west-1, us-east-1' },
        { key: 'defaults.concurrency', text: '64' },
      ],
      force: false,
      cwd: dir,
    });
    expect(outcome).toEqual({
      written: true,
      settings: { aws: { regions: ['eu-west-1', 'us-east-1'] }, defaults: { concurrency: 64 } },
      madeCurrent: true,
      current: true,
    });
    const reopened = await openConfigStore(env);
    expect(reopened.getProfile('prod')).toEqual({ aws: { regions: ['eu-west-1', 'us-east-1'] }, defaults: { concurrency: 64 } });
    expect(reopened.currentProfile).toBe('prod');
  });

  it('refuses to replace an existing profile without --force when nobody can be asked', async () => {
    const store = await openConfigStore(env);
    await store.putProfile('prod', { aws: { regions: ['eu-west-1'] } }, { makeCurrent: true });
    const request = { profile: 'prod', values: [{ key: 'aws.regions', text: 'us-east-1' }], force: false, cwd: dir };
    await expect(initProfile(deps(store, unattended), request)).rejects.toThrow(UsageError);
    const forced = await initProfile(deps(store, unattended), { ...request, force: true });
    expect(forced).toMatchObject({ written: true, madeCurrent: false, current: true });
    expect((await openConfigStore(env)).getProfile('prod')).toEqual({ aws: { regions: ['us-east-1'] } });
  });

  it('leaves the profile as it was when the user says no to replacing it', async () => {
    const store = await openConfigStore(env);
    await store.putProfile('prod', { aws: { regions: ['eu-west-1'] } }, { makeCurrent: true });
    const dialogs = terminal(false);
    const outcome = await initProfile(deps(store, dialogs), {
      profile: 'prod',
      values: [{ key: 'aws.regions', text: 'us-east-1' }],
      force: false,
      cwd: dir,
    });
    expect(outcome).toEqual({ written: false });
    expect(dialogs.asked).toEqual(["Profile 'prod' exists. Replace it?"]);
    expect((await openConfigStore(env)).getProfile('prod')).toEqual({ aws: { regions: ['eu-west-1'] } });
  });

  it('warns when the GCP key file does not exist yet, and not when it does', async () => {
    const store = await openConfigStore(env);
    const keyFile = join(dir, 'key.json');
    const missing = deps(store, unattended);
    await initProfile(missing, { profile: 'a', values: [{ key: 'gcp.keyFile', text: keyFile }], force: false, cwd: dir });
    expect(missing.lines).toEqual([`warn gcp.keyFile ${keyFile} does not exist yet`]);
    const present = deps(store, unattended, [keyFile]);
    await initProfile(present, { profile: 'b', values: [{ key: 'gcp.keyFile', text: keyFile }], force: false, cwd: dir });
    expect(present.lines).toEqual([]);
  });

  it('refuses a value config set would refuse, before writing anything', async () => {
    const store = await openConfigStore(env);
    const request = { profile: 'prod', values: [{ key: 'defaults.concurrency', text: 'many' }], force: false, cwd: dir };
    await expect(initProfile(deps(store, unattended), request)).rejects.toThrow(UsageError);
    expect((await openConfigStore(env)).getProfile('prod')).toBeUndefined();
  });
});
