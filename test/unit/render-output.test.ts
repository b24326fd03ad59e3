import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createIo, type IoStreams } from '../../src/render/io.js';
import { csvField, renderView, SCHEMA_VERSION, type TableView, toCsv, toJson, toMarkdown } from '../../src/render/output.js';
import { createProgress, LineProgress, SilentProgress } from '../../src/render/progress.js';
import { loadStyle } from '../../src/render/style.js';

const ESC = '\u001b';

/** Streams that record what was written; `tty` makes them claim to be terminals. */
function fakeStreams(tty = false): IoStreams & { text: () => { stdout: string; stderr: string } } {
  // What ora needs from a terminal stream besides isTTY.
  const terminal = { cursorTo: () => true, moveCursor: () => true, clearLine: () => true, clearScreenDown: () => true };
  const stdout = Object.assign(new PassThrough(), { isTTY: tty, columns: 120 }, tty ? terminal : {});
  const stderr = Object.assign(new PassThrough(), { isTTY: tty, columns: 120 }, tty ? terminal : {});
  const stdin = Object.assign(new PassThrough(), { isTTY: tty });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on('data', (chunk: Buffer) => out.push(chunk));
  stderr.on('data', (chunk: Buffer) => err.push(chunk));
  return {
    stdout,
    stderr,
    stdin,
    text: () => ({ stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }),
  };
}

interface Row {
  name: string;
  note: string;
  cost: number;
}

const view: TableView<Row> = {
  columns: [
    { header: 'NAME', value: (r) => r.name },
    { header: 'NOTE', value: (r) => r.note },
    { header: 'COST', value: (r) => r.cost, align: 'right' },
  ],
  rows: [
    { name: 'web-1', note: 'plain', cost: 1234.5 },
    { name: 'db, primary', note: 'says "hi"', cost: 2 },
    { name: 'multi', note: 'line one\nline two', cost: 0 },
    { name: ' padded', note: 'a|b', cost: 3 },
  ],
};

describe('CSV', () => {
  it('quotes fields with commas, quotes, line breaks and edge spaces (RFC 4180)', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('one\ntwo')).toBe('"one\ntwo"');
    expect(csvField('cr\r')).toBe('"cr\r"');
    expect(csvField(' lead')).toBe('" lead"');
    expect(csvField(undefined)).toBe('');
    expect(csvField(null)).toBe('');
    expect(csvField(42)).toBe('42');
  });

  it('writes a header and one CRLF-terminated record per row', () => {
    const csv = toCsv(view);
    expect(csv).toBe(
      'NAME,NOTE,COST\r\n' +
        'web-1,plain,1234.5\r\n' +
        '"db, primary","says ""hi""",2\r\n' +
        'multi,"line one\nline two",0\r\n' +
        '" padded",a|b,3\r\n',
    );
  });
});

describe('JSON', () => {
  it('always carries schemaVersion and kind first', () => {
    const parsed = JSON.parse(toJson('inventory', { items: [1, 2] }));
    expect(parsed).toEqual({ schemaVersion: SCHEMA_VERSION, kind: 'inventory', items: [1, 2] });
    expect(Object.keys(parsed).slice(0, 2)).toEqual(['schemaVersion', 'kind']);
  });
});

describe('Markdown', () => {
  it('escapes pipes, keeps line breaks inside the cell and right-aligns numbers', () => {
    const md = toMarkdown(view).split('\n');
    expect(md[0]).toBe('| NAME | NOTE | COST |');
    expect(md[1]).toBe('| --- | --- | ---: |');
    expect(md).toContain('| multi | line one<br>line two | 0 |');
    expect(md).toContain('|  padded | a\\|b | 3 |');
  });
});

