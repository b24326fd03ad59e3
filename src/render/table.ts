// Boxed tables that fit the terminal. Each column says how much it matters (priority), how narrow
// it may get (minWidth) and whether a long value wraps or is cut; the layout gives every column its
// natural width when the table fits, and otherwise shrinks the widest columns, then leaves out the
// least important ones, and says on stderr what it left out. -o wide turns all of that off.

import { createRequire } from 'node:module';
import type TableConstructor from 'cli-table3';
import truncatedWidth from 'fast-string-truncated-width';
import stringWidth from 'fast-string-width';
import { wrapAnsi } from 'fast-wrap-ansi';
import { escapeControls } from './escape.js';
import type { Io, TableNotes } from './io.js';

export interface Column<Row> {
  header: string;
  /** The value for a row; numbers are right-aligned in tables. */
  value: (row: Row) => string | number | boolean | undefined | null;
  align?: 'left' | 'right';
  /** 0 (the default) is never left out to fit the width; higher numbers are left out first. */
  priority?: number;
  /** The narrowest the column is wrapped or cut to before a lower-priority column is left out (default 10, or its widest value when narrower; right-aligned columns never shrink). */
  minWidth?: number;
  /** A cap on the column's width even with room to spare (not with -o wide). */
  maxWidth?: number;
  /** A value wider than its column is wrapped at word boundaries (the default) or cut with '…' (ids, where a wrapped half is no use). */
  overflow?: 'wrap' | 'truncate';
  /** Shown only with -o wide (and in CSV). */
  wide?: boolean;
  /** What --sort-by compares when the shown value does not order well (a severity's rank, not its name). */
  sortValue?: (row: Row) => string | number | undefined;
}

export interface TableView<Row> {
  columns: Column<Row>[];
  rows: Row[];
}

export interface TableOptions {
  color: boolean;
  /** Fit every line to this many columns; undefined: no limit. */
  width?: number;
  /** -o wide: every column, nothing wrapped or cut. */
  wide?: boolean;
  /** false with --no-headers. */
  headers?: boolean;
  sortBy?: string;
  /** Where --sort-by matches and left-out columns are recorded for the Io to act on. */
  notes?: TableNotes;
}

/** The table options of this run: colour on a terminal, its width, and the output-shaping flags. */
export function tableOptions(io: Pick<Io, 'color' | 'stdoutIsTTY' | 'shape'>): TableOptions {
  const { shape } = io;
  return {
    color: io.color && io.stdoutIsTTY,
    width: shape.width,
    wide: shape.wide,
    headers: shape.headers,
    sortBy: shape.sortBy,
    notes: shape.notes,
  };
}

/** What --sort-by is compared with: the header in lower case, runs of other characters as one '-'. */
export function columnKey(header: string): string {
  return header
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

type CellValue = ReturnType<Column<unknown>['value']>;

/** A sort key: numbers as numbers, and text that starts with a figure ("1,234.56 USD", "+12.0%") by that figure. */
function sortKey(value: CellValue): number | string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  const figure = /^[+-]?\d[\d,]*(\.\d+)?/.exec(value.trim());
  return figure ? Number(figure[0].replaceAll(',', '')) : value.toLowerCase();
}

function compareKeys(a: number | string | undefined, b: number | string | undefined): number {
  if (a === undefined || b === undefined) return a === b ? 0 : a === undefined ? 1 : -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'number') return -1;
  if (typeof b === 'number') return 1;
  return a.localeCompare(b, 'en', { numeric: true });
}

/** The rows ordered by --sort-by when the view has that column (stable; empty values last); undefined when it has not. */
export function sortRows<Row>(view: TableView<Row>, sortBy: string): Row[] | undefined {
  const descending = sortBy.startsWith('-');
  const key = columnKey(sortBy.replace(/^-/, ''));
  const column = view.columns.find((c) => columnKey(c.header) === key);
  if (!column) return undefined;
  const keyed = view.rows.map((row, index) => ({ row, index, key: sortKey(column.sortValue ? column.sortValue(row) : column.value(row)) }));
  keyed.sort((a, b) => {
    const order = compareKeys(a.key, b.key);
    if (order === 0) return a.index - b.index;
    // Empty values stay last either way.
    if (a.key === undefined || b.key === undefined) return order;
    return descending ? -order : order;
  });
  return keyed.map((k) => k.row);
}

