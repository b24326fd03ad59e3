// The binary's contract with shells and CI: help, version, and how bad input is answered.

import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';

const VERSION = (await import('../../package.json', { with: { type: 'json' } })).default.version;

function guardian(...args: string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env.GUARDIAN_PROFILE;
  return execa(process.execPath, ['dist/bin/guardian.js', ...args], { reject: false, env, extendEnv: false, stdin: 'ignore' });
}

describe('guardian binary', () => {
  it.each(['--help', 'watch --help'])(
    'loads no cloud SDK, table, schema, config library, Ink or React for %s: only commander and its own modules',
    async (line) => {
      const args = line.split(' ');
      const dir = mkdtempSync(join(tmpdir(), 'guardian-loads-'));
      const log = join(dir, 'loaded.txt');
      // Node's synchronous module hooks see every module the process resolves, ESM and CommonJS.
      const hook =
        "import { registerHooks } from 'node:module'; import { appendFileSync } from 'node:fs';" +
        ' registerHooks({ resolve(s, c, next) { const r = next(s, c); appendFileSync(process.env.LOADED_LOG, r.url + "\\n"); return r; } });';
      const result = await execa(
        process.execPath,
        ['--import', `data:text/javascript,${encodeURIComponent(hook)}`, 'dist/bin/guardian.js', ...args],
        {
          reject: false,
          env: { ...process.env, LOADED_LOG: log, NO_COLOR: '1' },
          stdin: 'ignore',
        },
      );
      expect(result.exitCode, result.stderr).toBe(0);
      const packages = new Set(
        readFileSync(log, 'utf8')
          .split('\n')
          .map((url) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1])
          .filter((name): name is string => name !== undefined),
      );
      rmSync(dir, { recursive: true, force: true });
      expect(packages.has('ink') || packages.has('react')).toBe(false);
      expect([...packages]).toEqual(['commander']);
    },
  );

  it('prints help listing the commands and global options on --help', async () => {
    const result = await guardian('--help');
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('Usage: guardian');
    for (const text of [
      'config',
      'completion',
      '--profile',
      '--output',
      '--json',
      '--no-color',
      '--quiet',
      '--verbose',
      '--debug',
      '--yes',
    ]) {
      expect(result.stdout).toContain(text);
    }
    expect(result.stderr).toBe('');
  });

  it('prints help for one command through `help <command>`', async () => {
    const result = await guardian('help', 'config');
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('Usage: guardian config');
  });

  it('prints the version, the commit the build was stamped with and the Node.js version on --version', async () => {
    const result = await guardian('--version');
    expect(result.exitCode).toBe(0);
    const stamp = JSON.parse(readFileSync('dist/build-info.json', 'utf8'));
    expect(stamp.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(result.stdout.trim()).toMatch(
      new RegExp(
        `^guardian version ${VERSION.replaceAll('.', '\\.')} \\(commit ${stamp.commit.slice(0, 12)}(-dirty)?, Node\\.js ${process.version}, `,
      ),
    );
  });

  it('prints the same facts as JSON through `version --json`', async () => {
    const result = await guardian('version', '--json');
    expect(result.exitCode).toBe(0);
    const stamp = JSON.parse(readFileSync('dist/build-info.json', 'utf8'));
    expect(JSON.parse(result.stdout)).toEqual({
      schemaVersion: 1,
      kind: 'version',
      version: VERSION,
      commit: stamp.commit,
      dirty: stamp.dirty,
      node: process.version,
      platform: process.platform,
      arch: process.arch,
    });
  });

  it('says the commit is unknown when the build stamp is missing', async () => {
    const copy = mkdtempSync(join(tmpdir(), 'guardian-nostamp-'));
    try {
      cpSync('dist', join(copy, 'dist'), { recursive: true });
      rmSync(join(copy, 'dist', 'build-info.json'));
      cpSync('package.json', join(copy, 'package.json'));
      symlinkSync(resolve('node_modules'), join(copy, 'node_modules'));
      const result = await execa(process.execPath, [join(copy, 'dist/bin/guardian.js'), 'version', '--json'], { reject: false });
      expect(JSON.parse(result.stdout)).toMatchObject({ version: VERSION, commit: 'unknown', dirty: null });
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });

  it('shows examples, environment variables and exit codes in the top-level help', async () => {
    const result = await guardian('--help');
    for (const text of ['Examples:', 'guardian discover --profile demo', 'Environment:', 'GUARDIAN_CONFIG_DIR', 'Exit codes:', '130']) {
      expect(result.stdout).toContain(text);
    }
  });

  it('prints the help of a nested subcommand through `help discover diff`', async () => {
    const result = await guardian('help', 'discover', 'diff');
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('Usage: guardian discover diff');
  });

  it('answers `help` of an unknown command with exit 2, one line and a suggestion', async () => {
    for (const [args, text] of [
      [['help', 'nosuch'], "unknown command 'nosuch'"],
      [['help', 'discovr'], "unknown command 'discovr' (did you mean discover?)"],
      [['help', 'config', 'sett'], "unknown command 'config sett' (did you mean set?)"],
      [['config', 'help', 'nosuch'], "unknown command 'config nosuch'"],
    ] as const) {
      const result = await guardian(...args);
      expect(result.exitCode).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr.split('\n')).toHaveLength(1);
      expect(result.stderr).toContain(text);
    }
  });

  it.each([
    ['config', 'guardian config set aws.regions'],
    ['sandbox', 'guardian sandbox serve'],
    ['init', 'guardian init ci'],
  ])('shows examples in the help of %s', async (command, example) => {
    const result = await guardian(command, '--help');
    expect(result.stdout).toContain('Examples:');
    expect(result.stdout).toContain(example);
  });

  it('lists every key with its meaning in `config set --help`', async () => {
    const result = await guardian('config', 'set', '--help');
    expect(result.stdout).toMatch(/aws\.regions\s+regions to cover/);
    expect(result.stdout).toMatch(/defaults\.concurrency\s+parallel cloud calls/);
    expect(result.stdout).toContain('azure.clientSecret');
  });

  it("rejects an empty --profile as a usage error instead of using 'default'", async () => {
    for (const args of [
      ['--profile', '', 'config', 'list'],
      ['--profile=', 'discover', '--no-save'],
      ['config', 'get', 'aws.regions', '-p', ''],
    ]) {
      const result = await guardian(...args);
      expect(result.exitCode).toBe(2);
      expect(result.stderr).toBe("guardian: --profile needs a profile name, not '' — see: guardian config profiles");
    }
  });

  it('answers a mistyped flag with exit 2, one line on stderr and a suggestion', async () => {
    const result = await guardian('--verbos');
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.split('\n')).toHaveLength(1);
    expect(result.stderr).toBe("guardian: unknown option '--verbos' (did you mean --verbose?)");
  });

  it('answers a mistyped subcommand flag the same way', async () => {
    const result = await guardian('config', 'list', '--show-secret');
    expect(result.exitCode).toBe(2);
    expect(result.stderr.split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('did you mean --show-secrets?');
  });

  it('answers an unknown command with exit 2 and a suggestion', async () => {
    const result = await guardian('complettion', 'bash');
    expect(result.exitCode).toBe(2);
    expect(result.stderr.split('\n')).toHaveLength(1);
    expect(result.stderr).toContain("unknown command 'complettion' (did you mean completion?)");
  });

  it('prints no escape codes when stdout is not a terminal, even with FORCE_COLOR', async () => {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      FORCE_COLOR: '3',
      TERM: 'xterm-256color',
      GUARDIAN_CONFIG_DIR: join(tmpdir(), 'guardian-cli-test-no-config'),
    };
    delete env.NO_COLOR;
    for (const args of [['--help'], ['config', 'profiles'], ['--verbos']]) {
      const result = await execa(process.execPath, ['dist/bin/guardian.js', ...args], {
        reject: false,
        env,
        extendEnv: false,
        stdin: 'ignore',
      });
      expect(result.stdout + result.stderr).not.toContain('\u001b');
    }
  });

  it('answers an invalid --output value with exit 2', async () => {
    const result = await guardian('--output', 'xml', 'config', 'path');
    expect(result.exitCode).toBe(2);
    expect(result.stderr.split('\n')).toHaveLength(1);
  });
});
