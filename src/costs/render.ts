// How a cost report and an estate estimate look in each output format. Returns text; the
// command writes it. JSON field names are a contract (docs/costs-json.md).

import type { EstateEstimate } from '../pricing/estimate.js';
import { csvField, type TableOptions, type TableView, toJson, toMarkdown, toTable } from '../render/output.js';
import { addDays } from './period.js';
import type { CostReport, GroupRow, Projection, SeriesPoint } from './report.js';
import type { CloudFailure } from './run.js';

const TICKS = '▁▂▃▄▅▆▇█';

/** A one-line chart of the values (min to max over eight heights). */
export function sparkline(values: number[]): string {
  if (values.length === 0) return '';
  const min = Math.min(...values);
  const max = Math.max(...values);
  const span = max - min;
  return values.map((v) => TICKS[span === 0 ? 3 : Math.min(7, Math.floor(((v - min) / span) * 8))]).join('');
}

export function money(amount: number, currency?: string): string {
  const text = amount.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  return currency ? `${text} ${currency}` : text;
}

function signed(amount: number): string {
  return `${amount > 0 ? '+' : ''}${money(amount)}`;
}

function pct(value: number | null): string {
  if (value === null) return 'new';
  return `${value > 0 ? '+' : ''}${value.toFixed(1)}%`;
}

const DIMENSION_TITLES: Record<string, string> = { service: 'service', region: 'region', account: 'account' };
const titleOf = (dimension: string) => DIMENSION_TITLES[dimension] ?? `tag ${dimension.slice(4)}`;

function groupView(rows: GroupRow[], dimension: string): TableView<GroupRow> {
  return {
    columns: [
      { header: 'Cloud', value: (r) => r.cloud },
      {
        header: titleOf(dimension).replace(/^./, (c) => c.toUpperCase()),
        value: (r) => (r.key === '' && dimension.startsWith('tag:') ? '(untagged)' : r.key),
      },
      { header: 'Spend', value: (r) => money(r.amount, r.currency), align: 'right' },
      { header: 'Share', value: (r) => `${r.share.toFixed(1)}%`, align: 'right' },
      { header: 'Previous', value: (r) => money(r.previous, r.currency), align: 'right' },
      { header: 'Change', value: (r) => `${signed(r.change)} (${pct(r.changePercent)})`, align: 'right' },
    ],
    rows,
  };
}

const days = (n: number) => `${n} ${n === 1 ? 'day' : 'days'}`;

function periodLine(report: CostReport): string {
  const { period, previousPeriod } = report;
  const range = `${period.start} to ${addDays(period.end, -1)}`;
  // A --from/--to period is labelled with its own range: say it once.
  const what = period.label === range ? range : `${period.label}: ${range}`;
  return `${what} (${days(period.days)}), compared with ${previousPeriod.start} to ${addDays(previousPeriod.end, -1)}`;
}

/** The projection and how it was made, a line each. */
export function projectionLines(projection: Projection): string[] {
  const { basis, currency } = projection;
  const head = `Month-end projection ${projection.month}: ${money(projection.projectedMonthEnd, currency)}`;
  if (basis.method === 'month-to-date') {
    return [
      head,
      `  basis: linear from the month to date (${money(projection.monthToDate, currency)} over ${days(projection.daysElapsed)} of ${projection.daysInMonth}); under three days of history for a run-rate`,
    ];
  }
  const oneOffs = basis.oneOffs.map(
    (o) =>
      `${money(o.amount, currency)} on day ${o.dayOfMonth} (seen in ${o.seenIn} of ${o.of} months, ${o.billed ? 'billed' : 'to come'})`,
  );
  if (basis.method === 'forecast' && basis.forecast) {
    const f = basis.forecast;
    const interval =
      f.interval80 && f.interval95
        ? ` (80%: ${money(f.interval80[0])} – ${money(f.interval80[1])}; 95%: ${money(f.interval95[0])} – ${money(f.interval95[1])})`
        : '';
    return [
      `${head}${interval}`,
      `  basis: month to date ${money(projection.monthToDate, currency)} (${days(projection.daysElapsed)} of ${projection.daysInMonth})` +
        ` + a ${f.model} forecast of the ${days(basis.daysLeft)} left, the model chosen by backtest over ${days(f.historyDays)} of history`,
      `  backtest month-end error: ${f.scores.map((s) => `${s.model} ${(s.error * 100).toFixed(1)}%`).join(', ')} (mean over ${f.origins} origins)`,
      `  run-rate for comparison: ${money(basis.runRateProjection ?? 0, currency)} (${money(basis.runRate, currency)}/day over ${basis.window.start} to ${basis.window.last}, monthly one-offs counted once)`,
      `  one-offs: ${oneOffs.length > 0 ? oneOffs.join('; ') : 'none found in the last three months'}`,
    ];
  }
  return [
    head,
    `  basis: month to date ${money(projection.monthToDate, currency)} (${days(projection.daysElapsed)} of ${projection.daysInMonth})` +
      ` + run-rate ${money(basis.runRate, currency)}/day × ${days(basis.daysLeft)} left` +
      (basis.notYetBilled > 0 ? ` + ${money(basis.notYetBilled, currency)} of monthly charges to come` : ''),
    `  run-rate: mean of ${basis.window.start} to ${basis.window.last} (${days(basis.window.days)}), spikes capped, monthly one-offs out`,
    `  one-offs: ${oneOffs.length > 0 ? oneOffs.join('; ') : 'none found in the last three months'}`,
  ];
}

