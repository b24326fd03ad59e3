// The cost rules one by one (a resource each recommends for and one it leaves alone, judged with a
// hand-built context), the catalog that finds them, the size ladders, the readings' units and the
// totals' arithmetic.

import { describe, expect, it } from 'vitest';
import type { MetricsOutcome } from '../../src/metrics/run.js';
import type { MetricSeries } from '../../src/model/metric.js';
import type { Recommendation } from '../../src/model/recommendation.js';
import type { Resource, ResourceKind } from '../../src/model/resource.js';
import { liveReadings } from '../../src/optimize/readings.js';
import { atLeastSaving, totalsOf } from '../../src/optimize/totals.js';
import * as pricing from '../../src/pricing/catalog.js';
import { currentEquivalents, oneSizeDown } from '../../src/pricing/sizes.js';
import { loadCostCatalog, metadataValidator, ruleProblems } from '../../src/rules/catalog.js';
import { createRuleContext } from '../../src/rules/context.js';
import { type CostContext, type CostMetric, DEFAULT_THRESHOLDS, type MetricReading } from '../../src/rules/cost.js';

const NOW = new Date('2026-11-25T00:00:00Z');
const WINDOW = { start: '2026-11-11T00:00:00.000Z', end: '2026-11-25T00:00:00.000Z', periodSeconds: 3600 };
const daysAgo = (n: number) => new Date(NOW.getTime() - n * 86_400_000).toISOString();

function resource(kind: ResourceKind, attributes: Resource['attributes'], extra: Partial<Resource> = {}): Resource {
  return {
    cloud: kind.split('.')[0] as Resource['cloud'],
    kind,
    id: extra.id ?? `${kind.split('.').pop()}-1`,
    name: extra.name ?? 'web-1',
    account: 'acct',
    region: kind.startsWith('gcp') ? 'us-central1-a' : kind.startsWith('azure') ? 'eastus' : 'us-east-1',
    tags: {},
    attributes,
    relations: [],
    ...extra,
  };
}

const read = (metric: CostMetric, p95: number, max = p95): MetricReading => ({
  status: 'read',
  metric,
  cloudMetric: metric,
  unit: 'x',
  points: 336,
  p95,
  max,
  window: WINDOW,
});

function context(resources: Resource[], readings: Partial<Record<CostMetric, MetricReading>> = {}, listed = true): CostContext {
  return {
    ...createRuleContext(resources),
    thresholds: DEFAULT_THRESHOLDS,
    now: NOW,
    windowStart: WINDOW.start,
    metric: (_r, metric) => readings[metric] ?? { status: 'missing', reason: 'offline' },
    listed: () => listed,
    snapshotInUse: () => false,
    pricing,
  };
}

const idle = { cpu: read('cpu', 1), network: read('network', 200) };
const underused = { cpu: read('cpu', 12), network: read('network', 90_000) };
const busy = { cpu: read('cpu', 70), network: read('network', 900_000) };

interface Case {
  recommend: [Resource, Resource[], Partial<Record<CostMetric, MetricReading>>];
  leave: [Resource, Resource[], Partial<Record<CostMetric, MetricReading>>];
}

const ec2 = (type: string, state = 'running', extra: Partial<Resource> = {}) =>
  resource('aws.ec2.instance', { instanceType: type }, { state, id: 'i-1', ...extra });
