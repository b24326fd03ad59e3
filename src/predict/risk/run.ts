// `guardian predict risk` below the command: the machines of a snapshot (--input) or a live
// discovery, their scheduled events (read by discovery, so a snapshot has them), and — unless
// only snapshot signals are asked for — their metrics over the window: fill levels for capacity,
// hourly CPU for saturation and for the anomaly detector. Each resource's signals become its score.

import { DEFAULT_CALL_TIMEOUT_MS, DEFAULT_CONCURRENCY, DEFAULT_SCOPE_CONCURRENCY, type RunContext } from '../../discovery/run.js';
import type { Anomaly } from '../../model/anomaly.js';
import { type MetricName, type MetricSeries, resourceRef } from '../../model/metric.js';
import type { Cloud, Resource, ResourceKind } from '../../model/resource.js';
import { forecastOne } from '../capacity/index.js';
import { fillSeries } from '../capacity/run.js';
import {
  anomalySignal,
  capacitySignal,
  combine,
  maintenanceSignals,
  type ResourceRisk,
  type RiskSignal,
  rank,
  type SignalKind,
  saturationSignal,
} from './index.js';

const RISK_KINDS: ResourceKind[] = ['aws.ec2.instance', 'aws.rds.instance', 'azure.compute.vm', 'gcp.compute.instance'];
const FILL_METRIC: Partial<Record<ResourceKind, MetricName>> = {
  'aws.ec2.instance': 'disk-used',
  'aws.rds.instance': 'free-storage',
  'azure.compute.vm': 'disk-used',
  'gcp.compute.instance': 'disk-used',
};
const DAY_MS = 86_400_000;

/** The anomaly detector's seam: series in, anomalies out (src/predict/anomaly's detectAnomalies). */
export type AnomalyDetector = (series: import('../../model/series.js').Series) => Anomaly[];

export interface RiskRequest {
  input?: string;
  providers?: Cloud[];
  regions?: string[];
  signals: readonly SignalKind[];
  /** Epoch ms; the metrics window is [start, end) at stepSeconds, the horizon counts from now. */
  now: number;
  horizonMs: number;
  start: number;
  end: number;
  stepSeconds: number;
  threshold: number;
  saturation: number;
  timeoutMs?: number;
  callTimeoutMs?: number;
  /** Anomalies this recent count (default: the last day of the window). */
  recentMs?: number;
  detector?: AnomalyDetector;
}

export interface RiskResult {
  risks: ResourceRisk[];
  notes: string[];
  complete: boolean;
  source: string;
  /** Signals asked for that could not be looked at, with why. */
  skipped: { kind: SignalKind; reason: string }[];
}

