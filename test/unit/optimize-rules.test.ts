// What the cost rules share beyond their cases (each rule's cases sit beside it in
// src/rules/cost/<cloud>/<slug>.cases.ts, run by cost-rule-cases.test.ts): the catalog that finds
// them, the size ladders, the readings' units and the totals' arithmetic.

import { describe, expect, it } from 'vitest';
import type { MetricsOutcome } from '../../src/metrics/run.js';
import type { MetricSeries } from '../../src/model/metric.js';
import type { Recommendation } from '../../src/model/recommendation.js';
import { liveReadings } from '../../src/optimize/readings.js';
import { atLeastSaving, totalsOf } from '../../src/optimize/totals.js';
import { currentEquivalents, oneSizeDown } from '../../src/pricing/sizes.js';
import { COST_WINDOW, gce } from '../../src/rules/cases.js';
import { loadCostCatalog, metadataValidator, ruleProblems } from '../../src/rules/catalog.js';

const catalog = await loadCostCatalog();

describe('cost rule catalog', () => {
  it('holds each cost rule once, in the cost category', () => {
    for (const rule of catalog) expect(rule.category).toBe('cost');
    expect(new Set(catalog.map((r) => r.id)).size).toBe(catalog.length);
  });

  it('rejects a cost rule without a recommend function or with an unknown action', async () => {
    const validate = await metadataValidator();
    const good = catalog[0];
    const file = {
      category: 'cost' as const,
      cloud: good.id.startsWith('AWS') ? 'aws' : good.id.startsWith('AZ') ? 'azure' : 'gcp',
      slug: good.slug,
      file: 'x.ts',
    };
    expect(ruleProblems(good, file, validate)).toEqual([]);
    expect(ruleProblems({ ...good, recommend: undefined }, file, validate).join()).toMatch(/recommend is not a function/);
    expect(ruleProblems({ ...good, action: 'burn' }, file, validate).join()).toMatch(/action burn/);
  });
});

describe('machine families', () => {
  it('goes one size down within the family the price tables list', () => {
    expect(oneSizeDown('aws', 'm6i.4xlarge')).toBe('m6i.2xlarge');
    expect(oneSizeDown('aws', 'm6i.large')).toBeUndefined();
    expect(oneSizeDown('azure', 'Standard_E16s_v5')).toBe('Standard_E8s_v5');
    expect(oneSizeDown('gcp', 'c3-standard-22')).toBe('c3-standard-8');
  });

  it('maps previous generations to their current equivalents', () => {
    expect(currentEquivalents('aws', 'm4.xlarge')[0]).toBe('m6i.xlarge');
    expect(currentEquivalents('aws', 't2.medium')).toEqual(['t3.medium']);
    expect(currentEquivalents('azure', 'Standard_D4s_v3')).toContain('Standard_D4s_v5');
    expect(currentEquivalents('gcp', 'n1-standard-2')).toEqual(['e2-standard-2', 'n2-standard-2']);
    expect(currentEquivalents('aws', 'm6i.large')).toEqual([]);
  });
});

describe('readings', () => {
  const gce1 = gce('e2-medium');
  const ref = {
    cloud: 'gcp',
    kind: 'gcp.compute.instance',
    id: gce1.id,
    name: gce1.name,
    account: gce1.account,
    region: gce1.region,
  } as const;
  const series = (metric: MetricSeries['metric'], cloudMetric: string, unit: string, values: number[]): MetricSeries => ({
    resource: ref,
    metric,
    cloudMetric,
    unit,
    periodSeconds: 3600,
    stat: 'average',
    points: values.map((v, i) => [new Date(Date.UTC(2026, 10, 11, i)).toISOString(), v]),
  });
  const outcome = (s: MetricSeries[], extra: Partial<MetricsOutcome> = {}): MetricsOutcome => ({
    series: s,
    noData: [],
    gaps: [],
    failures: [],
    stats: { batches: 1, calls: 1, pages: 1, retries: 0, throttled: 0, points: 0 },
    callsByCloud: {},
    pagesByCloud: {},
    ...extra,
  });

  it('reads GCP CPU ratios as percent and network deltas per 60 s as bytes per second, in + out', () => {
    const index = liveReadings(
      outcome([
        series(
          'cpu',
          'compute.googleapis.com/instance/cpu/utilization',
          '10^2.%',
          Array.from({ length: 20 }, (_, i) => i / 100),
        ),
        series('network-in', 'compute.googleapis.com/instance/network/received_bytes_count', 'By', Array(20).fill(6000)),
        series('network-out', 'compute.googleapis.com/instance/network/sent_bytes_count', 'By', Array(20).fill(600)),
      ]),
      COST_WINDOW,
    );
    const cpu = index.reading(gce1, 'cpu');
    expect(cpu.status === 'read' && [cpu.p95, cpu.max]).toEqual([18, 19]);
    const network = index.reading(gce1, 'network');
    expect(network.status === 'read' && network.p95).toBe(110);
  });

  it('tells a metric the cloud had no point for from one that could not be read', () => {
    const index = liveReadings(outcome([], { noData: [{ resource: ref, metric: 'cpu' }] }), COST_WINDOW);
    expect(index.reading(gce1, 'cpu')).toEqual({ status: 'no-data' });
    expect(index.reading(gce1, 'network').status).toBe('missing');
  });
});

describe('totals', () => {
  const rec = (id: string, resource: string, action: Recommendation['action'], saving: number | null): Recommendation => ({
    id,
    rule: 'AWS-COST-001',
    action,
    resource: { cloud: 'aws', kind: 'aws.ec2.instance', id: resource, name: resource, account: 'a', region: 'us-east-1' },
    summary: '',
    monthlySaving: saving,
    currency: 'USD',
    priceBasis: 'list',
    approximate: false,
    evidence: [],
    risk: '',
    command: { cli: '', applyId: id },
  });

  it('counts a resource once in the total (its largest saving) and every recommendation in its action', () => {
    const list = [
      rec('a', 'i-1', 'stop', 100),
      rec('b', 'i-1', 'modernize', 10),
      rec('c', 'i-2', 'resize', 40.5),
      rec('d', 'i-3', 'stop', null),
    ];
    const totals = totalsOf(list);
    expect(totals.monthlySaving).toBe(140.5);
    expect(totals.overlapping).toBe(1);
    expect(totals.unpriced).toBe(1);
    expect(totals.byAction.find((t) => t.action === 'stop')).toEqual({ action: 'stop', count: 2, monthlySaving: 100, unpriced: 1 });
  });

  it('keeps unpriced recommendations under --min-saving: their saving is unknown, not small', () => {
    const list = [rec('a', 'i-1', 'stop', 100), rec('b', 'i-2', 'stop', 5), rec('c', 'i-3', 'stop', null)];
    expect(atLeastSaving(list, 50).map((r) => r.id)).toEqual(['a', 'c']);
  });
});