function budgetLine(report: CostReport): string | undefined {
  const b = report.budget;
  if (!b) return undefined;
  const without = b.missing.length > 0 ? ` (without ${b.missing.map((m) => m.cloud).join(', ')}, whose figures are missing)` : '';
  const verdict = !b.judged
    ? `NOT JUDGED (no spend in ${b.currency} this month)`
    : b.exceeded === 'month-to-date'
      ? 'EXCEEDED (month to date)'
      : b.exceeded === 'projection'
        ? 'EXCEEDED (projected)'
        : b.missing.length > 0
          ? 'within budget on partial figures'
          : 'within budget';
  return `Budget ${money(b.amount, b.currency)}: ${verdict}${b.judged ? without : ''}`;
}

function missingNotes(report: CostReport): string[] {
  const notes: string[] = [];
  for (const missing of report.missing)
    notes.push(
      missing.reason === 'no-data'
        ? `No spend reported by ${missing.cloud} for the period (left out; no data is not zero spend)`
        : `Not included: ${missing.cloud}: ${missing.message}`,
    );
  for (const missing of report.noComparison)
    notes.push(`No previous-period figures for ${missing.cloud} (counted as 0): ${missing.message}`);
  return notes;
}

function chartLines(series: SeriesPoint[], granularity: string): string[] {
  const lines: string[] = [];
  for (const currency of [...new Set(series.map((p) => p.currency))]) {
    const points = series.filter((p) => p.currency === currency);
    const values = points.map((p) => p.amount);
    const max = Math.max(...values);
    const min = Math.min(...values);
    const estimated = points.some((p) => p.estimated) ? ' (current month estimated)' : '';
    lines.push(
      `${granularity === 'daily' ? 'Daily' : 'Monthly'} spend, ${currency}: ${sparkline(values)}  min ${money(min)}  max ${money(max)}${estimated}`,
    );
  }
  return lines;
}

export function costReportTable(report: CostReport, options: TableOptions): string {
  const out: string[] = [];
  out.push(`Spend (${report.metric}, ${report.clouds.join(', ') || 'no cloud'}) for ${periodLine(report)}`);
  out.push('');
  if (report.totals.length === 0) out.push('No spend reported for the period by any cloud.');
  else
    out.push(
      toTable(
        {
          columns: [
            { header: 'Currency', value: (t) => t.currency },
            { header: 'Total', value: (t) => money(t.amount), align: 'right' },
            { header: 'Previous', value: (t) => money(t.previous), align: 'right' },
            { header: 'Change', value: (t) => `${signed(t.change)} (${pct(t.changePercent)})`, align: 'right' },
          ],
          rows: report.totals,
        },
        options,
      ),
    );
  for (const projection of report.projections) out.push(...projectionLines(projection));
  const budget = budgetLine(report);
  if (budget) out.push(budget);
  const chart = chartLines(report.series, report.granularity);
  if (chart.length > 0) out.push('', ...chart);
  for (const table of report.groups) {
    if (table.rows.length === 0) continue;
    out.push('');
    out.push(`Top ${titleOf(table.dimension)}s`);
    out.push(toTable(groupView(table.rows, table.dimension), options));
    for (const other of table.others) out.push(`  … and ${other.count} more (${money(other.amount, other.currency)})`);
  }
  const notes = missingNotes(report);
  if (notes.length > 0) out.push('', ...notes);
  return out.join('\n');
}

