// Savings: optimize's recommendations, largest saving first, with the total a month (each
// resource counted once); Enter shows one with its evidence, risk and the command that applies it.

import type { Recommendation } from '../../model/recommendation.js';
import { escapeControls } from '../../render/escape.js';
import { amount, blank, type Column, type Line, table, text } from '../lines.js';
import type { ViewInput, ViewOutput } from './view.js';

const COLUMNS: Column<Recommendation>[] = [
  {
    header: 'SAVES/MO',
    value: (r) => (r.monthlySaving === null ? 'unpriced' : amount(r.monthlySaving, r.currency)),
    align: 'right',
    min: 8,
    tint: () => 'green',
  },
  { header: 'ACTION', value: (r) => r.action, min: 6 },
  { header: 'RESOURCE', value: (r) => escapeControls(r.resource.name), min: 10, max: 36 },
  { header: 'KIND', value: (r) => r.resource.kind, priority: 2, min: 8, max: 24 },
  { header: 'REGION', value: (r) => escapeControls(r.resource.region), priority: 3, min: 6 },
  { header: 'SUMMARY', value: (r) => escapeControls(r.summary), priority: 1, min: 20, max: 90 },
];

function detail(r: Recommendation): Line[] {
  const lines: Line[] = [
    text(`${r.id} · ${r.rule} · ${r.action}`, { bold: true }),
    text(escapeControls(r.summary)),
    text(
      r.monthlySaving === null
        ? `unpriced: ${escapeControls(r.unpriced ?? '')}`
        : `saves ${amount(r.monthlySaving, r.currency)} a month${r.approximate ? ' (approximate)' : ''}`,
      {
        color: 'green',
      },
    ),
    blank,
    text('Evidence', { bold: true }),
  ];
  for (const e of r.evidence)
    lines.push(
      text(
        e.type === 'fact'
          ? `  ${escapeControls(e.fact)}`
          : `  ${e.metric} ${e.stat} ${e.value} ${e.unit} (${e.comparison} ${e.threshold}) over ${e.points} point(s) from ${e.window.start}`,
      ),
    );
  lines.push(text('Risk', { bold: true }), text(`  ${escapeControls(String(r.risk))}`));
  lines.push(
    blank,
    text('Apply with', { bold: true }),
    text(`  guardian optimize --apply ${r.id}`, { color: 'cyan' }),
    text(`  ${escapeControls(r.command.cli)}`, { color: 'cyan' }),
  );
  return lines;
}

export function savings(input: ViewInput): ViewOutput {
  const { data, summary, ui, width, height } = input;
  const list = data.recommendations;
  if (!list) return { lines: [text(data.savingsNote ?? 'no savings data', { dim: true })], listLength: 0 };
  const head: Line[] = [
    text(
      summary.savings
        ? `${amount(summary.savings.monthly, 'USD')} a month over ${list.length} recommendation(s)${summary.savings.unpriced ? `, ${summary.savings.unpriced} unpriced` : ''}`
        : 'no savings',
      { bold: true },
    ),
  ];
  if (data.savingsNote) head.push(text(data.savingsNote, { color: 'yellow' }));
  if (list.length === 0) return { lines: [...head, blank, text('no recommendations', { dim: true })], listLength: 0 };
  const cursor = Math.min(ui.cursor.savings, list.length - 1);
  if (ui.detail) return { lines: detail(list[cursor]).slice(0, height), listLength: list.length };
  const drawn = table(COLUMNS, list, { width, height: height - head.length - 1, selected: cursor });
  return { lines: [...head, blank, ...drawn.lines], listLength: list.length, dropped: drawn.dropped };
}
