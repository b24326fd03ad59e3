// Every cost reader, through the official SDK clients (Cost Explorer, Cost Management, BigQuery)
// against the in-process sandbox of the demo profile, must reproduce the estate's true cost
// series to the cent for every grouping and several periods.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CostDimension, type CostQuery, type CostSeries, emptyReadStats } from '../../src/model/cost.js';
import type { Cloud } from '../../src/model/resource.js';
import { createLocalProvider } from '../../src/providers/factory.js';
import type { CloudProvider } from '../../src/providers/types.js';
import { type Demo, startDemo } from '../../src/sandbox/demo.js';
import { aggregateCosts, type CostGroupDimension, costSeries, type TrueCostSeries } from '../../src/sandbox/estate/costs.js';

const NOW = '2026-11-25';
let demo: Demo;
let dir: string;
let env: NodeJS.ProcessEnv;
let truth: TrueCostSeries;
const providers = new Map<Cloud, CloudProvider>();

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'guardian-costs-'));
  demo = await startDemo({ seed: 11, size: 400, now: NOW }, dir);
  env = { HOME: dir, ...demo.env };
  // The series is a pure function of the estate: the sandbox serves the same one.
  truth = costSeries(demo.sandbox.estate);
});

afterAll(async () => {
  await Promise.all([...providers.values()].map((provider) => provider.close?.()));
  await demo?.close();
  await rm(dir, { recursive: true, force: true });
});

/** The provider's costs face, as `guardian costs` calls it (in-process here). */
async function read(cloud: Cloud, query: CostQuery): Promise<CostSeries> {
  let provider = providers.get(cloud);
  if (!provider) {
    provider = await createLocalProvider(cloud, demo.profile, env, { callTimeoutMs: 30_000 });
    providers.set(cloud, provider);
  }
  const reading = await provider.costs!(query, { signal: AbortSignal.timeout(60_000) });
  return reading.series;
}

/** cents by "account|key|currency" from what a reader returned. */
function observed(series: CostSeries, byDate = false): Map<string, number> {
  const sums = new Map<string, number>();
  for (const group of series.groups) {
    for (const point of group.points) {
      const id = `${group.account}|${group.key}|${point.currency}${byDate ? `|${point.date}` : ''}`;
      sums.set(id, (sums.get(id) ?? 0) + point.amount);
    }
  }
  return new Map([...sums].map(([k, v]) => [k, Math.round(v * 100)]).filter(([, v]) => v !== 0) as [string, number][]);
}

function expected(cloud: Cloud, query: CostQuery, byDate = false): Map<string, number> {
  const dim: CostGroupDimension = query.dimension.startsWith('tag:')
    ? { tag: query.dimension.slice(4) }
    : (query.dimension as 'service' | 'region' | 'account');
  const periods = aggregateCosts(truth, {
    cloud,
    accounts: new Set(truth.lines.filter((l) => l.cloud === cloud).map((l) => l.account)),
    from: query.start,
    to: query.end,
    metric: query.metric,
    granularity: byDate ? (query.granularity === 'daily' ? 'daily' : 'monthly') : 'none',
    groupBy: ['account', dim],
  });
  const sums = new Map<string, number>();
  for (const period of periods) {
    for (const group of period.groups) {
      const key = query.dimension === 'account' ? group.keys[0] : group.keys[1];
      const id = `${group.keys[0]}|${key}|${group.currency}${byDate ? `|${period.start}` : ''}`;
      sums.set(id, (sums.get(id) ?? 0) + group.cents);
    }
  }
  return new Map([...sums].filter(([, v]) => v !== 0));
}

const PERIODS: [string, string][] = [
  ['2026-11-01', '2026-11-26'], // month to date
  ['2026-10-01', '2026-11-01'], // last full month
  ['2026-06-14', '2026-08-03'], // an arbitrary span across a month boundary
];
const DIMENSIONS: CostDimension[] = ['service', 'region', 'account', 'tag:team'];

