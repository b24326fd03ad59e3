// A terminal chart of a series' history and its forecast band, for `predict` (costs, capacity).
// Plain characters, no colour and no cursor movement, so it reads the same on a TTY, in a pipe
// and in CI logs; it fits the width it is given by averaging neighbouring days into one column.
// Written here rather than taken from asciichart, which draws lines only (no band, no gaps).

export interface ChartBandPoint {
  /** Epoch milliseconds. */
  t: number;
  mean: number;
  lower80?: number;
  upper80?: number;
  lower95?: number;
  upper95?: number;
}

export interface ChartInput {
  /** What was observed, in time order; NaN marks a gap (left blank). */
  history: { t: number; v: number }[];
  /** What is forecast after the history, in time order. */
  forecast?: ChartBandPoint[];
}

export interface ChartOptions {
  /** Columns the whole chart may use, labels included (default 80; at least 30). */
  width?: number;
  /** Rows of the plot (default 10; at least 3). */
  height?: number;
  /** The value labels on the axis (default: two decimals, thousands separated). */
  format?: (value: number) => string;
}

export const CHART_SYMBOLS = { history: '•', forecast: '◦', band80: '▒', band95: '░' } as const;

const defaultFormat = (value: number) => value.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

interface Column {
  value?: number;
  mean?: number;
  lower80?: number;
  upper80?: number;
  lower95?: number;
  upper95?: number;
  /** The first and last day the column averages. */
  t: number;
  tLast: number;
}

const finite = (values: (number | undefined)[]) => values.filter((v): v is number => v !== undefined && Number.isFinite(v));
const meanOf = (values: (number | undefined)[]) => {
  const list = finite(values);
  return list.length > 0 ? list.reduce((sum, v) => sum + v, 0) / list.length : undefined;
};

/** `count` points into `columns` buckets of neighbours (one per point when they fit). */
function buckets<T>(points: T[], columns: number): T[][] {
  if (points.length <= columns) return points.map((p) => [p]);
  const out: T[][] = [];
  for (let c = 0; c < columns; c++) {
    const from = Math.floor((c * points.length) / columns);
    const to = Math.floor(((c + 1) * points.length) / columns);
    out.push(points.slice(from, Math.max(to, from + 1)));
  }
  return out;
}

const isoDay = (t: number) => new Date(t).toISOString().slice(0, 10);

/** The chart's lines (no trailing newline); empty when there is nothing finite to draw. */
export function bandChart(input: ChartInput, options: ChartOptions = {}): string[] {
  const format = options.format ?? defaultFormat;
  const height = Math.max(3, Math.floor(options.height ?? 10));
  const width = Math.max(30, Math.floor(options.width ?? 80));
  const forecast = input.forecast ?? [];
  const all = [
    ...finite(input.history.map((p) => p.v)),
    ...finite(forecast.flatMap((p) => [p.mean, p.lower80, p.upper80, p.lower95, p.upper95])),
  ];
  if (all.length === 0) return [];
  let min = Math.min(...all);
  let max = Math.max(...all);
  if (max === min) {
    const pad = Math.abs(max) * 0.1 || 1;
    min -= pad;
    max += pad;
  }
  const labels = [max, (max + min) / 2, min].map(format);
  const labelWidth = Math.max(...labels.map((l) => l.length));
  const plotWidth = width - labelWidth - 2;
  const total = input.history.length + forecast.length;
  // History and forecast get columns in proportion to their days, at least one each when present.
  let forecastColumns = forecast.length === 0 ? 0 : Math.max(1, Math.round((plotWidth * forecast.length) / total));
  if (input.history.length > 0 && forecastColumns >= plotWidth) forecastColumns = plotWidth - 1;
  const historyColumns = input.history.length === 0 ? 0 : plotWidth - forecastColumns;
  const columns: Column[] = [
    ...buckets(input.history, historyColumns).map((group) => ({
      t: group[0].t,
      tLast: group[group.length - 1].t,
      value: meanOf(group.map((p) => p.v)),
    })),
    ...buckets(forecast, forecastColumns).map((group) => ({
      t: group[0].t,
      tLast: group[group.length - 1].t,
      mean: meanOf(group.map((p) => p.mean)),
      lower80: meanOf(group.map((p) => p.lower80)),
      upper80: meanOf(group.map((p) => p.upper80)),
      lower95: meanOf(group.map((p) => p.lower95)),
      upper95: meanOf(group.map((p) => p.upper95)),
    })),
  ];
  const rowOf = (value: number) => Math.round(((max - value) / (max - min)) * (height - 1));
  const grid = Array.from({ length: height }, () => Array.from({ length: columns.length }, () => ' '));
  const fill = (x: number, low: number | undefined, high: number | undefined, symbol: string) => {
    if (low === undefined || high === undefined) return;
    for (let r = rowOf(high); r <= rowOf(low); r++) grid[r][x] = symbol;
  };
  columns.forEach((column, x) => {
    if (column.value !== undefined) grid[rowOf(column.value)][x] = CHART_SYMBOLS.history;
    fill(x, column.lower95, column.upper95, CHART_SYMBOLS.band95);
    fill(x, column.lower80, column.upper80, CHART_SYMBOLS.band80);
    if (column.mean !== undefined) grid[rowOf(column.mean)][x] = CHART_SYMBOLS.forecast;
  });
  const middle = Math.floor((height - 1) / 2);
  const lines = grid.map((row, r) => {
    const label = r === 0 ? labels[0] : r === height - 1 ? labels[2] : r === middle ? labels[1] : '';
    return `${label.padStart(labelWidth)} ┤${row.join('')}`.trimEnd();
  });
  lines.push(`${' '.repeat(labelWidth)} └${'─'.repeat(columns.length)}`);
  const first = isoDay(columns[0].t);
  const last = isoDay(columns[columns.length - 1].tLast);
  let axis = `${first}${' '.repeat(Math.max(1, columns.length - first.length - last.length))}${last}`;
  if (historyColumns > 0 && forecastColumns > 0) {
    // A mark under the first forecast column, when it does not run into the dates.
    const at = historyColumns;
    if (at > first.length && at < columns.length - last.length - 1) axis = `${axis.slice(0, at)}^${axis.slice(at + 1)}`;
  }
  lines.push(`${' '.repeat(labelWidth + 2)}${axis}`);
  return lines;
}

/** The legend under a band chart. */
export function bandLegend(): string {
  const s = CHART_SYMBOLS;
  return `${s.history} history   ${s.forecast} forecast   ${s.band80} 80% interval   ${s.band95} 95% interval   ^ first forecast day`;
}