describe('no escape codes off a terminal', () => {
  const env = { FORCE_COLOR: '3', TERM: 'xterm-256color' };

  it('renders tables without ANSI codes when stdout is not a TTY, even with FORCE_COLOR', () => {
    const streams = fakeStreams(false);
    const io = createIo(streams, env, {});
    expect(io.color).toBe(false);
    renderView(io, 'table', view, () => '');
    io.log.warn('something odd');
    io.log.error('something broke');
    const { stdout, stderr } = streams.text();
    expect(stdout).toContain('db, primary');
    expect(stdout).toContain('1,234.5');
    expect(stdout).not.toContain(ESC);
    expect(stderr).toContain('warning: something odd');
    expect(stderr).not.toContain(ESC);
  });

  it('gives a colourless chalk off a TTY, in CI and with NO_COLOR', async () => {
    for (const [tty, extra] of [
      [false, {}],
      [true, { CI: 'true' }],
      [true, { NO_COLOR: '1' }],
    ] as const) {
      const io = createIo(fakeStreams(tty), { ...env, ...extra }, {});
      const style = await loadStyle(io);
      expect(style.red('alert')).toBe('alert');
    }
    const style = await loadStyle(createIo(fakeStreams(true), { TERM: 'xterm' }, { color: false }));
    expect(style.bold('x')).toBe('x');
  });

  it('colours on a real terminal (the opposite case, so the checks above mean something)', async () => {
    const streams = fakeStreams(true);
    const io = createIo(streams, { TERM: 'xterm-256color' }, {});
    expect(io.color).toBe(true);
    expect((await loadStyle(io)).red('alert')).toContain(ESC);
    renderView(io, 'table', view, () => '');
    expect(streams.text().stdout).toContain(ESC);
  });

  it('reports progress as plain lines when stderr is not a TTY', async () => {
    const streams = fakeStreams(false);
    const io = createIo(streams, env, { verbose: true });
    const progress = await createProgress(io);
    expect(progress).toBeInstanceOf(LineProgress);
    progress.start('listing eu-west-1');
    progress.update('listing eu-west-1: 40 resources');
    progress.succeed('listed 3 regions');
    progress.fail('us-east-2 throttled');
    progress.stop();
    const { stderr, stdout } = streams.text();
    expect(stdout).toBe('');
    expect(stderr.split('\n').filter(Boolean)).toEqual([
      'listing eu-west-1…',
      'listing eu-west-1: 40 resources',
      'done: listed 3 regions',
      'warning: failed: us-east-2 throttled',
    ]);
    expect(stderr).not.toContain(ESC);
  });

  it('shows only outcomes without --verbose and nothing with --quiet', async () => {
    const streams = fakeStreams(false);
    const progress = await createProgress(createIo(streams, {}, {}));
    progress.start('scanning');
    progress.update('rule 3 of 9');
    progress.succeed();
    expect(streams.text().stderr).toBe('done: scanning\n');
    const quiet = await createProgress(createIo(fakeStreams(true), { TERM: 'xterm' }, { quiet: true }));
    expect(quiet).toBeInstanceOf(SilentProgress);
  });

  it('uses a spinner only on an interactive stderr', async () => {
    const streams = fakeStreams(true);
    const io = createIo(streams, { TERM: 'xterm-256color' }, {});
    expect(io.live).toBe(true);
    const progress = await createProgress(io);
    expect(progress).not.toBeInstanceOf(LineProgress);
    progress.start('working');
    progress.succeed('worked');
    expect(streams.text().stderr).toContain('worked');
    expect(io.live && createIo(fakeStreams(true), { CI: '1' }, {}).live).toBe(false);
  });
});

describe('a terminal with no width', () => {
  it('gets no live spinner, since one would redraw itself endlessly', () => {
    const streams = fakeStreams(true);
    Object.assign(streams.stderr, { columns: 0 });
    expect(createIo(streams, { TERM: 'xterm-256color' }, {}).live).toBe(false);
    Object.assign(streams.stderr, { columns: 120 });
    expect(createIo(streams, { TERM: 'xterm-256color' }, {}).live).toBe(true);
  });
});