describe.each(['aws', 'azure', 'gcp'] as Cloud[])('%s cost reader against the sandbox', (cloud) => {
  it.each(PERIODS)('every grouping equals the true series to the cent from %s to %s', async (start, end) => {
    for (const dimension of DIMENSIONS) {
      const query: CostQuery = { start, end, granularity: 'daily', metric: 'unblended', dimension };
      const series = await read(cloud, query);
      expect(observed(series), `${cloud} ${dimension}`).toEqual(expected(cloud, query));
    }
  });

  it('matches day by day and month by month, unblended and amortized', async () => {
    for (const metric of ['unblended', 'amortized'] as const) {
      const daily: CostQuery = { start: '2026-10-20', end: '2026-11-10', granularity: 'daily', metric, dimension: 'service' };
      expect(observed(await read(cloud, daily), true)).toEqual(expected(cloud, daily, true));
      const monthly: CostQuery = { start: '2026-07-15', end: '2026-11-26', granularity: 'monthly', metric, dimension: 'account' };
      expect(observed(await read(cloud, monthly), true)).toEqual(expected(cloud, monthly, true));
    }
  });
});

describe('Cost Explorer wire details', () => {
  async function client(accountIndex = 0) {
    const { CostExplorerClient } = await import('@aws-sdk/client-cost-explorer');
    const accounts = demo.sandbox.estate.aws.accounts;
    const account =
      accountIndex === 0 ? (accounts.find((a) => a.management) ?? accounts[0]) : accounts.filter((a) => !a.management)[accountIndex - 1];
    return {
      account,
      ce: new CostExplorerClient({
        region: 'us-east-1',
        endpoint: demo.sandbox.awsOrigin,
        maxAttempts: 1,
        credentials: { accessKeyId: account.accessKeyId, secretAccessKey: account.secretAccessKey },
      }),
    };
  }

  it('leaves Total empty when grouped, fills it when not, and marks the current month estimated', async () => {
    const { GetCostAndUsageCommand } = await import('@aws-sdk/client-cost-explorer');
    const { ce } = await client();
    const range = { Start: '2026-10-30', End: '2026-11-03' };
    const grouped = await ce.send(
      new GetCostAndUsageCommand({
        TimePeriod: range,
        Granularity: 'DAILY',
        Metrics: ['UnblendedCost'],
        GroupBy: [{ Type: 'DIMENSION', Key: 'SERVICE' }],
      }),
    );
    expect(
      grouped.ResultsByTime?.map((r) => [r.TimePeriod?.Start, r.Estimated, Object.keys(r.Total ?? {}).length, (r.Groups?.length ?? 0) > 0]),
    ).toEqual([
      ['2026-10-30', false, 0, true],
      ['2026-10-31', false, 0, true],
      ['2026-11-01', true, 0, true],
      ['2026-11-02', true, 0, true],
    ]);
    const total = await ce.send(
      new GetCostAndUsageCommand({ TimePeriod: range, Granularity: 'MONTHLY', Metrics: ['UnblendedCost', 'AmortizedCost'] }),
    );
    expect(
      total.ResultsByTime?.map((r) => [r.TimePeriod?.Start, r.TimePeriod?.End, r.Groups?.length, r.Total?.UnblendedCost?.Unit]),
    ).toEqual([
      ['2026-10-30', '2026-11-01', 0, 'USD'],
      ['2026-11-01', '2026-11-03', 0, 'USD'],
    ]);
    // The 1st carries the month's reservation fees unblended; amortized spreads them.
    expect(total.ResultsByTime?.[1].Total?.UnblendedCost?.Amount).not.toBe(total.ResultsByTime?.[1].Total?.AmortizedCost?.Amount);
  });

  it('pages long grouped answers with NextPageToken', async () => {
    const { GetCostAndUsageCommand } = await import('@aws-sdk/client-cost-explorer');
    const { ce } = await client();
    const input = {
      TimePeriod: { Start: '2026-01-01', End: '2026-11-01' },
      Granularity: 'DAILY' as const,
      Metrics: ['UnblendedCost'],
      GroupBy: [
        { Type: 'DIMENSION' as const, Key: 'LINKED_ACCOUNT' },
        { Type: 'DIMENSION' as const, Key: 'SERVICE' },
      ],
    };
    let token: string | undefined;
    let pages = 0;
    const days = new Set<string>();
    do {
      const page = await ce.send(new GetCostAndUsageCommand({ ...input, NextPageToken: token }));
      for (const result of page.ResultsByTime ?? []) days.add(result.TimePeriod?.Start ?? '');
      token = page.NextPageToken;
      pages += 1;
    } while (token);
    expect(pages).toBeGreaterThan(1);
    expect(days.size).toBe(304);
  });

  it('answers bad requests with the real exception types', async () => {
    const { GetCostAndUsageCommand } = await import('@aws-sdk/client-cost-explorer');
    const { ce } = await client();
    await expect(
      ce.send(
        new GetCostAndUsageCommand({
          TimePeriod: { Start: '2026-11-02', End: '2026-11-01' },
          Granularity: 'DAILY',
          Metrics: ['UnblendedCost'],
        }),
      ),
    ).rejects.toMatchObject({
      name: 'ValidationException',
      message: 'Start date (and hour) should be before end date (and hour)',
    });
    await expect(
      ce.send(
        new GetCostAndUsageCommand({
          TimePeriod: { Start: '2020-01-01', End: '2020-02-01' },
          Granularity: 'MONTHLY',
          Metrics: ['UnblendedCost'],
        }),
      ),
    ).rejects.toMatchObject({ name: 'DataUnavailableException' });
    await expect(
      ce.send(
        new GetCostAndUsageCommand({
          TimePeriod: { Start: '2026-10-01', End: '2026-11-01' },
          Granularity: 'MONTHLY',
          Metrics: ['UnblendedCost'],
          GroupBy: [{ Type: 'DIMENSION', Key: 'COLOUR' }],
        }),
      ),
    ).rejects.toMatchObject({ name: 'ValidationException' });
  });

  it('throttles with LimitExceededException', async () => {
    const { CostExplorerClient, GetCostAndUsageCommand } = await import('@aws-sdk/client-cost-explorer');
    const { SandboxServer } = await import('../../src/sandbox/server/server.js');
    const { costExplorerService } = await import('../../src/sandbox/aws/costexplorer.js');
    const server = new SandboxServer(demo.sandbox.estate, [costExplorerService]);
    server.intercept((req, service) => service.faultResponse(req, 'throttle'));
    const origin = await server.listen();
    try {
      const account = demo.sandbox.estate.aws.accounts[0];
      const ce = new CostExplorerClient({
        region: 'us-east-1',
        endpoint: origin,
        maxAttempts: 1,
        credentials: { accessKeyId: account.accessKeyId, secretAccessKey: account.secretAccessKey },
      });
      await expect(
        ce.send(
          new GetCostAndUsageCommand({
            TimePeriod: { Start: '2026-10-01', End: '2026-11-01' },
            Granularity: 'MONTHLY',
            Metrics: ['UnblendedCost'],
          }),
        ),
      ).rejects.toMatchObject({
        name: 'LimitExceededException',
      });
    } finally {
      await server.close();
    }
  });

  it('shows a member account only its own spend, and the management account every linked account', async () => {
    const { GetCostAndUsageCommand } = await import('@aws-sdk/client-cost-explorer');
    const input = {
      TimePeriod: { Start: '2026-10-01', End: '2026-11-01' },
      Granularity: 'MONTHLY' as const,
      Metrics: ['UnblendedCost'],
      GroupBy: [{ Type: 'DIMENSION' as const, Key: 'LINKED_ACCOUNT' }],
    };
    const management = await client();
    const all = await management.ce.send(new GetCostAndUsageCommand(input));
    expect(all.ResultsByTime?.[0].Groups?.length).toBe(new Set(truth.lines.filter((l) => l.cloud === 'aws').map((l) => l.account)).size);
    const member = await client(1);
    const own = await member.ce.send(new GetCostAndUsageCommand(input));
    expect(own.ResultsByTime?.[0].Groups?.map((g) => g.Keys?.[0])).toEqual([member.account.id]);
  });

  it('caches answers on disk and counts only the requests it paid for', async () => {
    const { readCostExplorer } = await import('../../src/providers/aws/costs.js');
    const { ce } = await client();
    const cache = { dir: join(dir, 'ce-cache'), ttlMs: 60_000 };
    const query: CostQuery = { start: '2026-01-01', end: '2026-11-01', granularity: 'daily', metric: 'unblended', dimension: 'service' };
    const first = emptyReadStats();
    const fresh = await readCostExplorer(ce, query, 'test', { cache, stats: first });
    expect(first.paidRequests).toBeGreaterThan(1);
    const second = emptyReadStats();
    const cached = await readCostExplorer(ce, query, 'test', { cache, stats: second });
    expect(second).toEqual({ paidRequests: 0, cachedRequests: first.paidRequests, requests: first.paidRequests });
    expect(cached).toEqual(fresh);
  });
});

