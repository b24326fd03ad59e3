// predict_* tools: the month-end (or N-day) spend forecast with its intervals and the model the
// backtest chose (`guardian predict costs`), the anomalies the streaming detector flags in daily
// spend or machines' CPU (`predict anomalies`), when disks and storage fill up (`predict
// capacity`) and the machines most at risk (`predict risk`). Same functions as the commands.

import { MAX_LIMIT, page } from './bound.js';
import type { ChatTool, PredictQuery } from './types.js';

const CLOUDS_SCHEMA = { type: 'array', items: { type: 'string', enum: ['aws', 'azure', 'gcp'] }, uniqueItems: true, minItems: 1 };
const round2 = (n: number | undefined) => (n === undefined ? undefined : Math.round(n * 100) / 100);
const NO_BILLING = 'forecasts read the billing APIs and this session reads a saved snapshot (--input)';

export const predictCostsTool: ChatTool<{ horizonDays?: number; top?: number; clouds?: PredictQuery['costs']['clouds'] }> = {
  name: 'predict_costs',
  description:
    'Forecast of daily spend to month end (or horizonDays ahead) with 80% and 95% intervals, overall and per top service and account, per currency; the model was chosen by backtest and its error is given.',
  parameters: {
    type: 'object',
    additionalProperties: false,
    properties: {
      horizonDays: { type: 'integer', minimum: 1, maximum: 366, description: 'days ahead; omit for the month end' },
      top: { type: 'integer', minimum: 1, maximum: 20, description: 'services and accounts forecast (default 5)' },
      clouds: CLOUDS_SCHEMA,
    },
  },
  async run(args, ctx) {
    if (ctx.estate.mode === 'snapshot') throw new Error(NO_BILLING);
    const outcome = await ctx.estate.predictCosts({ horizonDays: args.horizonDays, top: args.top ?? 5, clouds: args.clouds });
    return {
      history: outcome.range,
      horizon: outcome.horizon,
      missing: outcome.costs?.report.missing ?? [],
      forecasts: outcome.forecasts.map((f) => ({
        series: f.seriesName,
        unit: f.unit,
        status: f.status,
        notes: f.notes,
        model: f.model,
        backtestError: round2(f.backtest?.scores.find((s) => s.model === f.model)?.error),
        total: f.total && {
          from: f.total.from,
          to: f.total.to,
          toDate: round2(f.total.toDate),
          forecast: round2(f.total.mean),
          interval80: f.total.interval && [round2(f.total.interval.lower80), round2(f.total.interval.upper80)],
          interval95: f.total.interval && [round2(f.total.interval.lower95), round2(f.total.interval.upper95)],
        },
      })),
    };
  },
};

export const predictAnomaliesTool: ChatTool<{
  source?: 'costs' | 'cpu';
  sinceDays?: number;
  top?: number;
  clouds?: PredictQuery['anomalies']['clouds'];
}> = {
  name: 'predict_anomalies',
  description:
    "Points the streaming anomaly detector flags, each scored from the past only, with its reason (e.g. '+240% against the expected 112 ± 18 for a Tuesday'): in daily spend per service and account (source costs, the default) or in machines' hourly CPU (source cpu).",
  parameters: {
    type: 'object',
    additionalProperties: false,
    properties: {
      source: { type: 'string', enum: ['costs', 'cpu'], description: 'default costs' },
      sinceDays: { type: 'integer', minimum: 1, maximum: 90, description: 'only anomalies this recent (default 7)' },
      top: { type: 'integer', minimum: 1, maximum: 20, description: 'services and accounts read for costs (default 5)' },
      clouds: CLOUDS_SCHEMA,
    },
  },
  async run(args, ctx) {
    const source = args.source ?? 'costs';
    if (source === 'costs' && ctx.estate.mode === 'snapshot') throw new Error(NO_BILLING);
    const report = await ctx.estate.anomalies({ source, sinceDays: args.sinceDays ?? 7, top: args.top ?? 5, clouds: args.clouds });
    const newest = [...report.anomalies].sort((a, b) => b.score - a.score);
    return {
      source: report.source,
      threshold: report.threshold,
      series: report.results.length,
      incomplete: report.incomplete,
      anomalies: page(
        newest.map((a) => ({
          series: a.seriesName,
          at: new Date(a.t).toISOString(),
          value: round2(a.value),
          expected: round2(a.expected),
          score: round2(a.score),
          reason: a.reason,
        })),
        MAX_LIMIT,
      ),
    };
  },
};

