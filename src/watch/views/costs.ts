// Costs: the daily spend of the month to date as a column chart, the top services and accounts,
// the month-end projection, and the budget as a bar when one is set (--budget).

import type { GroupRow } from '../../costs/report.js';
import { escapeControls } from '../../render/escape.js';
import { amount, bar, blank, type Column, columnChart, type Line, table, text } from '../lines.js';
import type { ViewInput, ViewOutput } from './view.js';

const GROUP_COLUMNS = (title: string): Column<GroupRow>[] => [
  { header: title, value: (r) => escapeControls(r.key), min: 10, max: 40 },
  { header: 'CLOUD', value: (r) => r.cloud, priority: 2, min: 5 },
  { header: 'SPEND', value: (r) => amount(r.amount, r.currency), align: 'right', min: 8 },
  { header: 'SHARE', value: (r) => `${r.share.toFixed(1)}%`, align: 'right', priority: 1, min: 5 },
  {
    header: 'CHANGE',
    value: (r) => (r.changePercent === null ? 'new' : `${r.changePercent > 0 ? '+' : ''}${r.changePercent.toFixed(1)}%`),
    align: 'right',
    priority: 3,
    min: 6,
  },
];

export function costs(input: ViewInput): ViewOutput {
  const { data, width, height } = input;
  const report = data.costs;
  if (!report) return { lines: [text(data.costsNote ?? 'no cost data', { dim: true })], listLength: 0 };
  const lines: Line[] = [];
  const dropped = new Set<string>();
  for (const total of report.totals) {
    const daily = report.series.filter((p) => p.currency === total.currency);
    const projection = report.projections.find((p) => p.currency === total.currency);
    lines.push(
      text(
        `${report.period.label} ${report.period.start} → ${daily.at(-1)?.date ?? report.period.start}: ${amount(total.amount, total.currency)}` +
          (total.changePercent === null
            ? ''
            : ` (${total.changePercent > 0 ? '+' : ''}${total.changePercent.toFixed(1)}% on ${report.previousPeriod.label})`),
        { bold: true },
      ),
    );
    if (projection)
      lines.push(
        text(
          `month-end projection ${amount(projection.projectedMonthEnd, total.currency)} · run-rate ${amount(projection.basis.runRate, total.currency)}/day · ${projection.basis.daysLeft} day(s) left`,
        ),
      );
    const chartHeight = height >= 30 ? 8 : height >= 20 ? 5 : 3;
    const top = Math.max(0, ...daily.map((p) => p.amount));
    const chart = columnChart(
      daily.map((p) => p.amount),
      chartHeight,
      Math.max(1, Math.floor((width - 12) / 2)),
    );
    chart.forEach((row, i) => {
      lines.push([
        { text: i === 0 ? amount(top, total.currency).padStart(10).slice(-10) : ' '.repeat(10), dim: true },
        { text: ' │' },
        { text: [...row].map((c) => c + c).join(''), color: 'cyan' },
      ]);
    });
    lines.push(text(`${' '.repeat(10)} └ daily, ${daily.length} day(s)`, { dim: true }));
  }
  if (report.totals.length === 0) lines.push(text('no spend reported for the month to date', { dim: true }));
  if (report.budget) {
    const b = report.budget;
    const ratio = b.amount > 0 ? b.projectedMonthEnd / b.amount : 0;
    lines.push(blank, [
      { text: `budget ${amount(b.amount, b.currency)} ` },
      { text: bar(ratio, Math.max(10, Math.min(40, width - 50))), color: b.exceeded ? 'red' : ratio > 0.8 ? 'yellow' : 'green' },
      {
        text: ` ${Math.round(ratio * 100)}% projected · ${b.judged ? (b.exceeded ? `exceeded (${b.exceeded})` : 'within budget') : 'not judged: no spend in its currency'}`,
      },
    ]);
  }
  if (data.costsNote) lines.push(text(data.costsNote, { color: 'yellow' }));
  const rest = Math.max(4, height - lines.length - 2);
  for (const [dimension, title] of [
    ['service', 'SERVICE'],
    ['account', 'ACCOUNT'],
  ] as const) {
    const group = report.groups.find((g) => g.dimension === dimension);
    if (!group) continue;
    const shown = group.rows.slice(0, Math.max(1, Math.floor(rest / 2) - 2));
    const drawn = table(GROUP_COLUMNS(title), shown, { width, height: shown.length + 1 });
    for (const d of drawn.dropped) dropped.add(d);
    lines.push(blank, text(`Top ${dimension === 'service' ? 'services' : 'accounts'}`, { bold: true }), ...drawn.lines);
  }
  return { lines: lines.slice(0, height), listLength: 0, dropped: [...dropped] };
}
