// `guardian predict costs`: daily spend from the billing APIs (or a saved file) as series
// (sources/costs.ts), each forecast to the horizon (index.ts), with what was missing beside them.

import type { CostsOutcome } from '../../costs/run.js';
import type { RunContext } from '../../discovery/run.js';
import type { SeriesForecast } from '../../model/forecast.js';
import type { Cloud } from '../../model/resource.js';
import type { TimePoint } from '../../model/series.js';
import { forecastSeries, type Horizon } from '../forecast/index.js';
import { readCostFile, readCostSeries } from '../sources/costs.js';

export interface PredictCostsRequest {
  horizon: Horizon;
  historyDays: number;
  top: number;
  /** A saved `guardian costs --json` or CSV date,amount[,currency]; undefined: the billing APIs. */
  input?: string;
  /** The last day with data when reading live (UTC today, or the demo cloud's day). */
  today: string;
  clouds?: Cloud[];
  timeoutMs?: number;
  callTimeoutMs?: number;
  cache: boolean;
  onStart?: (clouds: Cloud[]) => void;
}

export interface PredictCostsOutcome {
  source: 'billing' | 'file';
  /** The history read: first and last day (ISO). */
  range: { first: string; last: string };
  horizon: Horizon;
  forecasts: SeriesForecast[];
  /** Lines of a file that were not used (for stderr). */
  notes: string[];
  /** Each series' history by id, for the chart. */
  histories: Map<string, TimePoint[]>;
  /** The live read's outcome (missing clouds, failures); absent for a file. */
  costs?: CostsOutcome;
}

const DAY_MS = 86_400_000;

export async function predictCosts(
  ctx: Pick<RunContext, 'env' | 'signal' | 'openSession'>,
  request: PredictCostsRequest,
): Promise<PredictCostsOutcome> {
  if (request.input) {
    const file = await readCostFile(request.input);
    // The history asked for, counted back from the file's last day.
    const series = file.series.map((s) => ({ ...s, points: s.points.slice(-request.historyDays) }));
    const first = Math.min(...series.map((s) => s.points[0].t));
    const last = Math.max(...series.map((s) => s.points[s.points.length - 1].t));
    const range = { first: new Date(first).toISOString().slice(0, 10), last: new Date(last).toISOString().slice(0, 10) };
    // Series that stop before the file's last day would be forecast from a different day: align them.
    const forecasts = series.map((s) => {
      const end = s.points[s.points.length - 1].t;
      const padded = [...s.points];
      for (let t = end + DAY_MS; t <= last; t += DAY_MS) padded.push({ t, v: Number.NaN });
      return forecastSeries({ ...s, points: padded }, { horizon: request.horizon });
    });
    const histories = new Map(series.map((s) => [s.id, s.points]));
    return { source: 'file', range, horizon: request.horizon, forecasts, notes: file.notes, histories } satisfies PredictCostsOutcome;
  }
  const read = await readCostSeries(ctx, {
    today: request.today,
    historyDays: request.historyDays,
    top: request.top,
    metric: 'unblended',
    clouds: request.clouds,
    timeoutMs: request.timeoutMs,
    callTimeoutMs: request.callTimeoutMs,
    cache: request.cache,
    onStart: request.onStart,
  });
  const forecasts = read.series.map((s) => forecastSeries(s, { horizon: request.horizon }));
  return {
    source: 'billing',
    range: read.range,
    horizon: request.horizon,
    forecasts,
    notes: [],
    histories: new Map(read.series.map((s) => [s.id, s.points])),
    costs: read.outcome,
  } satisfies PredictCostsOutcome;
}