const iso = (t: number | undefined) => (t === undefined ? undefined : new Date(t).toISOString());

export const predictCapacityTool: ChatTool<{ horizonDays?: number; threshold?: number; clouds?: PredictQuery['capacity']['clouds'] }> = {
  name: 'predict_capacity',
  description:
    "When each machine's disk (and each database's storage) crosses the threshold (default 90%), from 14 days of hourly fill levels: the estimate with its interval, or why there is none (flat, falling, already crossed, no data).",
  parameters: {
    type: 'object',
    additionalProperties: false,
    properties: {
      horizonDays: { type: 'integer', minimum: 1, maximum: 365, description: 'how far ahead counts as soon (default 30)' },
      threshold: { type: 'number', exclusiveMinimum: 0, maximum: 100, description: 'percent full (default 90)' },
      clouds: CLOUDS_SCHEMA,
    },
  },
  async run(args, ctx) {
    const result = await ctx.estate.capacity({ horizonDays: args.horizonDays ?? 30, threshold: args.threshold ?? 90, clouds: args.clouds });
    const dated = result.forecasts.filter((f) => f.crossesAt !== undefined || f.status === 'crossed');
    return {
      source: result.source,
      complete: result.complete,
      notes: result.notes,
      series: result.forecasts.length,
      byStatus: Object.entries(
        result.forecasts.reduce<Record<string, number>>((counts, f) => {
          counts[f.status] = (counts[f.status] ?? 0) + 1;
          return counts;
        }, {}),
      ).map(([status, count]) => ({ status, count })),
      soonest: page(
        dated.map((f) => ({
          resource: f.resource?.id ?? f.name,
          kind: f.resource?.kind,
          account: f.resource?.account,
          status: f.status,
          level: round2(f.level),
          crossesAt: iso(f.crossesAt),
          earliest: iso(f.earliest),
          latest: iso(f.latest),
          note: f.note,
        })),
        MAX_LIMIT,
      ),
    };
  },
};

export const predictRiskTool: ChatTool<{ horizonDays?: number; clouds?: PredictQuery['risk']['clouds'] }> = {
  name: 'predict_risk',
  description:
    'Machines ranked by the chance of trouble within the horizon (default 7 days), each with its evidence: scheduled cloud maintenance events, capacity exhaustion, sustained CPU saturation and recent anomalies.',
  parameters: {
    type: 'object',
    additionalProperties: false,
    properties: {
      horizonDays: { type: 'integer', minimum: 1, maximum: 90, description: 'default 7' },
      clouds: CLOUDS_SCHEMA,
    },
  },
  async run(args, ctx) {
    const result = await ctx.estate.risk({ horizonDays: args.horizonDays ?? 7, clouds: args.clouds });
    const atRisk = result.risks.filter((r) => r.score > 0);
    return {
      source: result.source,
      complete: result.complete,
      skipped: result.skipped,
      machines: result.risks.length,
      atRisk: page(
        atRisk.map((r) => ({
          resource: r.resource.id,
          name: r.resource.name,
          kind: r.resource.kind,
          account: r.resource.account,
          region: r.resource.region,
          score: round2(r.score),
          signals: r.signals.map((s) => ({ kind: s.kind, probability: round2(s.probability), at: iso(s.at), evidence: s.evidence })),
        })),
        20,
      ),
    };
  },
};
