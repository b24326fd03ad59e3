// Renders command results: every command returns data plus a table view, and the chosen
// format decides how it looks. JSON always carries a schemaVersion; --query and -o yaml shape
// the JSON document here, --sort-by and --no-headers the tables (src/render/table.ts) and CSV.

import { createRequire } from 'node:module';
import { UsageError } from '../errors.js';
import { escapeControls } from './escape.js';
import { loadJmespath, type OutputFormat, oneLineMessage } from './format.js';
import type { Io } from './io.js';
import { cellText, columnKey, sortRows, type TableOptions, type TableView, tableOptions, toTable } from './table.js';

export { BASE_FORMATS, type OutputFormat, resolveFormat } from './format.js';
export { type Column, fitText, printText, type TableOptions, type TableView, tableOptions, toTable } from './table.js';

export const SCHEMA_VERSION = 1;

export function toJson(kind: string, data: object): string {
  return JSON.stringify({ schemaVersion: SCHEMA_VERSION, kind, ...data }, null, 2);
}

type Yaml = typeof import('yaml');
let yaml: Yaml | undefined;
const loadYaml = () => {
  yaml ??= createRequire(import.meta.url)('yaml') as Yaml;
  return yaml;
};

/** The --query expression applied to one JSON value; a failure while evaluating it (a type error in a function) is a usage error. */
function applyQuery(value: unknown, query: string): unknown {
  try {
    return loadJmespath().search(value as Parameters<ReturnType<typeof loadJmespath>['search']>[0], query);
  } catch (error) {
    throw new UsageError(`--query: ${oneLineMessage(error)}`);
  }
}

/**
 * Print a command's JSON document (the text `toJson` made): as it is, or with --query applied to
 * it (JMESPath, as awscli's --query), and as YAML with -o yaml. Every JSON document goes through here.
 */
export function printDocument(io: Io, json: string): void {
  const { query, yaml: asYaml } = io.shape;
  if (query === undefined && !asYaml) {
    io.out(json);
    return;
  }
  let document: unknown = JSON.parse(json);
  if (query !== undefined) document = applyQuery(document, query);
  if (asYaml) {
    // The YAML printer quotes strings with control characters and writes them as escapes.
    io.out(loadYaml().stringify(document, { lineWidth: 0 }));
    return;
  }
  io.out(JSON.stringify(document, null, 2));
}

/**
 * NDJSON lines for these values. --query applies to each line on its own (as jq does to a
 * stream; awscli has no NDJSON), and a line whose result is null is left out, so a query can
 * both pick fields and drop lines.
 */
export function ndjsonLines(io: Pick<Io, 'shape'>, values: Iterable<unknown>): string {
  const { query } = io.shape;
  let text = '';
  for (const value of values) {
    const shaped = query === undefined ? value : applyQuery(value, query);
    if (shaped === null || shaped === undefined) continue;
    text += `${JSON.stringify(shaped)}\n`;
  }
  return text;
}

/** RFC 4180: quote fields with commas, quotes or line breaks; double embedded quotes. */
export function csvField(value: unknown): string {
  const text = cellText(value);
  return /[",\r\n]/.test(text) || /^\s|\s$/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** CSV of a view: every column (wide ones too), ordered by --sort-by and without the header row with --no-headers. */
export function toCsv<Row>(view: TableView<Row>, options: Pick<TableOptions, 'sortBy' | 'headers'> = {}): string {
  let rows = view.rows;
  if (options.sortBy !== undefined) {
    const sorted = sortRows(view, options.sortBy);
    if (!sorted)
      throw new UsageError(
        `--sort-by: no column '${options.sortBy.replace(/^-/, '')}' here (choose ${view.columns.map((c) => columnKey(c.header)).join(', ')})`,
      );
    rows = sorted;
  }
  const lines = options.headers === false ? [] : [view.columns.map((c) => csvField(c.header)).join(',')];
  for (const row of rows) lines.push(view.columns.map((c) => csvField(c.value(row))).join(','));
  return lines.length === 0 ? '' : `${lines.join('\r\n')}\r\n`;
}

function markdownCell(value: unknown): string {
  const text = cellText(value).replaceAll('\\', '\\\\').replaceAll('|', '\\|').replace(/\r?\n/g, '<br>');
  return escapeControls(text);
}

export function toMarkdown<Row>(view: TableView<Row>): string {
  const header = `| ${view.columns.map((c) => markdownCell(c.header)).join(' | ')} |`;
  const rule = `| ${view.columns.map((c) => (c.align === 'right' ? '---:' : '---')).join(' | ')} |`;
  const rows = view.rows.map((row) => `| ${view.columns.map((c) => markdownCell(c.value(row))).join(' | ')} |`);
  return [header, rule, ...rows].join('\n');
}

/** Render a view in one of the tabular formats (the JSON form is the command's own data). */
export function renderView<Row>(io: Io, format: OutputFormat, view: TableView<Row>, json: () => string): void {
  switch (format) {
    case 'json':
      printDocument(io, json());
      return;
    case 'csv':
      io.stdout.write(toCsv(view, io.shape));
      return;
    case 'markdown':
      io.out(toMarkdown(view));
      return;
    case 'ndjson':
      io.stdout.write(ndjsonLines(io, view.rows));
      return;
    default:
      io.out(toTable(view, tableOptions(io)));
  }
}