describe('Cost Management and BigQuery wire details', () => {
  it('follows nextLink when a subscription has more rows than a page', async () => {
    const { costManagementClient, readSubscriptionCosts } = await import('../../src/providers/azure/costs.js');
    const { client } = await costManagementClient(demo.profile.azure ?? {}, env);
    const subscription = demo.sandbox.estate.azure.subscriptions[0].id;
    const stats = emptyReadStats();
    const query: CostQuery = { start: '2026-01-01', end: '2026-11-26', granularity: 'daily', metric: 'unblended', dimension: 'tag:team' };
    const groups = await readSubscriptionCosts(client, subscription, query, { stats });
    expect(stats.requests).toBeGreaterThan(1);
    const got = observed({ ...(await read('azure', query)), groups });
    const want = new Map([...expected('azure', query)].filter(([k]) => k.startsWith(`${subscription}|`)));
    expect(got).toEqual(want);
  });

  it('rejects SQL it does not know with invalidQuery and pages results through getQueryResults', async () => {
    const { resolveGcpCredentials } = await import('../../src/providers/gcp/credentials.js');
    const { BigQuery } = await import('@google-cloud/bigquery');
    const { BILLING_QUERIES } = await import('../../src/providers/gcp/costs.js');
    const settings = demo.profile.gcp ?? {};
    const credentials = await resolveGcpCredentials(settings, env);
    const bigquery = new BigQuery({
      projectId: settings.projects?.[0],
      apiEndpoint: settings.endpoint,
      authClient: credentials.auth as never,
    });
    await expect(bigquery.query('SELECT 1')).rejects.toMatchObject({
      code: 400,
      errors: [expect.objectContaining({ reason: 'invalidQuery' })],
    });
    const query = BILLING_QUERIES.byDimension.replace('{table}', settings.billingExportTable ?? '');
    const params = { start: bigquery.date('2026-09-01'), end: bigquery.date('2026-11-01') };
    const [all] = await bigquery.query({ query, params });
    const [paged] = await bigquery.query({ query, params, maxResults: 100 });
    expect(all.length).toBeGreaterThan(100);
    expect(paged).toEqual(all);
    await expect(
      bigquery.query({ query: query.replace(settings.billingExportTable ?? '', 'nope-project.billing.gcp_billing_export_v1_X'), params }),
    ).rejects.toMatchObject({ code: 404 });
  });
});