export function costReportMarkdown(report: CostReport): string {
  const out: string[] = [`## Cloud spend: ${report.period.label}`, '', periodLine(report), ''];
  if (report.totals.length === 0) out.push('No spend reported for the period by any cloud.');
  else
    out.push(
      toMarkdown({
        columns: [
          { header: 'Currency', value: (t) => t.currency },
          { header: 'Total', value: (t) => money(t.amount), align: 'right' },
          { header: 'Previous', value: (t) => money(t.previous), align: 'right' },
          { header: 'Change', value: (t) => `${signed(t.change)} (${pct(t.changePercent)})`, align: 'right' },
        ],
        rows: report.totals,
      }),
    );
  for (const projection of report.projections) {
    const [head, ...basis] = projectionLines(projection);
    out.push('', `**${head}**`, '', ...basis.map((line) => `- ${line.trim()}`));
  }
  const budget = budgetLine(report);
  if (budget) out.push('', budget);
  const chart = chartLines(report.series, report.granularity);
  if (chart.length > 0) out.push('', ...chart.map((line) => `\`${line}\``));
  for (const table of report.groups) {
    if (table.rows.length === 0) continue;
    out.push('', `### Top ${titleOf(table.dimension)}s`, '', toMarkdown(groupView(table.rows, table.dimension)));
  }
  for (const note of missingNotes(report)) out.push('', `> ${note}`);
  return out.join('\n');
}

/** CSV: one row per total and per group row, with the dimension in the first column. */
export function costReportCsv(report: CostReport): string {
  const header = [
    'dimension',
    'cloud',
    'key',
    'currency',
    'amount',
    'previous',
    'change',
    'change_percent',
    'share_percent',
    'period_start',
    'period_end',
  ];
  const lines = [header.join(',')];
  const end = addDays(report.period.end, -1);
  for (const t of report.totals) {
    lines.push(
      ['total', '', '', t.currency, t.amount, t.previous, t.change, t.changePercent ?? '', 100, report.period.start, end]
        .map(csvField)
        .join(','),
    );
  }
  for (const table of report.groups) {
    for (const r of table.rows) {
      lines.push(
        [
          table.dimension,
          r.cloud,
          r.key,
          r.currency,
          r.amount,
          r.previous,
          r.change,
          r.changePercent ?? '',
          r.share,
          report.period.start,
          end,
        ]
          .map(csvField)
          .join(','),
      );
    }
  }
  return `${lines.join('\r\n')}\r\n`;
}

export function costReportJson(
  report: CostReport,
  failures: CloudFailure[],
  requests: Record<string, { requests: number; paidRequests: number; cachedRequests: number }>,
): string {
  return toJson('guardian.costs', {
    period: { ...report.period, last: addDays(report.period.end, -1) },
    previousPeriod: { ...report.previousPeriod, last: addDays(report.previousPeriod.end, -1) },
    metric: report.metric,
    granularity: report.granularity,
    clouds: report.clouds,
    totals: report.totals,
    projections: report.projections,
    noComparison: report.noComparison,
    missing: report.missing,
    monthMissing: report.monthMissing,
    ...(report.budget ? { budget: report.budget } : {}),
    groups: report.groups,
    series: report.series,
    failures,
    requests,
  });
}

// ---- estimates ------------------------------------------------------------------------------

