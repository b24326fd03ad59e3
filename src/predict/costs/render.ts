// How `predict costs` looks: a table of every series' forecast total with its intervals, the
// model that won and its backtest error, a band chart per currency's total, and the notes; or the
// --json document (its shape: docs/predict-costs.md).

import type { SeriesForecast } from '../../model/forecast.js';
import { bandChart, bandLegend } from '../../render/chart.js';
import { escapeControls } from '../../render/escape.js';
import { type TableOptions, toJson, toTable } from '../../render/output.js';
import type { PredictCostsOutcome } from './run.js';

const money = (amount: number) => amount.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const percent = (fraction: number) => `${(fraction * 100).toFixed(1)}%`;
const iso = (t: number) => new Date(t).toISOString().slice(0, 10);

function horizonText(outcome: PredictCostsOutcome): string {
  const ok = outcome.forecasts.find((f) => f.total);
  const to = ok?.total?.to;
  if (outcome.horizon.kind === 'days') return `the next ${outcome.horizon.days} days${to ? ` (to ${to})` : ''}`;
  return `month end${to ? ` (${to})` : ''}`;
}

function band(low: number | undefined, high: number | undefined): string {
  return low === undefined || high === undefined ? '—' : `${money(low)} – ${money(high)}`;
}

export function predictCostsTable(outcome: PredictCostsOutcome, options: TableOptions & { chartWidth?: number }): string {
  const out: string[] = [];
  out.push(
    `Spend forecast to ${horizonText(outcome)}, from ${outcome.source === 'file' ? 'the file' : 'billing data'} ${outcome.range.first} to ${outcome.range.last}`,
  );
  const ok = outcome.forecasts.filter((f) => f.status === 'ok');
  if (ok.length > 0) {
    out.push('');
    out.push(
      toTable(
        {
          columns: [
            { header: 'Series', value: (f: SeriesForecast) => f.seriesName },
            { header: 'Currency', value: (f) => f.unit ?? '' },
            { header: 'Model', value: (f) => f.model ?? 'flat' },
            {
              header: 'Backtest error',
              value: (f) => (f.backtest ? percent(f.backtest.scores[0].error) : '—'),
              align: 'right',
            },
            {
              header: outcome.horizon.kind === 'month-end' ? 'Month to date' : 'To date',
              value: (f) => money(f.total?.toDate ?? 0),
              align: 'right',
            },
            { header: 'Forecast', value: (f) => money(f.total?.mean ?? 0), align: 'right' },
            { header: '80% interval', value: (f) => band(f.total?.interval?.lower80, f.total?.interval?.upper80), align: 'right' },
            { header: '95% interval', value: (f) => band(f.total?.interval?.lower95, f.total?.interval?.upper95), align: 'right' },
          ],
          rows: ok,
        },
        options,
      ),
    );
    out.push(
      outcome.horizon.kind === 'month-end'
        ? "Forecast: the month's total, month to date included. Backtest error: the winning model's mean absolute month-end error over the history."
        : "Forecast: the total over the horizon. Backtest error: the winning model's mean absolute error of that total over the history.",
    );
  }
  for (const total of ok.filter((f) => f.labels.scope === 'total')) {
    // The history shown: twice the forecast's length, at least eight weeks.
    const history = (outcome.histories.get(total.seriesId) ?? []).slice(-Math.max(56, 2 * total.points.length));
    const chart = bandChart({ history, forecast: total.points }, { width: options.chartWidth ?? 80, height: 10 });
    if (chart.length === 0) continue;
    const fit = total.backtest?.scores.map((s) => `${s.model} ${percent(s.error)}`).join(', ');
    out.push(
      '',
      `Daily spend, ${escapeControls(total.seriesName)}: history and forecast (${total.model ?? 'flat'}${fit ? `; backtest: ${fit}` : ''})`,
    );
    out.push(...chart, bandLegend());
    if (total.monthlyCharges)
      out.push(
        `Monthly charges found and added on their day: ${total.monthlyCharges.map((c) => `${money(c.amount)} on day ${c.dayOfMonth}`).join('; ')}`,
      );
  }
  const notes = outcome.forecasts.flatMap((f) => f.notes.map((note) => `${escapeControls(f.seriesName)}: ${escapeControls(note)}`));
  if (notes.length > 0) out.push('', 'Notes:', ...notes.map((n) => `  ${n}`));
  if (ok.length === 0 && notes.length === 0) out.push('', 'No spend to forecast.');
  return out.join('\n');
}

export function predictCostsJson(outcome: PredictCostsOutcome): string {
  return toJson('guardian.predict.costs', {
    source: outcome.source,
    history: outcome.range,
    horizon: outcome.horizon,
    forecasts: outcome.forecasts.map((f) => ({ ...f, points: f.points.map((p) => ({ date: iso(p.t), ...p })) })),
    ...(outcome.costs
      ? {
          clouds: outcome.costs.report.clouds,
          missing: outcome.costs.report.missing,
          failures: outcome.costs.failures,
        }
      : {}),
  });
}
