// Anomalies: the points predict's detector flagged in the last 7 days of daily spend (total, top
// services and accounts), newest first. Without spend to score (a snapshot, a failed billing
// read) the view says there is no anomaly data and why; it never invents any.

import type { Anomaly } from '../../model/anomaly.js';
import { escapeControls } from '../../render/escape.js';
import { blank, type Column, type Line, table, text } from '../lines.js';
import type { ViewInput, ViewOutput } from './view.js';

const when = (t: number) => new Date(t).toISOString().slice(0, 16).replace('T', ' ');

const COLUMNS: Column<Anomaly>[] = [
  { header: 'WHEN (UTC)', value: (a) => when(a.t), min: 10 },
  { header: 'SERIES', value: (a) => escapeControls(a.seriesName), min: 10, max: 40 },
  { header: 'VALUE', value: (a) => a.value.toLocaleString('en-US', { maximumFractionDigits: 2 }), align: 'right', priority: 2, min: 5 },
  {
    header: 'EXPECTED',
    value: (a) =>
      `${a.expected.toLocaleString('en-US', { maximumFractionDigits: 2 })} ± ${a.spread.toLocaleString('en-US', { maximumFractionDigits: 2 })}`,
    align: 'right',
    priority: 3,
    min: 8,
  },
  { header: 'SCORE', value: (a) => a.score.toFixed(2), align: 'right', min: 5, tint: (a) => (a.score >= 0.9 ? 'red' : 'yellow') },
  { header: 'REASON', value: (a) => escapeControls(a.reason), priority: 1, min: 16, max: 90 },
];

export function sortedAnomalies(list: Anomaly[]): Anomaly[] {
  return [...list].sort((a, b) => b.t - a.t || b.score - a.score);
}

export function anomalies(input: ViewInput): ViewOutput {
  const { data, ui, width, height } = input;
  const note = data.anomaliesNote ? [text(escapeControls(data.anomaliesNote), { dim: true })] : [];
  if (data.anomalies === undefined) return { lines: [text('no anomaly data', { dim: true }), ...note], listLength: 0 };
  if (data.anomalies.length === 0)
    return { lines: [text('no anomalies in the last 7 days of daily spend', { dim: true }), ...note], listLength: 0 };
  const list = sortedAnomalies(data.anomalies);
  const cursor = Math.min(ui.cursor.anomalies, list.length - 1);
  if (ui.detail) {
    const a = list[cursor];
    const lines: Line[] = [
      text(escapeControls(a.seriesName), { bold: true }),
      text(`${when(a.t)} UTC · value ${a.value} · expected ${a.expected} ± ${a.spread} · score ${a.score.toFixed(2)}`),
      blank,
      text(escapeControls(a.reason)),
    ];
    return { lines, listLength: list.length };
  }
  const drawn = table(COLUMNS, list, { width, height, selected: cursor });
  return { lines: drawn.lines, listLength: list.length, dropped: drawn.dropped };
}