export function estimateTable(estimate: EstateEstimate, options: TableOptions & { top: number }): string {
  const out: string[] = [`Estimated monthly run-rate at public on-demand list prices: ${money(estimate.monthly, estimate.currency)}`, ''];
  const kinds = Object.entries(estimate.byKind).sort((a, b) => b[1] - a[1]);
  const counts = new Map<string, number>();
  for (const p of estimate.priced) counts.set(p.kind, (counts.get(p.kind) ?? 0) + 1);
  out.push(
    toTable(
      {
        columns: [
          { header: 'Kind', value: (r: [string, number]) => r[0] },
          { header: 'Resources', value: (r) => counts.get(r[0]) ?? 0, align: 'right' },
          { header: 'Monthly (USD)', value: (r) => money(r[1]), align: 'right' },
          { header: 'Share', value: (r) => `${((r[1] / (estimate.monthly || 1)) * 100).toFixed(1)}%`, align: 'right' },
        ],
        rows: kinds,
      },
      options,
    ),
  );
  const top = [...estimate.priced].sort((a, b) => b.monthly - a.monthly).slice(0, options.top);
  out.push('', `Most expensive resources`);
  out.push(
    toTable(
      {
        columns: [
          { header: 'Cloud', value: (r: (typeof top)[number]) => r.cloud },
          { header: 'Name', value: (r) => r.name },
          { header: 'Account', value: (r) => r.account },
          { header: 'Region', value: (r) => r.region },
          { header: 'Priced as', value: (r) => `${r.basis}${r.approximate ? ' ~' : ''}` },
          { header: 'Monthly (USD)', value: (r) => money(r.monthly), align: 'right' },
        ],
        rows: top,
      },
      options,
    ),
  );
  out.push(
    '',
    `${estimate.priced.length} resources priced, ${estimate.free} without a charge of their own, ${estimate.unpriced.length} could not be priced.`,
  );
  if (estimate.priced.some((p) => p.approximate)) out.push('~ priced from the base region times a regional factor (approximate).');
  if (estimate.unpriced.length > 0) {
    // Grouped by kind and reason here (every resource is in --json and --output csv).
    const groups = new Map<string, { kind: string; reason: string; names: string[] }>();
    for (const u of estimate.unpriced) {
      const id = `${u.kind}\u0000${u.reason}`;
      const group = groups.get(id) ?? { kind: u.kind, reason: u.reason, names: [] };
      group.names.push(u.name);
      groups.set(id, group);
    }
    out.push('', 'Not priced');
    out.push(
      toTable(
        {
          columns: [
            { header: 'Kind', value: (g: { kind: string; reason: string; names: string[] }) => g.kind },
            { header: 'Count', value: (g) => g.names.length, align: 'right' },
            { header: 'Reason', value: (g) => g.reason },
            {
              header: 'Resources',
              value: (g) => `${g.names.slice(0, 3).join(', ')}${g.names.length > 3 ? `, … (+${g.names.length - 3})` : ''}`,
            },
          ],
          rows: [...groups.values()].sort((a, b) => b.names.length - a.names.length),
        },
        options,
      ),
    );
  }
  out.push('', `Prices: ${estimate.sources.map((s) => `${s.table} (${s.asOf})`).join(', ')}`);
  return out.join('\n');
}

export function estimateMarkdown(estimate: EstateEstimate): string {
  const out = [`## Estimated monthly run-rate: ${money(estimate.monthly, estimate.currency)}`, ''];
  out.push(
    toMarkdown({
      columns: [
        { header: 'Kind', value: (r: [string, number]) => r[0] },
        { header: 'Monthly (USD)', value: (r) => money(r[1]), align: 'right' },
      ],
      rows: Object.entries(estimate.byKind).sort((a, b) => b[1] - a[1]),
    }),
  );
  out.push('', `${estimate.priced.length} priced, ${estimate.free} free, ${estimate.unpriced.length} not priced.`);
  if (estimate.unpriced.length > 0) {
    out.push(
      '',
      '### Not priced',
      '',
      toMarkdown({
        columns: [
          { header: 'Kind', value: (r: EstateEstimate['unpriced'][number]) => r.kind },
          { header: 'Name', value: (r) => r.name },
          { header: 'Region', value: (r) => r.region },
          { header: 'Reason', value: (r) => r.reason },
        ],
        rows: estimate.unpriced,
      }),
    );
  }
  out.push('', 'Prices from:', ...estimate.sources.map((s) => `- ${s.title}: ${s.source} (as of ${s.asOf})`));
  return out.join('\n');
}

/** CSV: one row per resource, priced or not. */
export function estimateCsv(estimate: EstateEstimate): string {
  const header = ['cloud', 'kind', 'id', 'name', 'account', 'region', 'monthly_usd', 'basis', 'approximate', 'unpriced_reason'];
  const lines = [header.join(',')];
  for (const p of estimate.priced)
    lines.push(
      [p.cloud, p.kind, p.id, p.name, p.account, p.region, p.monthly.toFixed(2), p.basis, p.approximate, ''].map(csvField).join(','),
    );
  for (const u of estimate.unpriced)
    lines.push([u.cloud, u.kind, u.id, u.name, u.account, u.region, '', '', '', u.reason].map(csvField).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

export function estimateJson(estimate: EstateEstimate, source: string, complete: boolean): string {
  const round = (n: number) => Math.round(n * 100) / 100;
  return toJson('guardian.costs.estimate', {
    currency: estimate.currency,
    monthly: round(estimate.monthly),
    byCloud: Object.fromEntries(Object.entries(estimate.byCloud).map(([k, v]) => [k, round(v)])),
    byKind: Object.fromEntries(Object.entries(estimate.byKind).map(([k, v]) => [k, round(v)])),
    counts: { priced: estimate.priced.length, free: estimate.free, unpriced: estimate.unpriced.length },
    priced: estimate.priced.map((p) => ({ ...p, monthly: round(p.monthly) })),
    unpriced: estimate.unpriced,
    sources: estimate.sources,
    inventory: { source, complete },
  });
}
