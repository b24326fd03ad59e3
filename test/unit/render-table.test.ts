import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { escapeControls } from '../../src/render/escape.js';
import { resolveFormat } from '../../src/render/format.js';
import { createIo, type IoStreams, terminalWidth } from '../../src/render/io.js';
import { Logger } from '../../src/render/logger.js';
import { ndjsonLines, printDocument, renderView, toCsv } from '../../src/render/output.js';
import { type Column, fitText, type TableView, toTable } from '../../src/render/table.js';

const ESC = '\u001b';

function streams(options: { tty?: boolean; columns?: number } = {}): IoStreams & { text: () => { stdout: string; stderr: string } } {
  const stdout = Object.assign(new PassThrough(), { isTTY: options.tty ?? false, columns: options.columns });
  const stderr = Object.assign(new PassThrough(), { isTTY: false });
  const stdin = Object.assign(new PassThrough(), { isTTY: false });
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

interface Finding {
  rule: string;
  resource: string;
  where: string;
  message: string;
  fix: string;
  cost: number;
}

const long = (n: number) =>
  Array.from({ length: n }, (_, i) => `word${i}`)
    .join(' ')
    .slice(0, n);

const columns: Column<Finding>[] = [
  { header: 'Rule', value: (f) => f.rule },
  { header: 'Resource', value: (f) => f.resource, minWidth: 16 },
  { header: 'Where', value: (f) => f.where, priority: 3, minWidth: 14 },
  { header: 'Finding', value: (f) => f.message, minWidth: 28 },
  { header: 'Remediation', value: (f) => f.fix, priority: 1, minWidth: 28 },
  { header: 'Monthly (USD)', value: (f) => f.cost, align: 'right' },
  { header: 'Raw', value: (f) => `raw-${f.rule}`, wide: true },
];

const rows: Finding[] = Array.from({ length: 6 }, (_, i) => ({
  rule: `AWS-EC2-00${i}`,
  resource: `arn:aws:ec2:us-east-1:123456789012:security-group/sg-${String(i).repeat(17)}`,
  where: `aws 123456789012 us-east-${i}`,
  message: long(180 + i * 20),
  fix: long(150),
  cost: 1000 * (6 - i) + 0.5,
}));

const view: TableView<Finding> = { columns, rows };
const lineLengths = (text: string) => text.split('\n').map((line) => [...line].length);

describe('tables fit the width', () => {
  it.each([80, 100, 200])('keeps every line of a wide table within %i columns', (width) => {
    const table = toTable(view, { color: false, width });
    expect(Math.max(...lineLengths(table))).toBeLessThanOrEqual(width);
  });

  it('shows every column at its natural width when nothing limits the width', () => {
    const table = toTable(view, { color: false });
    expect(Math.max(...lineLengths(table))).toBeGreaterThan(400);
    expect(table).toContain(rows[0].message);
    expect(table).not.toContain('Raw');
  });

  it('leaves out the least important columns first and records which', () => {
    const notes = { sort: { tables: 0, matched: false, columns: new Set<string>() }, hidden: new Set<string>() };
    const at110 = toTable(view, { color: false, width: 110, notes });
    expect(at110).not.toContain('Where');
    expect(at110).toContain('Remediation');
    expect([...notes.hidden]).toEqual(['Where']);
    notes.hidden.clear();
    const at80 = toTable(view, { color: false, width: 80, notes });
    expect(at80).not.toContain('Remediation');
    expect(at80).toContain('Finding');
    expect([...notes.hidden]).toEqual(['Where', 'Remediation']);
  });

  it('with -o wide shows the wide-only columns and cuts nothing', () => {
    const table = toTable(view, { color: false, width: 80, wide: true });
    expect(table).toContain('Raw');
    expect(table).toContain('raw-AWS-EC2-000');
    expect(table).toContain(rows[0].message);
    expect(table).toContain('Where');
  });

  it('cuts a truncating column with an ellipsis instead of wrapping it', () => {
    const idView: TableView<string> = {
      columns: [
        { header: 'Id', value: (v) => v, overflow: 'truncate', minWidth: 10 },
        { header: 'Note', value: () => long(200), minWidth: 40 },
      ],
      rows: ['i-0123456789abcdef0123456789'],
    };
    const table = toTable(idView, { color: false, width: 60 });
    expect(table).toMatch(/i-0123\S*…/);
    expect(Math.max(...lineLengths(table))).toBeLessThanOrEqual(60);
  });

  it('draws lines between rows only when a row takes several lines', () => {
    const short: TableView<string> = { columns: [{ header: 'Name', value: (v) => v }], rows: ['a', 'b', 'c'] };
    // Top border, header, header rule, three rows, bottom border.
    expect(toTable(short, { color: false }).split('\n')).toHaveLength(7);
    const wrapped = toTable(view, { color: false, width: 100 });
    expect(wrapped.split('\n').filter((line) => line.startsWith('├')).length).toBe(rows.length);
  });

  it('wraps prose lines to the width and leaves table lines alone', () => {
    const text = `${long(150)}\n${toTable({ columns: [{ header: 'A', value: (v: string) => v }], rows: ['x'] }, { color: false })}`;
    expect(Math.max(...lineLengths(fitText(text, 60)))).toBeLessThanOrEqual(60);
    expect(fitText(text, undefined)).toBe(text);
  });

  it('prints a table without its header with --no-headers', () => {
    const table = toTable(view, { color: false, headers: false });
    expect(table).not.toContain('Remediation');
    expect(table).toContain('AWS-EC2-000');
  });
});

describe('the width a run uses', () => {
  it('takes COLUMNS first, then the terminal, and sets no limit off a terminal', () => {
    const tty = Object.assign(new PassThrough(), { isTTY: true, columns: 132 });
    const pipe = Object.assign(new PassThrough(), { isTTY: false, columns: undefined });
    expect(terminalWidth(tty, { COLUMNS: '90' })).toBe(90);
    expect(terminalWidth(tty, {})).toBe(132);
    expect(terminalWidth(tty, { COLUMNS: 'wide' })).toBe(132);
    expect(terminalWidth(pipe, {})).toBeUndefined();
    expect(terminalWidth(pipe, { COLUMNS: '100' })).toBe(100);
  });

  it('says on stderr which columns it left out, and how to see them', () => {
    const s = streams();
    const io = createIo(s, { COLUMNS: '80' });
    renderView(io, 'table', view, () => '{}');
    const { stdout, stderr } = s.text();
    expect(Math.max(...lineLengths(stdout))).toBeLessThanOrEqual(80);
    expect(stderr).toContain('not shown at 80 columns: Where, Remediation');
    expect(stderr).toContain('--output wide');
  });
});

describe('terminal safety', () => {
  const hostile = `evil${ESC}[31mred${ESC}]0;pwned\u0007\u0000nul\r\u202eabc\nnext`;

  it('writes control characters as visible escapes', () => {
    expect(escapeControls(hostile)).toBe('evil\\x1b[31mred\\x1b]0;pwned\\x07\\0nul\\r\\u202eabc\\nnext');
    expect(escapeControls(hostile, { newlines: true })).toContain('abc\nnext');
    expect(escapeControls('plain – text ✓ 中文')).toBe('plain – text ✓ 中文');
  });

  it('escapes cloud-provided values in table cells and Markdown', () => {
    const v: TableView<string> = { columns: [{ header: 'Name', value: (x) => x }], rows: [hostile] };
    const table = toTable(v, { color: false, width: 80 });
    expect(table).not.toContain(ESC);
    expect(table).not.toContain('\u0007');
    expect(table).not.toContain('\u0000');
    expect(table).toContain('\\x1b]0;pwned\\x07');
    const s = streams();
    renderView(createIo(s, {}, { output: 'markdown' }), 'markdown', v, () => '{}');
    expect(s.text().stdout).not.toContain(ESC);
  });

  it('keeps every logged message on one line with its control characters escaped', () => {
    const s = streams();
    new Logger(s.stderr, { color: false, quiet: false, verbose: false, debug: false }).error(`bad file: ${hostile}`);
    const text = s.text().stderr;
    expect(text.trimEnd().split('\n')).toHaveLength(1);
    expect(text).not.toContain(ESC);
    expect(text).toContain('\\x1b[31m');
  });
});

describe('sorting', () => {
  const costs: TableView<{ name: string; spend: string }> = {
    columns: [
      { header: 'Name', value: (r) => r.name },
      { header: 'Monthly (USD)', value: (r) => r.spend, align: 'right' },
    ],
    rows: [
      { name: 'b', spend: '1,234.50 USD' },
      { name: 'a', spend: '99.00 USD' },
      { name: 'c', spend: '' },
      { name: 'd', spend: '10,000.00 USD' },
    ],
  };
  const order = (text: string) => [...text.matchAll(/│ ([a-d]) /g)].map((m) => m[1]);

  it('orders rows by a column named loosely, figures as numbers, empty values last', () => {
    expect(order(toTable(costs, { color: false, sortBy: 'monthly-usd' }))).toEqual(['a', 'b', 'd', 'c']);
    expect(order(toTable(costs, { color: false, sortBy: '-Monthly (USD)' }))).toEqual(['d', 'b', 'a', 'c']);
    expect(order(toTable(costs, { color: false, sortBy: 'NAME' }))).toEqual(['a', 'b', 'c', 'd']);
  });

  it("sorts by a column's own sort value when its text does not order well", () => {
    const severities: TableView<string> = {
      columns: [{ header: 'Severity', value: (s) => s, sortValue: (s) => ['critical', 'high', 'medium', 'low'].indexOf(s) }],
      rows: ['low', 'critical', 'medium', 'high'],
    };
    const sorted = toTable(severities, { color: false, sortBy: 'severity' });
    expect([...sorted.matchAll(/│ (\w+)\s+│/g)].map((m) => m[1]).slice(1)).toEqual(['critical', 'high', 'medium', 'low']);
  });

  it('refuses an unknown column before printing anything, naming the columns there are', () => {
    const s = streams();
    const io = createIo(s, {}, { sortBy: 'price' });
    expect(() => renderView(io, 'table', costs, () => '{}')).toThrow(UsageError);
    expect(() => renderView(io, 'table', costs, () => '{}')).toThrow(/no column 'price' here \(choose name, monthly-usd\)/);
    expect(s.text().stdout).toBe('');
    expect(() => toCsv(costs, { sortBy: 'price' })).toThrow(/choose name, monthly-usd/);
  });

  it('sorts CSV rows and leaves the header out with --no-headers', () => {
    expect(toCsv(costs, { sortBy: 'name', headers: false })).toBe('a,99.00 USD\r\nb,"1,234.50 USD"\r\nc,\r\nd,"10,000.00 USD"\r\n');
  });
});

describe('output shaping flags', () => {
  it('offers wide wherever a table is and yaml wherever JSON is', () => {
    expect(resolveFormat({ output: 'wide' }, ['table', 'json'])).toBe('table');
    expect(resolveFormat({ output: 'yaml' }, ['table', 'json'])).toBe('json');
    expect(() => resolveFormat({ output: 'yaml' }, ['table'])).toThrow(/choose table, wide/);
  });

  it('refuses shaping flags that cannot apply to the format, and a bad query, with a usage error', () => {
    expect(() => resolveFormat({ query: 'a' }, ['table', 'json'])).toThrow(/--query filters JSON/);
    expect(() => resolveFormat({ output: 'sarif', query: 'a' }, ['table', 'sarif'])).toThrow(UsageError);
    expect(() => resolveFormat({ json: true, query: 'a[' }, ['table', 'json'])).toThrow(/--query: .*in "a\["/);
    expect(() => resolveFormat({ json: true, sortBy: 'name' }, ['table', 'json'])).toThrow(/--sort-by orders table and CSV/);
    expect(() => resolveFormat({ output: 'markdown', headers: false }, ['table', 'markdown'])).toThrow(/--no-headers/);
    expect(resolveFormat({ output: 'csv', sortBy: 'name', headers: false }, ['table', 'csv'])).toBe('csv');
  });

  it('applies --query to the JSON document and prints YAML with -o yaml', () => {
    const json = JSON.stringify({
      schemaVersion: 1,
      kind: 'k',
      items: [
        { id: 'a', n: 2 },
        { id: `b${ESC}]0;x\u0007`, n: 1 },
      ],
    });
    let s = streams();
    printDocument(createIo(s, {}, { json: true, query: 'items[?n > `1`].id' }), json);
    expect(JSON.parse(s.text().stdout)).toEqual(['a']);
    s = streams();
    printDocument(createIo(s, {}, { output: 'yaml' }), json);
    expect(s.text().stdout).toMatch(/^schemaVersion: 1\nkind: k\nitems:\n {2}- id: a/);
    expect(s.text().stdout).not.toContain(ESC);
    s = streams();
    printDocument(createIo(s, {}, { output: 'yaml', query: 'items[].n' }), json);
    expect(s.text().stdout).toBe('- 2\n- 1\n');
  });

  it('turns a query that fails on the data into a usage error', () => {
    const s = streams();
    expect(() => printDocument(createIo(s, {}, { json: true, query: 'abs(kind)' }), '{"kind":"k"}')).toThrow(UsageError);
  });

  it('applies --query to each NDJSON line and leaves out lines whose result is null', () => {
    const io = createIo(streams(), {}, { output: 'ndjson', query: 'name' });
    expect(ndjsonLines(io, [{ name: 'a' }, { other: 1 }, { name: 'c' }])).toBe('"a"\n"c"\n');
  });
});
