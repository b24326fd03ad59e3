// How `predict anomalies` shows what it found: a table of flagged points with their reasons, and
// the JSON document (every series judged, its notes, its anomalies).

import type { Anomaly } from '../../model/anomaly.js';
import type { TableView } from '../../render/table.js';
import type { AnomaliesReport } from './run.js';

function figure(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  return Math.abs(x) >= 1000 ? Math.round(x).toLocaleString('en') : Number(x.toPrecision(4)).toString();
}

export function anomaliesTable(report: AnomaliesReport): TableView<Anomaly> {
  return {
    columns: [
      { header: 'time', value: (a) => new Date(a.t).toISOString().replace('.000Z', 'Z'), sortValue: (a) => a.t },
      { header: 'series', value: (a) => a.seriesName, overflow: 'truncate', priority: 1 },
      { header: 'value', value: (a) => figure(a.value), align: 'right', sortValue: (a) => a.value },
      { header: 'score', value: (a) => a.score.toFixed(2), align: 'right', priority: 2 },
      { header: 'reason', value: (a) => a.reason, minWidth: 24 },
    ],
    rows: report.anomalies,
  };
}

/** One line for stderr under the table: how much was judged and found. */
export function anomaliesSummary(report: AnomaliesReport): string {
  const judged = report.results.filter((r) => r.scored > 0).length;
  const found = report.anomalies.length;
  const window = report.shownFrom === undefined ? '' : ` since ${new Date(report.shownFrom).toISOString()}`;
  return `${found} anomal${found === 1 ? 'y' : 'ies'}${window} in ${judged} of ${report.results.length} series (threshold ${report.threshold})`;
}

export function anomaliesJson(report: AnomaliesReport): object {
  return {
    source: report.source,
    threshold: report.threshold,
    shownFrom: report.shownFrom === undefined ? null : new Date(report.shownFrom).toISOString(),
    anomalies: report.anomalies.map((a) => ({ ...a, time: new Date(a.t).toISOString() })),
    series: report.results.map((r) => ({
      id: r.series.id,
      name: r.series.name,
      unit: r.series.unit ?? null,
      resource: r.series.resource ?? null,
      points: r.series.points.length,
      scored: r.scored,
      notes: r.notes,
      anomalies: r.anomalies.length,
    })),
    incomplete: report.incomplete,
  };
}