export function cellText(value: unknown): string {
  if (value === undefined || value === null) return '';
  return String(value);
}

/** A cell as it may reach a terminal: control characters escaped, a line break in a name or tag too (shown as \\n, not taken for wrapping). */
function safeCell(value: CellValue): string {
  const text = typeof value === 'number' ? value.toLocaleString('en-US') : cellText(value);
  return escapeControls(text);
}

const widthOf = (text: string) => Math.max(0, ...text.split('\n').map((line) => stringWidth(line)));

/** Each line cut to `width` display columns, with '…' where something was cut. */
function truncateLines(text: string, width: number): string {
  return text
    .split('\n')
    .map((line) => {
      if (stringWidth(line) <= width) return line;
      const cut = truncatedWidth(line, { limit: width, ellipsis: '…' });
      return `${line.slice(0, cut.index)}…`;
    })
    .join('\n');
}

function fitCell(text: string, width: number, overflow: 'wrap' | 'truncate'): string {
  if (widthOf(text) <= width) return text;
  if (overflow === 'truncate') return truncateLines(text, width);
  return wrapAnsi(text, width, { hard: true, trim: true });
}

interface Prepared<Row> {
  column: Column<Row>;
  header: string;
  cells: string[];
  natural: number;
  min: number;
}

/** Borders and padding: "│ a │ b │" is each column's width plus 3, plus 1. */
const overhead = (columns: number) => columns * 3 + 1;
const DEFAULT_MIN_WIDTH = 10;
/** Below this a column is not worth showing; essential columns are squeezed no further. */
const FLOOR_WIDTH = 3;

/**
 * The columns to show and the content width of each, for a line of at most `width` characters:
 * everything at its natural width when that fits; else columns at their minimum, least important
 * left out until the minimums fit, and the room left shared out, narrowest wants first.
 */
export function layoutColumns<Row>(
  prepared: Prepared<Row>[],
  width: number | undefined,
): { shown: Prepared<Row>[]; widths: number[]; hidden: Prepared<Row>[] } {
  if (width === undefined) return { shown: prepared, widths: prepared.map((p) => p.natural), hidden: [] };
  const natural = prepared.reduce((sum, p) => sum + p.natural, 0);
  if (natural + overhead(prepared.length) <= width) return { shown: prepared, widths: prepared.map((p) => p.natural), hidden: [] };

  let shown = [...prepared];
  const hidden: Prepared<Row>[] = [];
  const minimum = () => shown.reduce((sum, p) => sum + p.min, 0) + overhead(shown.length);
  while (minimum() > width) {
    // The least important column, the rightmost among equals.
    let drop: Prepared<Row> | undefined;
    for (const p of shown) if ((p.column.priority ?? 0) > 0 && (!drop || (p.column.priority ?? 0) >= (drop.column.priority ?? 0))) drop = p;
    if (!drop) break;
    hidden.push(drop);
    shown = shown.filter((p) => p !== drop);
  }

  const widths = shown.map((p) => p.min);
  const available = width - overhead(shown.length);
  // Still too wide with only the essential columns: squeeze the widest text columns, and the
  // figures only when that is not enough.
  let total = widths.reduce((a, b) => a + b, 0);
  for (const figures of [false, true]) {
    while (total > available) {
      let widest = -1;
      for (let i = 0; i < shown.length; i++) {
        if (!figures && shown[i].column.align === 'right') continue;
        if (widths[i] > FLOOR_WIDTH && (widest < 0 || widths[i] > widths[widest])) widest = i;
      }
      if (widest < 0) break;
      widths[widest] -= 1;
      total -= 1;
    }
  }

  // Share out the room left: columns that want little get all of it, the rest split what remains.
  let spare = available - total;
  while (spare > 0) {
    const wanting = shown.map((p, i) => ({ i, want: p.natural - widths[i] })).filter((w) => w.want > 0);
    if (wanting.length === 0) break;
    wanting.sort((a, b) => a.want - b.want);
    let remaining = wanting.length;
    for (const { i, want } of wanting) {
      const share = Math.max(1, Math.floor(spare / remaining));
      const give = Math.min(want, share, spare);
      widths[i] += give;
      spare -= give;
      remaining -= 1;
      if (spare === 0) break;
    }
  }
  return { shown, widths, hidden };
}

