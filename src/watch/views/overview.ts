// Overview: resources by cloud, kind and state; spend month to date with its sparkline and the
// month-end projection; findings by severity; savings available; the latest anomalies.

import { SEVERITIES, type Severity } from '../../model/finding.js';
import { escapeControls } from '../../render/escape.js';
import type { Count } from '../estate.js';
import { amount, blank, clip, count, type Line, sparkline, type Tint, text } from '../lines.js';
import type { ViewInput, ViewOutput } from './view.js';

export const SEVERITY_TINT: Record<Severity, Tint> = { critical: 'red', high: 'red', medium: 'yellow', low: 'cyan', info: 'gray' };

function counts(title: string, list: Count[], limit: number, width: number): Line[] {
  const lines: Line[] = [text(title, { bold: true })];
  for (const { key, count: n } of list.slice(0, limit)) lines.push(text(`  ${clip(key, Math.max(8, width - 12))} ${count(n).padStart(8)}`));
  if (list.length > limit) lines.push(text(`  … ${list.length - limit} more`, { dim: true }));
  return lines;
}

/** The spend block: month to date per currency, the daily sparkline, the projection and the budget. */
export function spendLines(input: ViewInput, sparkWidth: number): Line[] {
  const { costs, costsNote } = input.data;
  const lines: Line[] = [text('Spend, month to date', { bold: true })];
  if (!costs) {
    lines.push(text(`  ${costsNote ?? 'no cost data'}`, { dim: true }));
    return lines;
  }
  if (costs.totals.length === 0) lines.push(text('  no spend reported', { dim: true }));
  for (const total of costs.totals) {
    const daily = costs.series.filter((p) => p.currency === total.currency).map((p) => p.amount);
    const projection = costs.projections.find((p) => p.currency === total.currency);
    lines.push([
      { text: `  ${amount(total.amount, total.currency)}` },
      { text: `  ${sparkline(daily.slice(-sparkWidth))}`, color: 'cyan' },
    ]);
    if (projection)
      lines.push(text(`  month-end projection ${amount(projection.projectedMonthEnd, total.currency)} (${projection.basis.method})`));
  }
  if (costs.budget) {
    const b = costs.budget;
    lines.push(
      text(`  budget ${amount(b.amount, b.currency)}: ${b.judged ? (b.exceeded ? `exceeded (${b.exceeded})` : 'within') : 'not judged'}`, {
        color: b.exceeded ? 'red' : undefined,
      }),
    );
  }
  if (costsNote) lines.push(text(`  ${costsNote}`, { color: 'yellow' }));
  return lines;
}

export function severityLine(bySeverity: Record<Severity, number>): Line {
  const line: Line = [{ text: '  ' }];
  SEVERITIES.forEach((s, i) => {
    if (i > 0) line.push({ text: '  ' });
    line.push({ text: `${s} ${count(bySeverity[s])}`, color: bySeverity[s] > 0 ? SEVERITY_TINT[s] : undefined });
  });
  return line;
}

export function overview(input: ViewInput): ViewOutput {
  const { data, summary, width, height } = input;
  const half = width >= 100 ? Math.floor((width - 2) / 2) : width;
  const left: Line[] = [
    ...counts(`Resources ${count(data.resources.length)}`, summary.byCloud, 3, half),
    ...counts('By kind', summary.byKind, width >= 100 ? 8 : 4, half),
    ...counts('By state', summary.byState, 4, half),
  ];
  if (data.incomplete) left.push(text(`  ${data.incomplete}`, { color: 'yellow' }));
  const findings = data.findings.length;
  const right: Line[] = [
    ...spendLines(input, Math.max(8, Math.min(31, half - 16))),
    blank,
    text(`Findings ${count(findings)}`, { bold: true }),
    severityLine(summary.bySeverity),
    blank,
    text('Savings available', { bold: true }),
    summary.savings
      ? text(
          `  ${amount(summary.savings.monthly, 'USD')} a month over ${count(summary.savings.count)} recommendation(s)${summary.savings.unpriced ? `, ${summary.savings.unpriced} unpriced` : ''}`,
          { color: summary.savings.monthly > 0 ? 'green' : undefined },
        )
      : text(`  ${data.savingsNote ?? 'no savings data'}`, { dim: true }),
    blank,
    text('Latest anomalies', { bold: true }),
    ...anomalyLines(input, 3),
  ];
  if (width < 100) return { lines: [...left, blank, ...right].slice(0, height), listLength: 0 };
  const lines: Line[] = [];
  for (let i = 0; i < Math.min(height, Math.max(left.length, right.length)); i++) {
    const l = left[i] ?? blank;
    const shown = l.map((s) => s.text).join('');
    lines.push([...l, { text: ' '.repeat(Math.max(1, half + 2 - shown.length)) }, ...(right[i] ?? blank)]);
  }
  return { lines, listLength: 0 };
}

function anomalyLines({ data }: ViewInput, limit: number): Line[] {
  if (data.anomalies === undefined) return [text('  no anomaly data', { dim: true })];
  if (data.anomalies.length === 0) return [text('  no anomalies')];
  return [...data.anomalies]
    .sort((a, b) => b.t - a.t)
    .slice(0, limit)
    .map((a) =>
      text(
        `  ${new Date(a.t).toISOString().slice(0, 16).replace('T', ' ')}  ${escapeControls(a.seriesName)}: ${escapeControls(a.reason)}`,
        { color: 'yellow' },
      ),
    );
}
