// Cost Explorer's resource-level data, through the official SDK against the sandbox: each AWS
// resource's bill adds up with its line's to the cent (the same bill GetCostAndUsage gives), a
// planted few are billed below list, the API's limits answer with its errors (a start older than
// 14 days, no filter, hourly beyond EC2), pages follow NextPageToken, and an account that has not
// opted in is refused — which the provider's reader reports as "not enabled", not as a failure.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CostExplorerClient, GetCostAndUsageWithResourcesCommand } from '@aws-sdk/client-cost-explorer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResourceKind } from '../../src/model/resource.js';
import { createLocalProvider } from '../../src/providers/factory.js';
import { CE_RESOURCE_PAGE_GROUPS } from '../../src/sandbox/aws/costexplorer-resources.js';
import { type Demo, startDemo } from '../../src/sandbox/demo.js';
import { aggregateCosts, billedFactor, costSeries, dayNumber, resourceDailyCost, SERVICES } from '../../src/sandbox/estate/costs.js';
import { resourceBillingManifest, resourceCostSplit } from '../../src/sandbox/estate/resource-costs.js';

const NOW = '2026-11-25';
const KINDS: ResourceKind[] = [
  'aws.ec2.instance',
  'aws.ec2.volume',
  'aws.ec2.snapshot',
  'aws.ec2.address',
  'aws.elbv2.load-balancer',
  'aws.rds.instance',
];
let dir: string;
const demos: Demo[] = [];

async function demoWith(resourceLevelData: boolean): Promise<Demo> {
  const demo = await startDemo({ seed: 11, size: 400, now: NOW, resourceLevelData }, dir);
  demos.push(demo);
  return demo;
}

function client(demo: Demo): CostExplorerClient {
  const management = demo.sandbox.estate.aws.accounts.find((a) => a.management)!;
  return new CostExplorerClient({
    region: 'us-east-1',
    endpoint: demo.sandbox.awsOrigin,
    credentials: { accessKeyId: management.accessKeyId, secretAccessKey: management.secretAccessKey },
    maxAttempts: 1,
  });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'guardian-ce-resources-'));
});

afterAll(async () => {
  for (const demo of demos) await demo.close();
  await rm(dir, { recursive: true, force: true });
});