// cli-table3 (and the colour library under it) loads on first use, not when a command file is
// imported, so `guardian --help` does not pay for it.
let tableClass: typeof TableConstructor | undefined;
function loadTable(): typeof TableConstructor {
  tableClass ??= createRequire(import.meta.url)('cli-table3') as typeof TableConstructor;
  return tableClass;
}

export function toTable<Row>(view: TableView<Row>, options: TableOptions): string {
  const wide = options.wide === true;
  const headers = options.headers !== false;
  let rows = view.rows;
  if (options.sortBy !== undefined) {
    const sorted = sortRows(view, options.sortBy);
    const notes = options.notes?.sort;
    if (notes) {
      notes.tables += 1;
      for (const c of view.columns) if (!c.wide || wide) notes.columns.add(columnKey(c.header));
      if (sorted) notes.matched = true;
    }
    if (sorted) rows = sorted;
  }

  const columns = view.columns.filter((c) => wide || !c.wide);
  const prepared: Prepared<Row>[] = columns.map((column) => {
    const header = escapeControls(column.header);
    const cells = rows.map((row) => safeCell(column.value(row)));
    const natural = Math.max(headers ? widthOf(header) : 0, ...cells.map(widthOf), 1);
    const capped = wide || column.maxWidth === undefined ? natural : Math.min(natural, column.maxWidth);
    // Figures keep their width (their header may wrap) unless nothing else is left to shrink.
    const figures = Math.max(1, ...cells.map(widthOf));
    const min = column.align === 'right' ? Math.min(capped, figures) : Math.min(capped, column.minWidth ?? DEFAULT_MIN_WIDTH);
    return { column, header, cells, natural: capped, min };
  });
  const { shown, widths, hidden } = layoutColumns(prepared, wide ? undefined : options.width);
  for (const p of hidden) options.notes?.hidden.add(p.header);

  const body = rows.map((_, r) => shown.map((p, c) => (wide ? p.cells[r] : fitCell(p.cells[r], widths[c], p.column.overflow ?? 'wrap'))));
  // A line between rows helps only when a row takes several lines.
  const multiline = body.some((cells) => cells.some((cell) => cell.includes('\n')));
  const Table = loadTable();
  // Header colour is applied here rather than through cli-table3's `style`, whose colour library
  // makes its own (CI-variable) decision; Io has already decided whether there is colour.
  const head = shown.map((p, c) => {
    const text = wide ? p.header : fitCell(p.header, widths[c], 'wrap');
    return options.color ? text.replace(/[^\n]+/g, (line) => `\u001b[36m${line}\u001b[39m`) : text;
  });
  const table = new Table({
    head: headers ? head : [],
    style: { head: [], border: [], compact: !multiline },
    colAligns: shown.map((p) => p.column.align ?? 'left'),
    // Widths include the one-space padding on each side; cells are already fitted to them.
    colWidths: shown.map((_, c) => widths[c] + 2),
  });
  for (const cells of body) table.push(cells);
  return table.toString();
}

const BOX = /^[┌├└│]/;

/**
 * Human-readable text (headings, summary lines, tables) fitted to the width: each line longer than
 * it is wrapped at word boundaries. Table lines are left as they are: toTable has fitted them.
 */
export function fitText(text: string, width: number | undefined): string {
  if (width === undefined) return text;
  return text
    .split('\n')
    .map((line) => (BOX.test(line) || stringWidth(line) <= width ? line : wrapAnsi(line, width, { hard: true, trim: true })))
    .join('\n');
}

/** Print human-readable output (not JSON or CSV) fitted to this run's width. */
export function printText(io: Pick<Io, 'out' | 'shape'>, text: string): void {
  io.out(fitText(text, io.shape.width));
}