export async function runRisk(ctx: RunContext, request: RiskRequest): Promise<RiskResult> {
  const signal = request.timeoutMs ? AbortSignal.any([ctx.signal, AbortSignal.timeout(request.timeoutMs)]) : ctx.signal;
  const { loadInventory } = await import('../../discovery/load.js');
  const inventory = await loadInventory(ctx, {
    input: request.input,
    providers: request.providers,
    regions: request.regions,
    kinds: RISK_KINDS,
    timeoutMs: request.timeoutMs,
    callTimeoutMs: request.callTimeoutMs,
  });
  const machines = inventory.resources.filter((r) => RISK_KINDS.includes(r.kind));
  const window = { now: request.now, horizonMs: request.horizonMs };
  const wants = (kind: SignalKind) => request.signals.includes(kind);
  const notes: string[] = [];
  const skipped: RiskResult['skipped'] = [];
  const signals = new Map<Resource, RiskSignal[]>(machines.map((r) => [r, []]));

  if (wants('maintenance')) {
    let unknown = 0;
    for (const machine of machines) {
      if (machine.kind !== 'aws.ec2.instance') continue;
      if (machine.attributes.scheduledEvents === undefined) unknown += 1;
      signals.get(machine)!.push(...maintenanceSignals(machine.attributes.scheduledEvents, window));
    }
    if (unknown > 0)
      notes.push(
        `${unknown} EC2 instance${unknown === 1 ? "'s" : "s'"} scheduled events unknown (not read: ec2:DescribeInstanceStatus denied, or an older snapshot)`,
      );
    notes.push('scheduled maintenance is read for EC2 only: Azure and GCP maintenance events are not read yet');
  }

  let complete = inventory.complete;
  const metricKinds = request.signals.filter((k) => k !== 'maintenance');
  if (metricKinds.length > 0 && machines.length > 0) {
    const metrics: MetricName[] = [
      ...(wants('capacity') ? (['disk-used', 'free-storage'] as const) : []),
      ...(wants('saturation') || wants('anomaly') ? (['cpu'] as const) : []),
    ];
    const { readMetricsOf } = await import('../../metrics/collect.js');
    const outcome = await readMetricsOf(ctx, machines.map(resourceRef), {
      metrics,
      window: {
        start: new Date(request.start).toISOString(),
        end: new Date(request.end).toISOString(),
        periodSeconds: request.stepSeconds,
      },
      stat: 'average',
      signal,
      callTimeoutMs: request.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS,
      concurrency: DEFAULT_CONCURRENCY,
      scopeConcurrency: DEFAULT_SCOPE_CONCURRENCY,
    });
    const byKey = new Map(machines.map((r) => [`${r.cloud}|${r.account}|${r.id}`, r]));
    const recentFrom = request.end - (request.recentMs ?? DAY_MS);
    if (wants('anomaly') && !request.detector)
      skipped.push({ kind: 'anomaly', reason: 'the anomaly detector (src/predict/anomaly) is not in this build' });
    for (const series of outcome.series) {
      const machine = byKey.get(`${series.resource.cloud}|${series.resource.account}|${series.resource.id}`);
      if (!machine) continue;
      const found = signals.get(machine)!;
      if (series.metric === FILL_METRIC[machine.kind] && wants('capacity')) {
        const fill = fillSeries(series, machine);
        if (!fill) continue;
        const forecast = forecastOne(fill, { threshold: request.threshold, horizonMs: request.horizonMs, now: request.now });
        const capacity = capacitySignal(forecast, window);
        if (capacity) found.push(capacity);
      }
      if (series.metric === 'cpu') {
        const percent = cpuPercent(series);
        if (wants('saturation')) {
          const saturation = saturationSignal(
            percent.map((p) => p.v),
            request.saturation,
          );
          if (saturation) found.push(saturation);
        }
        if (wants('anomaly') && request.detector) {
          const recent = request
            .detector({
              id: `${series.resource.cloud}/${series.resource.account}/${series.resource.id}/cpu`,
              name: `${series.resource.name || series.resource.id} CPU`,
              unit: 'percent',
              labels: {},
              resource: series.resource,
              points: percent,
            })
            .filter((a) => a.t >= recentFrom);
          const anomaly = anomalySignal(recent);
          if (anomaly) found.push(anomaly);
        }
      }
    }
    const { gapLines, failureLines } = await import('../../metrics/report.js');
    const relevant = (metric: MetricName, kind: ResourceKind) => metric === 'cpu' || metric === FILL_METRIC[kind];
    notes.push(...gapLines(outcome.gaps.filter((g) => relevant(g.metric, g.resource.kind))));
    notes.push(...failureLines(outcome.failures));
    if (outcome.failures.length > 0 || (signal.aborted && !ctx.signal.aborted)) complete = false;
  }
  if (!inventory.complete) notes.push(`the inventory in ${inventory.source} is incomplete: machines it missed are not ranked`);
  const risks = rank([...signals].map(([machine, found]) => combine(resourceRef(machine), found)));
  return { risks, notes, complete, source: inventory.source, skipped };
}

/** CPU in percent, stamped mid-period: GCP reports a 0–1 ratio (unit 10^2.%), the others percent. */
function cpuPercent(series: MetricSeries): { t: number; v: number }[] {
  const scale = series.resource.cloud === 'gcp' ? 100 : 1;
  const middle = (series.periodSeconds * 1000) / 2;
  return series.points.map(([at, v]) => ({ t: Date.parse(at) + middle, v: v * scale }));
}
