// What `predict risk` prints: machines by score, each row its strongest signal's evidence and
// the others counted; the JSON document has every signal of every machine.

import type { TableView } from '../../render/table.js';
import type { ResourceRisk } from './index.js';
import type { RiskRequest, RiskResult } from './run.js';

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

export function riskTable(result: RiskResult, all: boolean): TableView<ResourceRisk> {
  return {
    columns: [
      { header: 'score', value: (r) => r.score.toFixed(2), align: 'right' },
      { header: 'cloud', value: (r) => r.resource.cloud, priority: 2 },
      // Names and evidence come from the clouds: the table renderer escapes them.
      { header: 'resource', value: (r) => r.resource.name || r.resource.id, minWidth: 16 },
      { header: 'region', value: (r) => r.resource.region, priority: 3 },
      { header: 'signals', value: (r) => [...new Set(r.signals.map((s) => s.kind))].join(', ') },
      {
        header: 'evidence',
        value: (r) => r.signals.map((s) => `${s.kind} ${s.probability.toFixed(2)}: ${s.evidence}`).join('\n'),
        priority: 1,
      },
    ],
    rows: all ? result.risks : result.risks.filter((r) => r.score > 0),
  };
}

export function riskJson(
  result: RiskResult,
  request: Pick<RiskRequest, 'now' | 'horizonMs' | 'signals' | 'start' | 'end' | 'threshold' | 'saturation'>,
) {
  return {
    now: iso(request.now),
    horizonDays: request.horizonMs / 86_400_000,
    window: { start: iso(request.start), end: iso(request.end) },
    threshold: request.threshold,
    saturation: request.saturation,
    signals: request.signals,
    source: result.source,
    complete: result.complete,
    notes: result.notes,
    skipped: result.skipped,
    risks: result.risks.map((r) => ({
      resource: r.resource,
      score: Math.round(r.score * 1e4) / 1e4,
      signals: r.signals.map((s) => ({
        kind: s.kind,
        probability: Math.round(s.probability * 1e4) / 1e4,
        at: iso(s.at),
        evidence: s.evidence,
      })),
    })),
  };
}
