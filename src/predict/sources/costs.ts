// Daily spend as the predictors read it: the billing readers' series (through src/costs/live.ts,
// the same reads and cache as `guardian costs`) or a saved file, turned into one `Series` per
// currency overall, per top service and per top account. Currencies are never added together:
// each series is in one currency, named in its id, unit and labels.

import { readFile } from 'node:fs/promises';
import type { CostsOutcome } from '../../costs/run.js';
import type { RunContext } from '../../discovery/run.js';
import { UsageError } from '../../errors.js';
import type { CostMetric, CostSeries } from '../../model/cost.js';
import type { Cloud } from '../../model/resource.js';
import type { Series } from '../../model/series.js';

const DAY_MS = 86_400_000;

export type CostScope = 'total' | 'service' | 'account';

const dayOf = (iso: string) => Math.floor(Date.parse(`${iso}T00:00:00Z`) / DAY_MS);
const isoOf = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);

interface Accumulator {
  id: string;
  name: string;
  currency: string;
  labels: Record<string, string>;
  byDay: Map<number, number>;
  total: number;
}

function seriesOf(acc: Accumulator, first: number, last: number): Series {
  const points = [];
  // Billing data covers every day of the range asked for: a day without a figure is no spend.
  for (let day = first; day <= last; day++) points.push({ t: day * DAY_MS, v: Math.round((acc.byDay.get(day) ?? 0) * 100) / 100 });
  return { id: acc.id, name: acc.name, unit: acc.currency, labels: acc.labels, points };
}

/**
 * Daily series from the cost readers' service-grouped series covering [first, last]: per
 * currency the total, then its top `top` services and top `top` accounts by spend over the range.
 */
export function costHistorySeries(series: CostSeries[], range: { first: string; last: string }, top: number): Series[] {
  const first = dayOf(range.first);
  const last = dayOf(range.last);
  const accs = new Map<string, Accumulator>();
  const add = (key: string, make: () => Omit<Accumulator, 'byDay' | 'total'>, day: number, amount: number) => {
    let acc = accs.get(key);
    if (!acc) {
      acc = { ...make(), byDay: new Map(), total: 0 };
      accs.set(key, acc);
    }
    acc.byDay.set(day, (acc.byDay.get(day) ?? 0) + amount);
    acc.total += amount;
  };
  for (const s of series) {
    if (s.granularity !== 'daily') continue;
    for (const group of s.groups) {
      for (const point of group.points) {
        const day = dayOf(point.date);
        if (day < first || day > last) continue;
        const currency = point.currency;
        add(`total\u0000${currency}`, () => total(currency), day, point.amount);
        add(`service\u0000${currency}\u0000${s.cloud}\u0000${group.key}`, () => service(currency, s.cloud, group.key), day, point.amount);
        add(
          `account\u0000${currency}\u0000${s.cloud}\u0000${group.account}`,
          () => account(currency, s.cloud, group.account),
          day,
          point.amount,
        );
      }
    }
  }
  const totals = [...accs.values()].filter((a) => a.labels.scope === 'total').sort((a, b) => b.total - a.total);
  const out: Series[] = [];
  for (const totalAcc of totals) {
    out.push(seriesOf(totalAcc, first, last));
    for (const scope of ['service', 'account'] as const) {
      const ranked = [...accs.values()]
        .filter((a) => a.labels.scope === scope && a.currency === totalAcc.currency)
        .sort((a, b) => b.total - a.total || a.id.localeCompare(b.id))
        .slice(0, top);
      for (const acc of ranked) out.push(seriesOf(acc, first, last));
    }
  }
  return out;
}

function total(currency: string) {
  return { id: `costs/${currency}/total`, name: `total ${currency}`, currency, labels: { scope: 'total', currency } };
}
function service(currency: string, cloud: Cloud, key: string) {
  return {
    id: `costs/${currency}/service/${cloud}/${key}`,
    name: `${cloud} ${key}`,
    currency,
    labels: { scope: 'service', currency, cloud, service: key },
  };
}
function account(currency: string, cloud: Cloud, key: string) {
  return {
    id: `costs/${currency}/account/${cloud}/${key}`,
    name: `${cloud} account ${key}`,
    currency,
    labels: { scope: 'account', currency, cloud, account: key },
  };
}

export interface LiveCostSeriesRequest {
  /** The last day with data (UTC today, or the demo cloud's day). */
  today: string;
  /** Days of history up to and including `today`. */
  historyDays: number;
  top: number;
  metric: CostMetric;
  clouds?: Cloud[];
  timeoutMs?: number;
  callTimeoutMs?: number;
  cache: boolean;
  onStart?: (clouds: Cloud[]) => void;
}

/** What a live read gives the forecaster: the series and the `guardian costs` outcome they came from (missing clouds, failures). */
export interface CostSeriesOutcome {
  series: Series[];
  outcome: CostsOutcome;
  range: { first: string; last: string };
}

