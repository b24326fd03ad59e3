// `predict risk`'s core, pure: each resource's chance of trouble within the horizon from the
// signals found for it — scheduled maintenance the cloud reports, capacity exhaustion, sustained
// CPU saturation, recent anomalies — each signal a probability with its evidence, combined as the
// chance that at least one of them happens (1 − Π(1 − pᵢ), the signals taken as independent).
// docs/predict-risk.md says where each probability comes from.

import type { Anomaly } from '../../model/anomaly.js';
import type { ResourceRef } from '../../model/metric.js';
import type { ScheduledEvent } from '../../model/resource.js';
import type { CapacityForecast } from '../capacity/index.js';

export type SignalKind = 'maintenance' | 'capacity' | 'saturation' | 'anomaly';
export const SIGNAL_KINDS: readonly SignalKind[] = ['maintenance', 'capacity', 'saturation', 'anomaly'];

export interface RiskSignal {
  kind: SignalKind;
  /** 0–1: the chance this signal turns into trouble within the horizon. */
  probability: number;
  /** Epoch ms the trouble is expected at, when the signal says. */
  at?: number;
  /** One line a person can act on. Text from clouds: escape before printing. */
  evidence: string;
}

export interface ResourceRisk {
  resource: ResourceRef;
  /** 0–1, the chance of at least one signal's trouble within the horizon. */
  score: number;
  signals: RiskSignal[];
}

/**
 * The chance each scheduled event code disrupts the machine: retirements and stops take it
 * down unless someone moves it first; reboots restart it; system maintenance is often live.
 */
export const EVENT_PROBABILITY: Record<string, number> = {
  'instance-retirement': 0.95,
  'instance-stop': 0.95,
  'instance-reboot': 0.8,
  'system-reboot': 0.8,
  'system-maintenance': 0.6,
};
/** A crossing the interval puts wholly inside the horizon, and a threshold already crossed. */
export const CAPACITY_WITHIN = 0.9;
export const CAPACITY_CROSSED = 0.95;

const day = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace('T', ' ');

export interface Window {
  now: number;
  horizonMs: number;
}

export function maintenanceSignals(events: readonly ScheduledEvent[] | undefined, window: Window): RiskSignal[] {
  const signals: RiskSignal[] = [];
  for (const event of events ?? []) {
    if (event.state !== 'scheduled') continue;
    const start = event.notBefore ? Date.parse(event.notBefore) : Number.NaN;
    const end = event.notAfter ? Date.parse(event.notAfter) : start;
    // Past its window it is over (EC2 marks it completed a little later); past the horizon, not yet news.
    if (Number.isFinite(end) && end < window.now) continue;
    if (Number.isFinite(start) && start > window.now + window.horizonMs) continue;
    const probability = EVENT_PROBABILITY[event.code] ?? 0.5;
    const when = Number.isFinite(start) ? ` from ${day(start)}${event.notAfter ? ` to ${day(end)}` : ''}` : '';
    signals.push({
      kind: 'maintenance',
      probability,
      ...(Number.isFinite(start) ? { at: start } : {}),
      evidence: `${event.code} scheduled${when}${event.description ? `: ${event.description}` : ''}`,
    });
  }
  return signals;
}

export function capacitySignal(forecast: CapacityForecast, window: Window): RiskSignal | undefined {
  const horizon = window.now + window.horizonMs;
  if (forecast.status === 'crossed')
    return { kind: 'capacity', probability: CAPACITY_CROSSED, at: forecast.lastAt, evidence: `${forecast.name}: ${forecast.note}` };
  if (forecast.status !== 'exhausts' || forecast.crossesAt === undefined || forecast.earliest === undefined) return undefined;
  // The share of the crossing's interval that falls inside the horizon (an open interval counts half).
  const share =
    forecast.latest === undefined
      ? 0.5
      : forecast.latest <= horizon
        ? 1
        : Math.max(0, (horizon - forecast.earliest) / Math.max(1, forecast.latest - forecast.earliest));
  if (share <= 0) return undefined;
  return { kind: 'capacity', probability: CAPACITY_WITHIN * share, at: forecast.crossesAt, evidence: `${forecast.name}: ${forecast.note}` };
}

/**
 * Sustained saturation: the share of the window's hours whose average CPU was at or over the
 * limit. Under a fifth of the hours is headroom used, not a risk; from there the chance rises
 * with the share, to 0.8 when every hour was saturated.
 */
export function saturationSignal(hourlyCpuPercent: readonly number[], limit = 90): RiskSignal | undefined {
  const values = hourlyCpuPercent.filter(Number.isFinite);
  if (values.length < 24) return undefined;
  const over = values.filter((v) => v >= limit).length / values.length;
  if (over < 0.2) return undefined;
  const probability = 0.2 + 0.6 * ((over - 0.2) / 0.8);
  const sorted = [...values].sort((a, b) => a - b);
  const p95 = sorted[Math.max(0, Math.ceil(0.95 * sorted.length) - 1)];
  return {
    kind: 'saturation',
    probability,
    evidence: `CPU at or over ${limit}% in ${Math.round(over * 100)}% of ${values.length} hours (hourly p95 ${p95.toFixed(1)}%)${over >= 0.5 ? ': saturated most of the time' : ''}`,
  };
}

/** Recent anomalies of a resource's series: the strongest one stands for them, its score as the chance. */
export function anomalySignal(anomalies: readonly Anomaly[]): RiskSignal | undefined {
  if (anomalies.length === 0) return undefined;
  const strongest = [...anomalies].sort((a, b) => b.score - a.score)[0];
  return {
    kind: 'anomaly',
    probability: Math.min(0.6, 0.6 * strongest.score),
    at: strongest.t,
    evidence: `${anomalies.length} recent anomal${anomalies.length === 1 ? 'y' : 'ies'} in ${strongest.seriesName}, strongest at ${day(strongest.t)}: ${strongest.reason}`,
  };
}

export function combine(resource: ResourceRef, signals: RiskSignal[]): ResourceRisk {
  const score = 1 - signals.reduce((left, s) => left * (1 - Math.min(1, Math.max(0, s.probability))), 1);
  return { resource, score, signals: [...signals].sort((a, b) => b.probability - a.probability) };
}

/** Highest score first; ties by the soonest signal, then by name. */
export function rank(risks: ResourceRisk[]): ResourceRisk[] {
  const soonest = (r: ResourceRisk) => Math.min(...r.signals.map((s) => s.at ?? Number.POSITIVE_INFINITY));
  return [...risks].sort((a, b) => b.score - a.score || soonest(a) - soonest(b) || a.resource.name.localeCompare(b.resource.name));
}
