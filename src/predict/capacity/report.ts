// What `predict capacity` prints: one row per series, soonest exhaustion first, and the JSON
// document with times as ISO 8601.

import { bandChart, bandLegend, type ChartBandPoint } from '../../render/chart.js';
import { escapeControls } from '../../render/escape.js';
import type { TableView } from '../../render/table.js';
import type { CapacityForecast } from './index.js';
import type { CapacityResult } from './run.js';

const DAY_MS = 86_400_000;
const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());
const minute = (ms: number | undefined) => (ms === undefined ? '' : new Date(ms).toISOString().slice(0, 16).replace('T', ' '));

/** "in 3.2 d", "in 5 h", "now". */
export function timeLeft(at: number | undefined, now: number): string {
  if (at === undefined) return '';
  const ms = at - now;
  if (ms <= 0) return 'now';
  return ms >= DAY_MS ? `${(ms / DAY_MS).toFixed(1)} d` : `${Math.max(1, Math.round(ms / 3_600_000))} h`;
}

export function capacityTable(result: CapacityResult, now: number, horizonMs: number): TableView<CapacityForecast> {
  const horizonDays = Math.round((horizonMs / DAY_MS) * 10) / 10;
  return {
    columns: [
      // Names come from Prometheus labels or the clouds: the table renderer escapes them.
      { header: 'series', value: (f) => f.name, minWidth: 16 },
      { header: 'level', value: (f) => (f.level === undefined ? '' : `${f.level.toFixed(1)}%`), align: 'right' },
      {
        header: 'trend/day',
        value: (f) => (f.slopePerDay === undefined ? '' : `${f.slopePerDay >= 0 ? '+' : ''}${f.slopePerDay.toFixed(2)}`),
        align: 'right',
        priority: 2,
      },
      // Past the horizon the date is in --json and the note; the table says only that it is later.
      { header: `reaches ${result.forecasts[0]?.threshold ?? 90}%`, value: (f) => (f.status === 'exhausts' ? minute(f.crossesAt) : '') },
      {
        header: 'in',
        value: (f) =>
          f.status === 'crossed'
            ? 'now'
            : f.status === 'exhausts'
              ? timeLeft(f.crossesAt, now)
              : f.status === 'beyond-horizon'
                ? `> ${horizonDays} d`
                : '',
        align: 'right',
      },
      {
        header: 'interval (95%)',
        value: (f) =>
          f.status !== 'exhausts' || f.earliest === undefined
            ? ''
            : `${minute(f.earliest)} – ${f.latest === undefined ? 'open' : minute(f.latest)}`,
        priority: 1,
      },
      { header: 'status', value: (f) => f.status },
      { header: 'note', value: (f) => f.note, priority: 3 },
    ],
    rows: result.forecasts,
  };
}

export function capacityJson(result: CapacityResult, request: { threshold: number; horizonMs: number; now: number }) {
  return {
    threshold: request.threshold,
    horizonDays: request.horizonMs / DAY_MS,
    now: iso(request.now),
    source: result.source,
    complete: result.complete,
    notes: result.notes,
    forecasts: result.forecasts.map((f) => ({
      seriesId: f.seriesId,
      name: f.name,
      ...(f.resource ? { resource: f.resource } : {}),
      status: f.status,
      note: f.note,
      level: f.level,
      lastAt: iso(f.lastAt),
      slopePerDay: f.slopePerDay,
      slopeInterval: f.slopeLowPerDay === undefined ? undefined : [f.slopeLowPerDay, f.slopeHighPerDay],
      crossesAt: iso(f.crossesAt),
      earliest: iso(f.earliest),
      latest: iso(f.latest),
      resetAt: iso(f.resetAt),
      fitted: f.fitted,
      dropped: f.dropped,
    })),
  };
}

/**
 * The chart of the soonest crossing: its history and the fitted line on to the threshold, the
 * band between the lines of the slope interval's ends (95%). Empty when nothing crosses ahead.
 */
export function capacityChart(result: CapacityResult, width: number): string[] {
  const soonest = result.forecasts.find((f) => f.status === 'exhausts' && f.crossesAt !== undefined && f.lastAt !== undefined);
  const history = soonest && result.series.find((s) => s.id === soonest.seriesId)?.points;
  if (!soonest || !history || soonest.slopePerDay === undefined) return [];
  const { threshold, crossesAt, earliest, latest, lastAt, slopePerDay, slopeLowPerDay, slopeHighPerDay } = soonest;
  const end = latest ?? crossesAt!;
  // As dense as the history, so the chart gives the forecast its share of the width.
  const historyStep = history.length > 1 ? (history.at(-1)!.t - history[0].t) / (history.length - 1) : DAY_MS;
  const steps = Math.min(5000, Math.max(2, Math.round((end - lastAt!) / historyStep)));
  const forecast: ChartBandPoint[] = [];
  const along = (slope: number | undefined, reaches: number | undefined, t: number) =>
    slope === undefined || reaches === undefined ? undefined : Math.min(100, threshold - (slope * (reaches - t)) / DAY_MS);
  for (let k = 1; k <= steps; k++) {
    const t = lastAt! + ((end - lastAt!) * k) / steps;
    forecast.push({
      t,
      mean: Math.min(100, along(slopePerDay, crossesAt, t)!),
      upper95: along(slopeHighPerDay, earliest, t),
      lower95: along(slopeLowPerDay, latest, t),
    });
  }
  const chart = bandChart({ history, forecast }, { width, height: 10, format: (v) => `${v.toFixed(1)}%` });
  if (chart.length === 0) return [];
  return ['', `${escapeControls(soonest.name)}: history and the fitted line to ${threshold}% (soonest crossing)`, ...chart, bandLegend()];
}
