// Renders command results: every command returns data plus a table view, and the chosen
// format decides how it looks. JSON always carries a schemaVersion.

import { createRequire } from 'node:module';
import type TableConstructor from 'cli-table3';
import { UsageError } from '../errors.js';
import type { Io } from './io.js';

export const SCHEMA_VERSION = 1;

export const BASE_FORMATS = ['table', 'json', 'csv', 'markdown'] as const;
export type OutputFormat = 'table' | 'json' | 'csv' | 'markdown' | 'ndjson' | 'sarif' | 'junit';

export interface Column<Row> {
  header: string;
  /** The value for a row; numbers are right-aligned in tables. */
  value: (row: Row) => string | number | boolean | undefined | null;
  align?: 'left' | 'right';
}

export interface TableView<Row> {
  columns: Column<Row>[];
  rows: Row[];
}

/** Pick the output format from the global flags, checked against what the command supports. */
export function resolveFormat(
  options: { output?: string; json?: boolean },
  supported: readonly OutputFormat[],
  fallback: OutputFormat = 'table',
): OutputFormat {
  const requested = options.json ? 'json' : (options.output ?? fallback);
  if (!(supported as readonly string[]).includes(requested)) {
    throw new UsageError(`--output ${requested} is not supported here (choose ${supported.join(', ')})`);
  }
  return requested as OutputFormat;
}

export function toJson(kind: string, data: object): string {
  return JSON.stringify({ schemaVersion: SCHEMA_VERSION, kind, ...data }, null, 2);
}

function cellText(value: unknown): string {
  if (value === undefined || value === null) return '';
  return String(value);
}

/** RFC 4180: quote fields with commas, quotes or line breaks; double embedded quotes. */
export function csvField(value: unknown): string {
  const text = cellText(value);
  return /[",\r\n]/.test(text) || /^\s|\s$/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function toCsv<Row>(view: TableView<Row>): string {
  const lines = [view.columns.map((c) => csvField(c.header)).join(',')];
  for (const row of view.rows) lines.push(view.columns.map((c) => csvField(c.value(row))).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

function markdownCell(value: unknown): string {
  return cellText(value).replaceAll('\\', '\\\\').replaceAll('|', '\\|').replace(/\r?\n/g, '<br>');
}

export function toMarkdown<Row>(view: TableView<Row>): string {
  const header = `| ${view.columns.map((c) => markdownCell(c.header)).join(' | ')} |`;
  const rule = `| ${view.columns.map((c) => (c.align === 'right' ? '---:' : '---')).join(' | ')} |`;
  const rows = view.rows.map((row) => `| ${view.columns.map((c) => markdownCell(c.value(row))).join(' | ')} |`);
  return [header, rule, ...rows].join('\n');
}

// cli-table3 (and the colour library under it) loads on first use, not when a command file is
// imported, so `guardian --help` does not pay for it.
let tableClass: typeof TableConstructor | undefined;
function loadTable(): typeof TableConstructor {
  tableClass ??= createRequire(import.meta.url)('cli-table3') as typeof TableConstructor;
  return tableClass;
}

export function toTable<Row>(view: TableView<Row>, options: { color: boolean }): string {
  const Table = loadTable();
  // Header colour is applied here rather than through cli-table3's `style`, whose colour library
  // makes its own (CI-variable) decision; Io has already decided whether there is colour.
  const table = new Table({
    head: view.columns.map((c) => (options.color ? `\u001b[36m${c.header}\u001b[39m` : c.header)),
    style: { head: [], border: [] },
    colAligns: view.columns.map((c) => c.align ?? 'left'),
  });
  for (const row of view.rows) {
    table.push(
      view.columns.map((c) => {
        const value = c.value(row);
        return typeof value === 'number' ? value.toLocaleString('en-US') : cellText(value);
      }),
    );
  }
  return table.toString();
}

/** Render a view in one of the tabular formats (the JSON form is the command's own data). */
export function renderView<Row>(io: Io, format: OutputFormat, view: TableView<Row>, json: () => string): void {
  switch (format) {
    case 'json':
      io.out(json());
      return;
    case 'csv':
      io.stdout.write(toCsv(view));
      return;
    case 'markdown':
      io.out(toMarkdown(view));
      return;
    case 'ndjson':
      for (const row of view.rows) io.out(JSON.stringify(row));
      return;
    default:
      io.out(toTable(view, { color: io.color && io.stdoutIsTTY }));
  }
}