describe('Cost Explorer filters', () => {
  it('filters by dimension and by tag the way the SDK sends them', async () => {
    const { CostExplorerClient, GetCostAndUsageCommand } = await import('@aws-sdk/client-cost-explorer');
    const account = demo.sandbox.estate.aws.accounts.find((a) => a.management) ?? demo.sandbox.estate.aws.accounts[0];
    const ce = new CostExplorerClient({
      region: 'us-east-1',
      endpoint: demo.sandbox.awsOrigin,
      credentials: { accessKeyId: account.accessKeyId, secretAccessKey: account.secretAccessKey },
    });
    const base = { TimePeriod: { Start: '2026-10-01', End: '2026-11-01' }, Granularity: 'MONTHLY' as const, Metrics: ['UnblendedCost'] };
    const byService = await ce.send(new GetCostAndUsageCommand({ ...base, GroupBy: [{ Type: 'DIMENSION', Key: 'SERVICE' }] }));
    const ec2 = byService.ResultsByTime?.[0].Groups?.find((g) => g.Keys?.[0] === 'Amazon Elastic Compute Cloud - Compute');
    const filtered = await ce.send(
      new GetCostAndUsageCommand({
        ...base,
        Filter: { Dimensions: { Key: 'SERVICE', Values: ['Amazon Elastic Compute Cloud - Compute'] } },
      }),
    );
    expect(filtered.ResultsByTime?.[0].Total?.UnblendedCost?.Amount).toBe(ec2?.Metrics?.UnblendedCost?.Amount);
    const byTeam = await ce.send(new GetCostAndUsageCommand({ ...base, GroupBy: [{ Type: 'TAG', Key: 'team' }] }));
    const team = byTeam.ResultsByTime?.[0].Groups?.find((g) => g.Keys?.[0] !== 'team$');
    const value = team?.Keys?.[0]?.slice('team$'.length) ?? '';
    const tagged = await ce.send(new GetCostAndUsageCommand({ ...base, Filter: { Tags: { Key: 'team', Values: [value] } } }));
    expect(tagged.ResultsByTime?.[0].Total?.UnblendedCost?.Amount).toBe(team?.Metrics?.UnblendedCost?.Amount);
  });
});
