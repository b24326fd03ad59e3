// The binary's contract with shells and CI: help, version, and how bad input is answered.

import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';

const VERSION = (await import('../../package.json', { with: { type: 'json' } })).default.version;

function guardian(...args: string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env.GUARDIAN_PROFILE;
  return execa(process.execPath, ['dist/bin/guardian.js', ...args], { reject: false, env, extendEnv: false, stdin: 'ignore' });
}

describe('guardian binary', () => {
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

  it('prints the package version on --version', async () => {
    const result = await guardian('--version');
    expect(result.exitCode).toBe(0);
    expect(result.stdout.trim()).toBe(VERSION);
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