/** Daily spend by service over the history, read as `guardian costs --last Nd` reads it (one billing query per cloud). */
export async function readCostSeries(
  ctx: Pick<RunContext, 'env' | 'signal' | 'openSession'>,
  request: LiveCostSeriesRequest,
): Promise<CostSeriesOutcome> {
  const { readLiveCosts } = await import('../../costs/live.js');
  const last = dayOf(request.today);
  const first = last - request.historyDays + 1;
  const start = isoOf(first);
  const end = isoOf(last + 1);
  const outcome = await readLiveCosts(ctx, {
    clouds: request.clouds,
    current: { start, end, days: request.historyDays, label: `last ${request.historyDays} days` },
    previous: { start, end: start, days: 0, label: 'none' },
    today: request.today,
    metric: request.metric,
    granularity: 'daily',
    dimensions: ['service'],
    top: request.top,
    cache: request.cache,
    timeoutMs: request.timeoutMs,
    callTimeoutMs: request.callTimeoutMs,
    onStart: request.onStart,
  });
  const range = { first: start, last: request.today };
  return { series: costHistorySeries(outcome.byService, range, request.top), outcome, range };
}

/** A saved file's series: a `guardian costs --json` document (daily) or CSV `date,amount[,currency]`. */
export interface CostFile {
  series: Series[];
  /** Lines of the file that were not used, and why (for stderr). */
  notes: string[];
}

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

function fromPoints(points: { date: string; amount: number; currency: string }[]): Series[] {
  const byCurrency = new Map<string, Map<number, number>>();
  for (const p of points) {
    const days = byCurrency.get(p.currency) ?? new Map<number, number>();
    const day = dayOf(p.date);
    days.set(day, (days.get(day) ?? 0) + p.amount);
    byCurrency.set(p.currency, days);
  }
  // The currency with the most spend first, as the billing series are ordered.
  const spend = (days: Map<number, number>) => [...days.values()].reduce((sum, v) => sum + v, 0);
  const ordered = [...byCurrency.entries()].sort((a, b) => spend(b[1]) - spend(a[1]) || a[0].localeCompare(b[0]));
  return ordered.map(([currency, days]) => {
    const sorted = [...days.keys()].sort((a, b) => a - b);
    const out = [];
    // A file's missing day is a gap (NaN), not zero spend: the file may simply not have it.
    for (let day = sorted[0]; day <= sorted[sorted.length - 1]; day++) out.push({ t: day * DAY_MS, v: days.get(day) ?? Number.NaN });
    return { ...total(currency), unit: currency, points: out };
  });
}

export function parseCostFile(text: string, file: string): CostFile {
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{')) {
    let doc: { kind?: unknown; granularity?: unknown; series?: unknown };
    try {
      doc = JSON.parse(text);
    } catch (error) {
      throw new UsageError(`--input ${file}: not valid JSON (${(error as Error).message.split('\n')[0]})`);
    }
    if (doc.kind !== 'guardian.costs' || !Array.isArray(doc.series))
      throw new UsageError(`--input ${file}: not a 'guardian costs --json' document (kind guardian.costs with a series)`);
    if (doc.granularity !== 'daily')
      throw new UsageError(
        `--input ${file}: the spend is ${String(doc.granularity)}, not daily; save it with 'guardian costs --last 180d --json'`,
      );
    const points: { date: string; amount: number; currency: string }[] = [];
    for (const p of doc.series as { date?: unknown; amount?: unknown; currency?: unknown }[]) {
      if (typeof p?.date !== 'string' || !ISO_DAY.test(p.date) || typeof p.amount !== 'number' || typeof p.currency !== 'string')
        throw new UsageError(`--input ${file}: a series point is not {date, amount, currency}`);
      points.push({ date: p.date, amount: p.amount, currency: p.currency });
    }
    if (points.length === 0) throw new UsageError(`--input ${file}: the document has no daily spend`);
    return { series: fromPoints(points), notes: [] };
  }
  const notes: string[] = [];
  const points: { date: string; amount: number; currency: string }[] = [];
  const seen = new Set<string>();
  const rows = text.split(/\r?\n/);
  rows.forEach((row, index) => {
    const line = row.trim();
    if (line === '') return;
    const cells = line.split(',').map((c) => c.trim().replace(/^"(.*)"$/, '$1'));
    if (index === 0 && /^date$/i.test(cells[0])) return;
    const [date, amountText, currencyText] = cells;
    const where = `line ${index + 1}`;
    if (!ISO_DAY.test(date ?? '') || Number.isNaN(Date.parse(`${date}T00:00:00Z`))) {
      throw new UsageError(`--input ${file}: ${where}: '${date ?? ''}' is not a date (the CSV is date,amount[,currency])`);
    }
    const amount = Number(amountText);
    if (amountText === undefined || amountText === '' || !Number.isFinite(amount)) {
      // NaN, Inf or an empty amount: that day is a gap, said once per line.
      notes.push(`${where}: amount '${amountText ?? ''}' on ${date} is not a finite number; the day is treated as a gap`);
      return;
    }
    const currency = (currencyText || 'USD').toUpperCase();
    if (!/^[A-Z]{3}$/.test(currency)) throw new UsageError(`--input ${file}: ${where}: '${currencyText}' is not a currency code`);
    if (seen.has(`${date}\u0000${currency}`)) throw new UsageError(`--input ${file}: ${where}: ${date} appears twice for ${currency}`);
    seen.add(`${date}\u0000${currency}`);
    points.push({ date, amount, currency });
  });
  if (points.length === 0) throw new UsageError(`--input ${file}: no daily amounts (the CSV is date,amount[,currency])`);
  return { series: fromPoints(points), notes };
}

export async function readCostFile(file: string): Promise<CostFile> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(
      `--input ${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (error as Error).message}`,
    );
  }
  return parseCostFile(text, file);
}
