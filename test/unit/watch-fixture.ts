// A small estate for the dashboard's tests, judged by the real rules: scan's catalog finds the
// open security group, optimize's cost rules (offline) the unattached volume; the spend report is
// built by the costs report functions from daily series, as `guardian costs` builds it.

import { addDays, resolvePeriods } from '../../src/costs/period.js';
import { type CostReport, checkBudget, currencyTotals, groupTable, projectMonthEnd, spendSeries } from '../../src/costs/report.js';
import type { RunContext } from '../../src/discovery/run.js';
import { resolveWindow } from '../../src/metrics/window.js';
import type { CostSeries } from '../../src/model/cost.js';
import type { Resource } from '../../src/model/resource.js';
import { runOptimize } from '../../src/optimize/run.js';
import { resource, securityGroup, world } from '../../src/rules/cases.js';
import { loadCatalog, loadCostCatalog } from '../../src/rules/catalog.js';
import { DEFAULT_THRESHOLDS } from '../../src/rules/cost.js';
import { scan } from '../../src/rules/scan.js';
import type { WatchData } from '../../src/watch/estate.js';

export const TODAY = '2026-11-25';
export const NOW = new Date(`${TODAY}T12:00:00Z`);

export function fixtureResources(machines = 30): Resource[] {
  const list: Resource[] = [
    securityGroup([world(22)], {}, { id: 'sg-0open', name: 'web-sg' }),
    resource(
      'aws.ec2.volume',
      { volumeType: 'gp3', sizeGb: 100 },
      { id: 'vol-0spare', name: 'spare-disk', state: 'available', tags: { team: 'search' } },
    ),
    resource('azure.compute.vm', { instanceType: 'Standard_D2s_v3' }, { id: 'vm-az-1', name: 'billing-vm', state: 'running' }),
    // A name from the cloud that tries to drive the terminal: shown escaped, never acted on.
    resource(
      'gcp.compute.disk',
      { volumeType: 'pd-ssd', sizeGb: 10 },
      { id: '4242', name: '\u001b[31mevil\u001b]0;pwned\u0007', state: 'READY' },
    ),
  ];
  for (let i = 0; i < machines; i++)
    list.push(
      resource(
        'aws.ec2.instance',
        { instanceType: 't3.micro', imdsV1Allowed: false },
        {
          id: `i-${String(i).padStart(4, '0')}`,
          name: `app-${String(i).padStart(3, '0')}`,
          state: 'running',
          tags: { env: i % 2 ? 'prod' : 'dev' },
        },
      ),
    );
  return list;
}

/** Two services of one account, daily from three months back to today; $100 and $20 a day. */
export function fixtureCosts(budget?: number): CostReport {
  const { current, previous } = resolvePeriods({}, TODAY);
  const days: string[] = [];
  for (let d = '2026-08-01'; d <= TODAY; d = addDays(d, 1)) days.push(d);
  const series = (dimension: 'service' | 'account'): CostSeries => ({
    cloud: 'aws',
    metric: 'unblended',
    granularity: 'daily',
    dimension,
    start: days[0],
    end: addDays(TODAY, 1),
    groups: [
      {
        account: '111122223333',
        key: dimension === 'service' ? 'Amazon EC2' : '111122223333',
        points: days.map((date) => ({ date, amount: 100, currency: 'USD' })),
      },
      ...(dimension === 'service'
        ? [{ account: '111122223333', key: 'Amazon S3', points: days.map((date) => ({ date, amount: 20, currency: 'USD' })) }]
        : []),
    ],
  });
  const service = [series('service')];
  const projections = projectMonthEnd(service, TODAY);
  return {
    period: current,
    previousPeriod: previous,
    metric: 'unblended',
    granularity: 'daily',
    clouds: ['aws'],
    totals: currencyTotals(service, current, previous),
    groups: [groupTable('service', service, current, previous, 10), groupTable('account', service, current, previous, 10)],
    series: spendSeries(service, current),
    projections,
    noComparison: [],
    missing: [],
    monthMissing: [],
    ...(budget ? { budget: checkBudget({ amount: budget, currency: 'USD' }, projections, TODAY.slice(0, 7)) } : {}),
  };
}

export async function fixtureData(options: { machines?: number; budget?: number } = {}): Promise<WatchData> {
  const resources = fixtureResources(options.machines);
  const report = scan({ catalog: await loadCatalog(), resources, now: NOW });
  const optimized = await runOptimize({} as RunContext, {
    rules: await loadCostCatalog(),
    thresholds: DEFAULT_THRESHOLDS,
    inventory: { resources, errors: [], complete: true, source: 'fixture' },
    input: 'fixture',
    window: resolveWindow({ since: '14d', period: '3600' }, NOW.getTime()),
    now: NOW,
    signal: new AbortController().signal,
    callTimeoutMs: 1000,
    concurrency: 1,
    scopeConcurrency: 1,
  });
  return {
    profile: 'test',
    clouds: ['aws', 'azure', 'gcp'],
    scopes: [
      { cloud: 'aws', scopes: 2, incomplete: 0 },
      { cloud: 'azure', scopes: 1, incomplete: 0 },
      { cloud: 'gcp', scopes: 1, incomplete: 0 },
    ],
    at: NOW,
    source: 'live',
    resources,
    findings: report.findings,
    costs: fixtureCosts(options.budget),
    recommendations: optimized.recommendations,
    anomalies: undefined,
  };
}

export function emptyData(): WatchData {
  return {
    profile: 'test',
    clouds: ['aws'],
    scopes: [{ cloud: 'aws', scopes: 1, incomplete: 0 }],
    at: NOW,
    source: 'live',
    resources: [],
    findings: [],
    costs: undefined,
    costsNote: 'spend could not be read: AccessDenied',
    recommendations: [],
    anomalies: undefined,
  };
}
