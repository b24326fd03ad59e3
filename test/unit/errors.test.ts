// The one place that maps outcomes to exit codes: main() in commands/program.ts, driven with fake
// streams and a test-only command that throws whatever it is told to.

import { PassThrough } from 'node:stream';
import type { Command } from 'commander';
import { beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../commands/index.js';
import { main } from '../../commands/program.js';
import { registerSecret } from '../../src/config/redact.js';
import { CheckFailed, ConfigError, ExitCode, Interrupted, PartialResult, UsageError } from '../../src/errors.js';

const CANARY = 'CANARY-SECRET-123456';

function streams() {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const stdin = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => {
    out += c.toString();
  });
  stderr.on('data', (c: Buffer) => {
    err += c.toString();
  });
  return { io: { stdout, stderr, stdin }, out: () => out, err: () => err };
}

async function run(...args: string[]) {
  const s = streams();
  const code = await main(['node', 'guardian', ...args], s.io, {});
  return { code, stdout: s.out(), stderr: s.err() };
}

beforeAll(() => {
  const defineExplode = (program: Command) => {
    program
      .command('explode', { hidden: true })
      .argument('<kind>')
      .action((kind: string) => {
        switch (kind) {
          case 'usage':
            throw new UsageError('--since must be a date', { hint: 'use YYYY-MM-DD' });
          case 'config':
            throw new ConfigError('no credentials for profile prod');
          case 'check':
            throw new CheckFailed('3 findings at or above high');
          case 'partial':
            throw new PartialResult('2 of 9 scopes failed');
          case 'interrupted':
            throw new Interrupted('interrupted');
          case 'secret':
            throw new ConfigError(`token ${CANARY} was refused`);
          default:
            throw new TypeError('cannot read properties of undefined\n    at somewhere');
        }
      });
  };
  COMMANDS.push({ commands: [{ name: 'explode', term: 'explode <kind>', summary: '', hidden: true }], load: async () => defineExplode });
});

describe('exit codes', () => {
  it.each([
    ['usage', ExitCode.usage, 'guardian: --since must be a date'],
    ['config', ExitCode.config, 'guardian: no credentials for profile prod'],
    ['check', ExitCode.checkFailed, 'guardian: 3 findings at or above high'],
    ['partial', ExitCode.partial, 'guardian: 2 of 9 scopes failed'],
    ['interrupted', ExitCode.interrupted, 'guardian: interrupted'],
  ])('maps a %s error to exit %i with its message on stderr', async (kind, code, line) => {
    const result = await run('explode', kind);
    expect(result.code).toBe(code);
    expect(result.stdout).toBe('');
    expect(result.stderr.split('\n')[0].startsWith(line)).toBe(true);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('prints the hint on the same line, after the message', async () => {
    const result = await run('explode', 'usage');
    expect(result.stderr).toBe('guardian: --since must be a date — use YYYY-MM-DD\n');
  });

  it('adds the stack trace only with --debug', async () => {
    const result = await run('--debug', 'explode', 'config');
    expect(result.code).toBe(ExitCode.config);
    expect(result.stderr).toMatch(/\n\s+at /);
  });

  it('reports an unexpected error as internal, in one line, and asks for --debug', async () => {
    const result = await run('explode', 'bug');
    expect(result.code).toBe(ExitCode.checkFailed);
    expect(result.stderr.split('\n')[0]).toBe('guardian: internal error: cannot read properties of undefined');
    expect(result.stderr).toContain('--debug');
  });

  it('never prints a registered secret in an error', async () => {
    registerSecret(CANARY);
    const result = await run('explode', 'secret');
    expect(result.stderr).not.toContain(CANARY);
    expect(result.stderr).toContain('token •••••• was refused');
  });

  it('answers a bad flag with exit 2, one line and a suggestion', async () => {
    const result = await run('--outptu', 'json');
    expect(result.code).toBe(ExitCode.usage);
    expect(result.stderr).toBe("guardian: unknown option '--outptu' (did you mean --output?)\n");
  });

  it('answers an unknown command with exit 2 and a suggestion', async () => {
    const result = await run('confg');
    expect(result.code).toBe(ExitCode.usage);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('(did you mean config?)');
  });

  it('answers a bad option value with exit 2', async () => {
    const result = await run('-o', 'xml', 'config', 'path');
    expect(result.code).toBe(ExitCode.usage);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('xml');
  });

  it('shows help on stderr with exit 2 when a command group is run without a subcommand', async () => {
    const result = await run('config');
    expect(result.code).toBe(ExitCode.usage);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('Usage: guardian config');
  });

  it('exits 0 for --help and --version', async () => {
    const help = await run('--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: guardian');
    const version = await run('--version');
    expect(version.code).toBe(0);
    // From the sources there is no build stamp: the commit is unknown, the rest is known.
    expect(version.stdout.trim()).toMatch(/^guardian version \d+\.\d+\.\d+ \(commit unknown, Node\.js v\d+/);
  });
});
