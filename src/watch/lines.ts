// The views' drawing vocabulary: a screen is lines of styled segments, built by pure functions
// (tested without a terminal) and drawn by one Ink component. Tables fit the width by dropping
// their least important columns and shrinking the widest, never by dropping rows; cells are cut
// with an ellipsis by display width (wide characters count two).

import truncatedWidth from 'fast-string-truncated-width';
import stringWidth from 'fast-string-width';

export type Tint = 'red' | 'yellow' | 'green' | 'cyan' | 'magenta' | 'blue' | 'gray';

export interface Segment {
  text: string;
  color?: Tint;
  bold?: boolean;
  dim?: boolean;
  /** The selected row: reverse video (and a '›' marker, so it shows without any styling too). */
  inverse?: boolean;
}

export type Line = Segment[];

export const text = (value: string, style: Omit<Segment, 'text'> = {}): Line => [{ text: value, ...style }];
export const blank: Line = [{ text: '' }];

export function width(value: string): number {
  return stringWidth(value);
}

/** The text cut to `max` display columns with an ellipsis, then padded to it when `pad`. */
export function clip(value: string, max: number, pad = true): string {
  if (max <= 0) return '';
  const cut = truncatedWidth(value, { limit: max, ellipsis: '…' });
  const shown = cut.truncated ? `${value.slice(0, cut.index)}${cut.ellipsed ? '…' : ''}` : value;
  return pad ? shown + ' '.repeat(Math.max(0, max - width(shown))) : shown;
}

/** The text as lines of at most `max` columns, broken at spaces where it can (a command to copy, a long sentence). */
export function wrapped(value: string, max: number, style: Omit<Segment, 'text'> = {}, indent = ''): Line[] {
  const room = Math.max(10, max - width(indent));
  const out: Line[] = [];
  let rest = value;
  while (width(rest) > room) {
    const cut = truncatedWidth(rest, { limit: room, ellipsis: '' }).index;
    const space = rest.lastIndexOf(' ', cut);
    const at = space > room / 3 ? space : cut;
    out.push([{ text: `${indent}${rest.slice(0, at)}`, ...style }]);
    rest = rest.slice(at).replace(/^ /, '');
  }
  out.push([{ text: `${indent}${rest}`, ...style }]);
  return out;
}

export interface Column<Row> {
  header: string;
  value(row: Row): string;
  /** 0 (the default) is never dropped; a higher number is dropped first when the width is short. */
  priority?: number;
  /** Narrowest it may be shrunk to (default: the header's width, at most 8). */
  min?: number;
  /** Widest it is drawn (default 40). */
  max?: number;
  align?: 'left' | 'right';
  tint?(row: Row): Tint | undefined;
}

export interface Fitted<Row> {
  columns: Column<Row>[];
  widths: number[];
  /** Headers of the columns left out at this width. */
  dropped: string[];
}

const GAP = 2;

/**
 * Column widths for `available` display columns: each column's natural width (its widest value,
 * capped by `max`); when that does not fit, the widest columns give way down to their minimum, and
 * when even the minimums do not fit, columns are dropped, highest priority number first.
 */
export function fitColumns<Row>(columns: Column<Row>[], rows: readonly Row[], available: number): Fitted<Row> {
  const natural = columns.map((column) => {
    let widest = width(column.header);
    for (const row of rows) widest = Math.max(widest, column.value(row).length);
    return Math.min(widest, column.max ?? 40);
  });
  const minimum = columns.map((column, i) => Math.min(natural[i], column.min ?? Math.min(width(column.header), 8)));
  let kept = columns.map((_, i) => i);
  const dropped: string[] = [];
  const total = (list: number[], widths: number[]) => list.reduce((sum, i) => sum + widths[i], 0) + GAP * Math.max(0, list.length - 1);
  while (total(kept, minimum) > available) {
    const candidates = kept.filter((i) => (columns[i].priority ?? 0) > 0);
    if (candidates.length === 0) break;
    const drop = candidates.reduce((a, b) => ((columns[b].priority ?? 0) >= (columns[a].priority ?? 0) ? b : a));
    kept = kept.filter((i) => i !== drop);
    dropped.push(columns[drop].header);
  }
  const widths = [...natural];
  let over = total(kept, widths) - available;
  while (over > 0) {
    const shrinkable = kept.filter((i) => widths[i] > minimum[i]);
    if (shrinkable.length === 0) break;
    const widest = shrinkable.reduce((a, b) => (widths[b] > widths[a] ? b : a));
    widths[widest] -= 1;
    over -= 1;
  }
  return { columns: kept.map((i) => columns[i]), widths: kept.map((i) => widths[i]), dropped };
}