const vm = (size: string, state = 'running', extra: Partial<Resource> = {}) =>
  resource(
    'azure.compute.vm',
    { instanceType: size, osType: 'Linux' },
    { state, id: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm-1', ...extra },
  );
const gce = (type: string, state = 'RUNNING', extra: Partial<Resource> = {}) =>
  resource('gcp.compute.instance', { instanceType: type }, { state, id: '111', ...extra });
const stopped = (machine: Resource, days: number) => ({ ...machine, attributes: { ...machine.attributes, stoppedAt: daysAgo(days) } });
const disk = (kind: ResourceKind, attributes: Resource['attributes'], target: string) =>
  resource(kind, attributes, { id: `${kind}-d`, relations: [{ type: 'attached-to', target }] });

const ebs = disk('aws.ec2.volume', { volumeType: 'gp3', sizeGb: 100, iops: 3000 }, 'i-1');
const azDisk = disk('azure.compute.disk', { volumeType: 'Premium_LRS', sizeGb: 128 }, vm('x').id);
const pd = disk('gcp.compute.disk', { volumeType: 'pd-balanced', sizeGb: 50 }, '111');
const snapshot = (kind: ResourceKind, age: number, source: string, extra: Resource['attributes'] = {}) =>
  resource(
    kind,
    { sizeGb: 100, ...extra },
    { createdAt: daysAgo(age), relations: [{ type: 'snapshot-of', target: source }], id: 'snap-1' },
  );

const CASES: Record<string, Case> = {
  'AWS-COST-001': { recommend: [ec2('m6i.large'), [], idle], leave: [ec2('m6i.large'), [], underused] },
  'AWS-COST-002': { recommend: [ec2('m6i.2xlarge'), [], underused], leave: [ec2('m6i.2xlarge'), [], busy] },
  'AWS-COST-003': { recommend: [ec2('m4.xlarge'), [], {}], leave: [ec2('m6i.xlarge'), [], {}] },
  'AWS-COST-004': {
    recommend: [stopped(ec2('m6i.large', 'stopped'), 45), [ebs], {}],
    leave: [stopped(ec2('m6i.large', 'stopped'), 10), [ebs], {}],
  },
  'AWS-COST-005': {
    recommend: [resource('aws.ec2.volume', { volumeType: 'gp3', sizeGb: 100 }, { state: 'available' }), [], {}],
    leave: [ebs, [], {}],
  },
  'AWS-COST-006': {
    recommend: [resource('aws.ec2.volume', { volumeType: 'gp2', sizeGb: 500, iops: 1500 }, { state: 'in-use' }), [], {}],
    leave: [ebs, [], {}],
  },
  'AWS-COST-007': {
    recommend: [resource('aws.ec2.address', { publicIp: '54.1.2.3' }), [], {}],
    leave: [resource('aws.ec2.address', { publicIp: '54.1.2.3', associationId: 'eipassoc-1', instanceId: 'i-1' }), [], {}],
  },
  'AWS-COST-008': {
    recommend: [snapshot('aws.ec2.snapshot', 400, 'vol-gone'), [], {}],
    leave: [snapshot('aws.ec2.snapshot', 400, ebs.id), [ebs], {}],
  },
  'AWS-COST-009': {
    recommend: [
      resource('aws.elbv2.load-balancer', { lbType: 'application' }, { state: 'active' }),
      [],
      { requests: { status: 'no-data' } },
    ],
    leave: [
      resource('aws.elbv2.load-balancer', { lbType: 'application' }, { state: 'active' }),
      [],
      { requests: read('requests', 40, 90) },
    ],
  },
  'AWS-COST-010': {
    recommend: [
      resource(
        'aws.rds.instance',
        { instanceType: 'db.m6i.large', engine: 'postgres', multiAz: false, volumeType: 'gp3', storageGb: 100 },
        { state: 'available' },
      ),
      [],
      { 'db-connections': read('db-connections', 0, 0) },
    ],
    leave: [
      resource(
        'aws.rds.instance',
        { instanceType: 'db.m6i.large', engine: 'postgres', multiAz: false, volumeType: 'gp3', storageGb: 100 },
        { state: 'available' },
      ),
      [],
      { 'db-connections': read('db-connections', 3, 7) },
    ],
  },
  'AZ-COST-001': { recommend: [vm('Standard_D4s_v5'), [], idle], leave: [vm('Standard_D4s_v5'), [], busy] },
  'AZ-COST-002': { recommend: [vm('Standard_D8s_v5'), [], underused], leave: [vm('Standard_D8s_v5'), [], idle] },
  'AZ-COST-003': { recommend: [vm('Standard_D2_v2'), [], {}], leave: [vm('Standard_D2s_v5'), [], {}] },
  'AZ-COST-004': {
    recommend: [stopped(vm('Standard_D2s_v5', 'deallocated'), 60), [azDisk], {}],
    leave: [vm('Standard_D2s_v5'), [azDisk], {}],
  },
  'AZ-COST-005': {
    recommend: [resource('azure.compute.disk', { volumeType: 'Premium_LRS', sizeGb: 128 }, { state: 'Unattached' }), [], {}],
    leave: [{ ...azDisk, state: 'Attached' }, [], {}],
  },
  'AZ-COST-006': {
    recommend: [resource('azure.network.public-ip', { sku: 'Standard', addressType: 'Static' }, { state: 'unassociated' }), [], {}],
    leave: [resource('azure.network.public-ip', { sku: 'Standard', ipConfigurationId: 'x' }, { state: 'associated' }), [], {}],
  },
  'AZ-COST-007': {
    recommend: [snapshot('azure.compute.snapshot', 500, '/subscriptions/s/disks/gone'), [], {}],
    leave: [snapshot('azure.compute.snapshot', 20, '/subscriptions/s/disks/gone'), [], {}],
  },
  'GCP-COST-001': { recommend: [gce('n2-standard-4'), [], idle], leave: [gce('n2-standard-4'), [], underused] },
  'GCP-COST-002': { recommend: [gce('n2-standard-8'), [], underused], leave: [gce('n2-standard-8'), [], busy] },
  'GCP-COST-003': { recommend: [gce('n1-standard-4'), [], {}], leave: [gce('e2-standard-4'), [], {}] },
  'GCP-COST-004': {
    recommend: [stopped(gce('e2-medium', 'TERMINATED'), 90), [pd], {}],
    leave: [stopped(gce('e2-medium', 'TERMINATED'), 3), [pd], {}],
  },
  'GCP-COST-005': {
    recommend: [resource('gcp.compute.disk', { volumeType: 'pd-ssd', sizeGb: 200, attached: false }), [], {}],
    leave: [{ ...pd, attributes: { ...pd.attributes, attached: true } }, [], {}],
  },
  'GCP-COST-006': {
    recommend: [
      resource('gcp.compute.address', { addressType: 'EXTERNAL', associated: false }, { state: 'RESERVED', region: 'us-central1' }),
      [],
      {},
    ],
    leave: [
      resource('gcp.compute.address', { addressType: 'INTERNAL', associated: false }, { state: 'RESERVED', region: 'us-central1' }),
      [],
      {},
    ],
  },
  'GCP-COST-007': {
    recommend: [snapshot('gcp.compute.snapshot', 400, '999', { storageBytes: 20 * 1024 ** 3 }), [], {}],
    leave: [snapshot('gcp.compute.snapshot', 400, pd.id, { storageBytes: 20 * 1024 ** 3 }), [pd], {}],
  },
};

const catalog = await loadCostCatalog();

describe('cost rule catalog', () => {
  it('has one case per cost rule, each rule naming a known action and the kinds it reads', () => {
    expect(Object.keys(CASES).sort()).toEqual(catalog.map((r) => r.id).sort());
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

describe.each(catalog.map((rule) => [rule.id, rule] as const))('%s', (id, rule) => {
  const testCase = CASES[id];

  it('recommends for the wasteful resource, naming it, with a priced saving, evidence and a command', () => {
    const [subject, others, readings] = testCase.recommend;
    const verdict = rule.recommend(subject, context([subject, ...others], readings));
    expect(verdict.status, JSON.stringify(verdict)).toBe('recommend');
    if (verdict.status !== 'recommend') return;
    const { proposal } = verdict;
    expect(proposal.summary).toContain(subject.id);
    expect(proposal.summary).toMatch(/\.$/);
    expect('amount' in proposal.saving && proposal.saving.amount > 0, JSON.stringify(proposal.saving)).toBe(true);
    expect(proposal.evidence.length).toBeGreaterThan(0);
    expect(proposal.cli.join(' ')).toMatch(/^(aws|az|gcloud) /);
    expect(proposal.risk.length).toBeGreaterThan(20);
  });

  it('leaves the resource that is in use alone', () => {
    const [subject, others, readings] = testCase.leave;
    expect(rule.recommend(subject, context([subject, ...others], readings))).toEqual({ status: 'none' });
  });
});

describe('cost rules and missing data', () => {
  const byId = new Map(catalog.map((r) => [r.id, r]));

  it('does not judge a machine whose metrics are missing, and says why', () => {
    const verdict = byId.get('AWS-COST-001')!.recommend(ec2('m6i.large'), context([ec2('m6i.large')]));
    expect(verdict).toEqual({ status: 'undecided', reason: 'CPU: offline' });
  });

  it('does not call a snapshot orphaned when the listing of its source kind failed', () => {
    const s = snapshot('aws.ec2.snapshot', 400, 'vol-gone');
    expect(byId.get('AWS-COST-008')!.recommend(s, context([s], {}, false)).status).toBe('undecided');
  });

  it('does not call a load balancer younger than the window idle', () => {
    const lb = resource('aws.elbv2.load-balancer', { lbType: 'application' }, { state: 'active', createdAt: daysAgo(3) });
    expect(byId.get('AWS-COST-009')!.recommend(lb, context([lb], { requests: { status: 'no-data' } }))).toEqual({ status: 'none' });
  });

  it('keeps a snapshot an image is built on', () => {
    const s = snapshot('aws.ec2.snapshot', 400, 'vol-gone');
    expect(byId.get('AWS-COST-008')!.recommend(s, { ...context([s]), snapshotInUse: () => true })).toEqual({ status: 'none' });
  });

  it('shows a price missing from the tables as unpriced, never as $0', () => {
    const db = resource(
      'aws.rds.instance',
      { instanceType: 'db.x9.huge', engine: 'postgres', volumeType: 'gp3', storageGb: 10 },
      { state: 'available' },
    );
    const verdict = byId.get('AWS-COST-010')!.recommend(db, context([db], { 'db-connections': read('db-connections', 0, 0) }));
    expect(verdict.status === 'recommend' && verdict.proposal.saving).toEqual({
      unpriced: 'no list price for db.x9.huge postgres in us-east-1',
    });
  });

  it('prices a resize at the target type: the current hour minus the target hour, 730 hours a month', () => {
    const verdict = byId.get('AWS-COST-002')!.recommend(ec2('m6i.2xlarge'), context([ec2('m6i.2xlarge')], underused));
    const expected =
      (pricing.ec2InstanceHour('m6i.2xlarge', 'us-east-1')!.amount - pricing.ec2InstanceHour('m6i.xlarge', 'us-east-1')!.amount) * 730;
    expect(verdict.status === 'recommend' && verdict.proposal.saving).toEqual({ amount: expected, approximate: false });
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
  const ref = { cloud: 'gcp', kind: 'gcp.compute.instance', id: '111', name: 'x', account: 'acct', region: 'us-central1-a' } as const;
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
  const gce1 = gce('e2-medium');

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
      WINDOW,
    );
    const cpu = index.reading(gce1, 'cpu');
    expect(cpu.status === 'read' && [cpu.p95, cpu.max]).toEqual([18, 19]);
    const network = index.reading(gce1, 'network');
    expect(network.status === 'read' && network.p95).toBe(110);
  });

  it('tells a metric the cloud had no point for from one that could not be read', () => {
    const index = liveReadings(outcome([], { noData: [{ resource: ref, metric: 'cpu' }] }), WINDOW);
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
