import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createDialogs } from '../../src/dialogs.js';
import { UsageError } from '../../src/errors.js';
import { createIo } from '../../src/render/io.js';

function io(options: { tty: boolean; env?: NodeJS.ProcessEnv; yes?: boolean; verbose?: boolean }) {
  const stderr = Object.assign(new PassThrough(), { isTTY: options.tty });
  let err = '';
  stderr.on('data', (c: Buffer) => {
    err += c.toString();
  });
  const streams = {
    stdout: Object.assign(new PassThrough(), { isTTY: options.tty }),
    stderr,
    stdin: Object.assign(new PassThrough(), { isTTY: options.tty }),
  };
  return { io: createIo(streams, options.env ?? {}, { yes: options.yes, verbose: options.verbose }), err: () => err };
}

describe('dialogs', () => {
  it('never prompts in CI, off a TTY or with --yes: it takes the fallback and says so with --verbose', async () => {
    for (const setup of [{ tty: true, env: { CI: 'true' } }, { tty: false }, { tty: true, yes: true }]) {
      const { io: testIo, err } = io({ ...setup, verbose: true });
      const dialogs = createDialogs(testIo);
      expect(dialogs.interactive).toBe(false);
      expect(await dialogs.confirm('Cover AWS?', { fallback: true })).toBe(true);
      expect(await dialogs.input('Regions', { fallback: 'eu-west-1' })).toBe('eu-west-1');
      expect(await dialogs.select('Auth', [{ value: 'cli' }, { value: 'default' }], { fallback: 'default' })).toBe('default');
      expect(err()).toContain('Cover AWS? → true (not asking:');
    }
  });

  it('fails with the flag to pass when a question has no safe fallback', async () => {
    const dialogs = createDialogs(io({ tty: true, env: { CI: '1' } }).io);
    const attempt = dialogs.confirm('Delete profile prod?', { flag: '--yes' });
    await expect(attempt).rejects.toBeInstanceOf(UsageError);
    await expect(dialogs.confirm('Delete profile prod?', { flag: '--yes' })).rejects.toThrow(
      'cannot ask "Delete profile prod?" (CI is set); pass --yes',
    );
  });

  it('is interactive only with a TTY on stdin and stderr outside CI', () => {
    expect(createDialogs(io({ tty: true, env: { TERM: 'xterm' } }).io).interactive).toBe(true);
  });
});