describe('GetCostAndUsageWithResources against the sandbox', () => {
  it('gives every AWS resource’s bill, adding up to GetCostAndUsage’s line to the cent, and follows pages', async () => {
    const demo = await demoWith(true);
    const truth = costSeries(demo.sandbox.estate);
    const split = resourceCostSplit(demo.sandbox.estate, truth);
    const ce = client(demo);
    const sums = new Map<string, number>();
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await ce.send(
        new GetCostAndUsageWithResourcesCommand({
          TimePeriod: { Start: '2026-11-11', End: '2026-11-25' },
          Granularity: 'DAILY',
          Metrics: ['UnblendedCost'],
          Filter: { Dimensions: { Key: 'SERVICE', Values: Object.values(SERVICES.aws) } },
          GroupBy: [
            { Type: 'DIMENSION', Key: 'RESOURCE_ID' },
            { Type: 'DIMENSION', Key: 'SERVICE' },
          ],
          NextPageToken: token,
        }),
      );
      pages += 1;
      for (const result of page.ResultsByTime ?? [])
        for (const group of result.Groups ?? []) {
          const id = group.Keys![0];
          sums.set(id, (sums.get(id) ?? 0) + Number(group.Metrics!.UnblendedCost.Amount));
        }
      token = page.NextPageToken;
    } while (token);
    ce.destroy();
    expect(pages).toBe(Math.ceil((split.resources.length * 14) / CE_RESOURCE_PAGE_GROUPS));
    const manifest = resourceBillingManifest(demo.sandbox.estate, truth);
    expect(manifest.window).toEqual({ start: '2026-11-11', end: '2026-11-25' });
    for (const [id, amount] of sums) expect(Math.round(amount * 100), id).toBe(Math.round(manifest.billed[id] * 100));
    expect(sums.size).toBe(split.resources.length);
    // Each line's resources add up to the line as GetCostAndUsage bills it.
    const byLine = new Map<number, number>();
    for (const r of split.resources) byLine.set(r.line, (byLine.get(r.line) ?? 0) + Math.round(manifest.billed[r.id] * 100));
    for (const [line, cents] of byLine) {
      const l = truth.lines[line];
      const [period] = aggregateCosts(truth, {
        cloud: 'aws',
        accounts: new Set([l.account]),
        from: '2026-11-11',
        to: '2026-11-25',
        metric: 'unblended',
        granularity: 'none',
        groupBy: ['service', 'region'],
        lineFilter: (x) => x.service === l.service && x.region === l.region,
      });
      expect(cents, `${l.account} ${l.service} ${l.region}`).toBe(period.groups[0].cents);
    }
  });

  it('bills the planted resources at their private rate: below what their list price gives over the same days', () => {
    const estate = demos[0].sandbox.estate;
    const truth = costSeries(estate);
    const manifest = resourceBillingManifest(estate, truth);
    expect(manifest.discounted.length).toBeGreaterThan(0);
    const byId = new Map(estate.resources.map((r) => [r.id, r]));
    for (const { id, factor } of manifest.discounted) {
      expect(factor).toBeLessThan(1);
      expect(billedFactor(byId.get(id)!, estate.seed)).toBe(factor);
      const listFortnight = (resourceDailyCost(byId.get(id)!)!.cents * 14) / 100;
      // Usage shape (weekends, growth) moves a bill by a few percent; a private rate by 15% or more.
      expect(manifest.billed[id], id).toBeLessThan(listFortnight * 0.9);
    }
  });

  it('answers the API’s own errors: an older start, no filter, no resource grouping, hourly beyond EC2, a bad token', async () => {
    const ce = client(demos[0]);
    const base = {
      TimePeriod: { Start: '2026-11-11', End: '2026-11-25' },
      Granularity: 'DAILY' as const,
      Metrics: ['UnblendedCost'],
      Filter: { Dimensions: { Key: 'SERVICE' as const, Values: ['EC2 - Other'] } },
      GroupBy: [{ Type: 'DIMENSION' as const, Key: 'RESOURCE_ID' as const }],
    };
    const refusal = async (input: object) => {
      try {
        await ce.send(new GetCostAndUsageWithResourcesCommand({ ...base, ...input }));
        return 'answered';
      } catch (error) {
        return `${(error as Error).name}: ${(error as Error).message}`;
      }
    };
    expect(await refusal({ TimePeriod: { Start: '2026-11-10', End: '2026-11-25' } })).toMatch(
      /^ValidationException: Start date is more than 14 days ago/,
    );
    expect(await refusal({ Filter: undefined })).toMatch(/^ValidationException: Filter is required/);
    expect(await refusal({ Filter: { Dimensions: { Key: 'REGION', Values: ['us-east-1'] } } })).toMatch(/SERVICE dimension/);
    expect(await refusal({ GroupBy: [{ Type: 'DIMENSION', Key: 'SERVICE' }] })).toMatch(/RESOURCE_ID/);
    expect(await refusal({ Granularity: 'HOURLY' })).toMatch(/only available for EC2-Instances/);
    expect(await refusal({ Granularity: 'MONTHLY' })).toMatch(/^ValidationException/);
    expect(await refusal({ NextPageToken: 'bogus' })).toMatch(/^InvalidNextTokenException/);
    expect(
      await refusal({
        Granularity: 'HOURLY',
        TimePeriod: { Start: '2026-11-24T00:00:00Z', End: '2026-11-24T03:00:00Z' },
        Filter: { Dimensions: { Key: 'SERVICE', Values: [SERVICES.aws.compute] } },
      }),
    ).toBe('answered');
    ce.destroy();
  });

  it('refuses an account that has not opted in, and the reader says "not enabled" instead of failing', async () => {
    const demo = await demoWith(false);
    const ce = client(demo);
    await expect(
      ce.send(
        new GetCostAndUsageWithResourcesCommand({
          TimePeriod: { Start: '2026-11-11', End: '2026-11-25' },
          Granularity: 'DAILY',
          Metrics: ['UnblendedCost'],
          Filter: { Dimensions: { Key: 'SERVICE', Values: ['EC2 - Other'] } },
          GroupBy: [{ Type: 'DIMENSION', Key: 'RESOURCE_ID' }],
        }),
      ),
    ).rejects.toMatchObject({ name: 'DataUnavailableException' });
    ce.destroy();
    const provider = await createLocalProvider('aws', demo.profile, { HOME: dir, ...demo.env }, { callTimeoutMs: 30_000 });
    try {
      const reading = await provider.resourceCosts!(
        { start: '2026-11-11', end: '2026-11-25', kinds: KINDS },
        { signal: AbortSignal.timeout(60_000) },
      );
      expect(reading.resources).toEqual([]);
      expect(reading.notEnabled).toMatch(/not enabled/);
    } finally {
      await provider.close?.();
    }
  });

  it('reads every resource’s bill through the provider’s face, as the manifest gives it', async () => {
    const demo = demos[0];
    const provider = await createLocalProvider('aws', demo.profile, { HOME: dir, ...demo.env }, { callTimeoutMs: 30_000 });
    try {
      const reading = await provider.resourceCosts!(
        { start: '2026-11-11', end: '2026-11-25', kinds: KINDS },
        { signal: AbortSignal.timeout(60_000) },
      );
      expect(reading.notEnabled).toBeUndefined();
      const manifest = demo.sandbox.manifest().resourceBilling;
      expect(manifest.enabled).toBe(true);
      const kinds = new Map(demo.sandbox.estate.resources.map((r) => [r.id, r.kind]));
      // S3 buckets bill too, but optimize asks only for the kinds its rules price.
      expect(reading.resources.length).toBe(Object.keys(manifest.billed).filter((id) => KINDS.includes(kinds.get(id)!)).length);
      for (const r of reading.resources) expect(r.amount, r.id).toBeCloseTo(manifest.billed[r.id], 6);
      expect(reading.stats.paidRequests).toBeGreaterThan(0);
      expect(dayNumber(reading.end) - dayNumber(reading.start)).toBe(14);
    } finally {
      await provider.close?.();
    }
  });
});
