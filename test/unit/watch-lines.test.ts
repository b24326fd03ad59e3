// The dashboard's drawing helpers: tables fit the width by dropping the least important columns
// (never rows), cells are cut by display width, and the charts scale to their largest value.

import { describe, expect, it } from 'vitest';
import { bar, type Column, clip, columnChart, fitColumns, sparkline, table, width, windowOf, wrapped } from '../../src/watch/lines.js';

interface Row {
  name: string;
  id: string;
  region: string;
}
const COLUMNS: Column<Row>[] = [
  { header: 'NAME', value: (r) => r.name, min: 6 },
  { header: 'ID', value: (r) => r.id, priority: 2, min: 6 },
  { header: 'REGION', value: (r) => r.region, priority: 1, min: 6 },
];
const rows: Row[] = Array.from({ length: 30 }, (_, i) => ({ name: `machine-${i}`, id: `i-0123456789abcdef${i}`, region: 'eu-west-1' }));

describe('watch lines', () => {
  it('keeps every column at their natural width when the terminal is wide enough', () => {
    const fitted = fitColumns(COLUMNS, rows, 200);
    expect(fitted.columns.map((c) => c.header)).toEqual(['NAME', 'ID', 'REGION']);
    expect(fitted.widths).toEqual([10, 20, 9]);
    expect(fitted.dropped).toEqual([]);
  });

  it('shrinks the widest column first, then drops the highest priority number first', () => {
    expect(fitColumns(COLUMNS, rows, 30).widths.reduce((a, b) => a + b) + 4).toBeLessThanOrEqual(30);
    const narrow = fitColumns(COLUMNS, rows, 18);
    expect(narrow.dropped).toEqual(['ID']);
    expect(narrow.columns.map((c) => c.header)).toEqual(['NAME', 'REGION']);
    expect(fitColumns(COLUMNS, rows, 8).dropped).toEqual(['ID', 'REGION']);
  });

  it('draws every row of the window at a narrow width: columns go, rows stay', () => {
    const { lines, dropped } = table(COLUMNS, rows, { width: 20, height: 11, selected: 0 });
    expect(dropped).toContain('ID');
    expect(lines).toHaveLength(11);
    for (const line of lines) expect(width(line.map((s) => s.text).join(''))).toBeLessThanOrEqual(20);
  });

  it('scrolls the window so the selected row stays in view', () => {
    expect(windowOf(100, 10, 0)).toEqual({ start: 0, end: 10 });
    expect(windowOf(100, 10, 50)).toEqual({ start: 45, end: 55 });
    expect(windowOf(100, 10, 99)).toEqual({ start: 90, end: 100 });
    const { lines } = table(COLUMNS, rows, { width: 80, height: 6, selected: 29 });
    expect(
      lines
        .at(-1)
        ?.map((s) => s.text)
        .join(''),
    ).toContain('machine-29');
    expect(lines.at(-1)?.[0].text).toBe('› ');
  });

  it('cuts by display width with an ellipsis, counting wide characters as two', () => {
    expect(clip('abcdef', 4)).toBe('abc…');
    expect(clip('ab', 4)).toBe('ab  ');
    expect(width(clip('東京東京東京', 5))).toBeLessThanOrEqual(5);
  });

  it('wraps a long command at spaces so it can be copied whole', () => {
    const lines = wrapped('guardian discover --profile demo --provider aws --region eu-west-1 --json', 30, {}, '  ');
    expect(lines.map((l) => l[0].text.trim()).join(' ')).toBe('guardian discover --profile demo --provider aws --region eu-west-1 --json');
    for (const line of lines) expect(width(line[0].text)).toBeLessThanOrEqual(30);
  });

  it('scales sparklines, column charts and bars to their largest value', () => {
    expect(sparkline([0, 5, 10])).toBe('▁▅█');
    expect(sparkline([0, 0])).toBe('▁▁');
    expect(columnChart([1, 2], 2, 10)).toEqual([' █', '██']);
    expect(columnChart([1, 2, 3, 4], 1, 2)).toEqual(['▆█']);
    expect(bar(0.5, 10)).toBe('█████░░░░░');
    expect(bar(3, 4)).toBe('████');
  });
});