export interface TableOptions {
  width: number;
  /** Lines for the rows (the header takes one more). */
  height: number;
  /** The selected row (absolute index), or undefined for a table without a cursor. */
  selected?: number;
}

/** The window of rows that keeps the selected one in view, as a pager scrolls. */
export function windowOf(total: number, height: number, selected = 0): { start: number; end: number } {
  if (total <= height) return { start: 0, end: total };
  const start = Math.max(0, Math.min(selected - Math.floor(height / 2), total - height));
  return { start, end: start + height };
}

/** A header line and the visible window of rows, fitted to the width. */
export function table<Row>(columns: Column<Row>[], rows: readonly Row[], options: TableOptions): { lines: Line[]; dropped: string[] } {
  const bodyHeight = Math.max(1, options.height - 1);
  const { start, end } = windowOf(rows.length, bodyHeight, options.selected);
  const visible = rows.slice(start, end);
  // Natural widths from the rows on screen and a sample of the rest: stable enough while scrolling,
  // and the cost does not grow with a 10,000-row estate.
  const sample = rows.length > 500 ? [...visible, ...rows.filter((_, i) => i % Math.ceil(rows.length / 500) === 0)] : rows;
  const marker = options.selected === undefined ? 0 : 2;
  const fitted = fitColumns(columns, sample, options.width - marker);
  const cells = (values: string[], aligns: ('left' | 'right' | undefined)[]) =>
    values.map((value, i) =>
      aligns[i] === 'right' ? clip(value, fitted.widths[i], false).padStart(fitted.widths[i]) : clip(value, fitted.widths[i]),
    );
  const aligns = fitted.columns.map((c) => c.align);
  const header: Line = [
    {
      text: `${' '.repeat(marker)}${cells(
        fitted.columns.map((c) => c.header),
        aligns,
      ).join(' '.repeat(GAP))}`,
      bold: true,
    },
  ];
  const lines = visible.map((row, i) => {
    const selected = options.selected === start + i;
    const values = cells(
      fitted.columns.map((c) => c.value(row)),
      aligns,
    );
    const line: Line = [];
    if (marker) line.push({ text: selected ? '› ' : '  ', inverse: selected });
    values.forEach((value, j) => {
      if (j > 0) line.push({ text: ' '.repeat(GAP), inverse: selected });
      line.push({ text: value, inverse: selected, color: fitted.columns[j].tint?.(row) });
    });
    return line;
  });
  return { lines: [header, ...lines], dropped: fitted.dropped };
}

const BLOCKS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/** One character per value, scaled between 0 and the largest. */
export function sparkline(values: number[]): string {
  const top = Math.max(0, ...values);
  if (top <= 0) return values.map(() => BLOCKS[0]).join('');
  return values.map((v) => BLOCKS[Math.min(BLOCKS.length - 1, Math.max(0, Math.round((v / top) * (BLOCKS.length - 1))))]).join('');
}

/**
 * A column chart `height` lines tall, one column per value (the last `columns` values when there
 * are more), in eighths of a line; the largest value fills the height.
 */
export function columnChart(values: number[], height: number, columns: number): string[] {
  const shown = values.slice(-Math.max(1, columns));
  const top = Math.max(0, ...shown);
  const eighths = shown.map((v) => (top > 0 ? Math.round((Math.max(0, v) / top) * height * 8) : 0));
  const out: string[] = [];
  for (let row = height - 1; row >= 0; row--) {
    out.push(
      eighths
        .map((e) => {
          const fill = e - row * 8;
          if (fill >= 8) return '█';
          if (fill <= 0) return ' ';
          return BLOCKS[fill - 1];
        })
        .join(''),
    );
  }
  return out;
}

/** A horizontal bar of `cells` characters filled to `ratio` (0–1; over 1 is drawn full). */
export function bar(ratio: number, cells: number): string {
  const filled = Math.max(0, Math.min(cells, Math.round(ratio * cells)));
  return `${'█'.repeat(filled)}${'░'.repeat(Math.max(0, cells - filled))}`;
}

const money = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

export function amount(value: number, currency: string): string {
  return `${currency === 'USD' ? '$' : `${currency} `}${money.format(value)}`;
}

export function count(value: number): string {
  return value.toLocaleString('en-US');
}
