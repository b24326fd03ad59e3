// `guardian optimize` end to end: the built binary on --profile demo and two other seeds (pinned
// day), every recommendation kind's precision and recall against the sandbox manifest's planted
// cost conditions, no recommendation on a resource the manifest marks clean, every saving equal to
// the price tables' figure or, on a billed basis, to the manifest's resource-level bill × 730/336
// (the planted private rates below list); resource-level data turned off (list, one note); the
// offline path (--input) and its skipped rules; --min-saving; the
// output formats; bad input; --strict over a region that is down.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Recommendation, RecommendationAction } from '../../src/model/recommendation.js';
import * as pricing from '../../src/pricing/catalog.js';
import { SANDBOX_DEFAULTS } from '../../src/sandbox/defaults.js';
import { generateEstate } from '../../src/sandbox/estate/generate.js';
import type { Estate, EstateResource } from '../../src/sandbox/estate/types.js';
import { buildManifest, type CostCondition, type SandboxManifest } from '../../src/sandbox/manifest.js';

const NOW = '2026-11-25';
const SIZE = '600';
let dir: string;

function guardian(args: string[], extra: Record<string, string> = {}) {
  return execa(process.execPath, ['dist/bin/guardian.js', ...args], {
    reject: false,
    extendEnv: false,
    stdin: 'ignore',
    env: {
      PATH: process.env.PATH,
      HOME: dir,
      CI: 'true',
      GUARDIAN_CONFIG_DIR: join(dir, 'config'),
      GUARDIAN_DATA_DIR: join(dir, 'data'),
      GUARDIAN_DEMO_SIZE: SIZE,
      GUARDIAN_DEMO_NOW: NOW,
      ...extra,
    },
  });
}

/** The planted condition each recommendation action answers. */
const CONDITION_OF: Record<RecommendationAction, CostCondition> = {
  stop: 'instance-idle',
  resize: 'instance-oversized',
  modernize: 'instance-previous-gen',
  'delete-stopped': 'instance-stopped-long',
  'delete-volume': 'volume-unattached',
  'change-volume-type': 'volume-gp2',
  'release-address': 'address-unassociated',
  'delete-snapshot': 'snapshot-orphaned',
  'delete-load-balancer': 'load-balancer-idle',
  'delete-database': 'database-idle',
};

interface Doc {
  kind: string;
  metricCalls: { batches: number; calls: number; pages: number; retries: number; points: number };
  complete: boolean;
  skippedRules: string[];
  recommendations: Recommendation[];
  totals: { count: number; monthlySaving: number; byAction: { action: string; count: number; monthlySaving: number }[] };
}

/**
 * The list price of what the recommendation stops paying for, computed here from the catalog and
 * the estate's own records (not from the resource Guardian normalised).
 */
function expectedSaving(r: Recommendation, estate: Estate, byId: Map<string, EstateResource>): number | null {
  const e = byId.get(r.resource.id)!;
  const h = pricing.HOURS_PER_MONTH;
  const month = (price: pricing.Price | undefined) => (price ? price.amount : Number.NaN);
  const hour = (price: pricing.Price | undefined) => (price ? price.amount * h : Number.NaN);
  const machineHour = (type: string) =>
    e.kind === 'aws.ec2.instance'
      ? hour(pricing.ec2InstanceHour(type, e.region))
      : e.kind === 'azure.compute.vm'
        ? hour(pricing.azureVmHour(type, e.spec.osType, e.region))
        : hour(pricing.gcpMachineHour(type, e.region));
  const typeOf = (x: EstateResource) =>
    x.kind === 'aws.ec2.instance'
      ? x.spec.instanceType
      : x.kind === 'azure.compute.vm'
        ? x.spec.vmSize
        : x.kind === 'gcp.compute.instance'
          ? x.spec.machineType
          : '';
  const diskMonth = (d: EstateResource) =>
    d.kind === 'aws.ec2.volume'
      ? month(pricing.ebsVolumeMonth(d.spec.volumeType, d.spec.sizeGb, d.spec.iops, d.region))
      : d.kind === 'azure.compute.disk'
        ? month(pricing.azureDiskMonth(d.spec.sku, d.spec.sizeGb, d.region))
        : d.kind === 'gcp.compute.disk'
          ? month(pricing.gcpDiskMonth(d.spec.type, d.spec.sizeGb, d.region))
          : Number.NaN;
  let value: number;
  switch (r.action) {
    case 'stop':
      value = machineHour(typeOf(e));
      break;
    case 'resize':
    case 'modernize': {
      const target = /--instance-type Value=(\S+)|--size (\S+)|--machine-type (\S+)/.exec(r.command.cli)!;
      value = machineHour(typeOf(e)) - machineHour(target[1] ?? target[2] ?? target[3]);
      break;
    }
    case 'delete-stopped': {
      const disks =
        e.kind === 'aws.ec2.instance'
          ? e.spec.volumeIds
          : e.kind === 'azure.compute.vm'
            ? [e.spec.osDiskId, ...e.spec.dataDiskIds].filter((id): id is string => id !== undefined)
            : e.kind === 'gcp.compute.instance'
              ? e.spec.diskIds
              : [];
      value = disks.reduce((sum, id) => sum + diskMonth(byId.get(id)!), 0);
      break;
    }
    case 'delete-volume':
      value = diskMonth(e);
      break;
    case 'change-volume-type': {
      if (e.kind !== 'aws.ec2.volume') return Number.NaN;
      const iops = Math.max(3000, e.spec.iops ?? 0);
      value =
        month(pricing.ebsVolumeMonth('gp2', e.spec.sizeGb, undefined, e.region)) -
        month(pricing.ebsVolumeMonth('gp3', e.spec.sizeGb, iops, e.region));
      break;
    }
    case 'release-address':
      value =
        e.kind === 'aws.ec2.address'
          ? hour(pricing.publicIpv4Hour(e.region))
          : e.kind === 'azure.network.public-ip'
            ? hour(pricing.azurePublicIpHour(e.spec.sku, e.region))
            : hour(pricing.gcpAddressHour(false, e.region));
      break;
    case 'delete-snapshot':
      value =
        e.kind === 'aws.ec2.snapshot'
          ? month(pricing.ebsSnapshotMonth(e.spec.sizeGb, e.region))
          : e.kind === 'azure.compute.snapshot'
            ? month(pricing.azureSnapshotMonth(e.spec.sizeGb, e.region))
            : e.kind === 'gcp.compute.snapshot'
              ? month(pricing.gcpSnapshotMonth(e.spec.storageBytes / 1024 ** 3, e.region))
              : Number.NaN;
      break;
    case 'delete-load-balancer':
      value = e.kind === 'aws.elbv2.load-balancer' ? hour(pricing.loadBalancerHour(e.spec.type, e.region)) : Number.NaN;
      break;
    case 'delete-database': {
      if (e.kind !== 'aws.rds.instance') return Number.NaN;
      const instance = pricing.rdsInstanceHour(e.spec.instanceClass, e.spec.engine, e.spec.multiAz, e.region);
      const storage = pricing.rdsStorageMonth(e.spec.storageType, e.spec.storageGb, e.spec.multiAz, e.region);
      if (!instance || !storage) return null;
      value = instance.amount * h + storage.amount;
      break;
    }
  }
  void estate;
  return Number.isNaN(value) ? Number.NaN : Math.round(value * 100) / 100;
}

/**
 * The billed saving: the resource's bill over the manifest's 14 days × 730 / 336, all of it for an
 * action that removes the resource, or the list saving's share of the resource's list figure.
 */
function expectedBilledSaving(r: Recommendation, manifest: SandboxManifest, byId: Map<string, EstateResource>): number {
  const bill = manifest.resourceBilling.billed[r.resource.id];
  const monthly = (bill * pricing.HOURS_PER_MONTH) / (14 * 24);
  const e = byId.get(r.resource.id)!;
  let share = 1;
  if (r.action === 'resize' || r.action === 'modernize') {
    if (e.kind !== 'aws.ec2.instance') return Number.NaN;
    const target = /--instance-type Value=(\S+)/.exec(r.command.cli)![1];
    const hour = (type: string) => pricing.ec2InstanceHour(type, e.region)!.amount;
    share = (hour(e.spec.instanceType) - hour(target)) / hour(e.spec.instanceType);
  } else if (r.action === 'change-volume-type') {
    if (e.kind !== 'aws.ec2.volume') return Number.NaN;
    const gp2 = pricing.ebsVolumeMonth('gp2', e.spec.sizeGb, undefined, e.region)!.amount;
    const gp3 = pricing.ebsVolumeMonth('gp3', e.spec.sizeGb, Math.max(3000, e.spec.iops ?? 0), e.region)!.amount;
    share = (gp2 - gp3) / gp2;
  }
  return Math.round(monthly * share * 100) / 100;
}

/** Equal to the cent, give or take the one cent a half-cent rounds either way by (sums of 10-decimal amounts). */
function expectCent(actual: number | null, expected: number, label: string) {
  expect(actual, label).not.toBeNull();
  expect(Math.abs((actual as number) - expected), `${label}: ${actual} vs ${expected}`).toBeLessThanOrEqual(0.0100001);
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'guardian-e2e-optimize-'));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe.each([
  ['--profile demo as it comes (seed 42, 2000 resources)', String(SANDBOX_DEFAULTS.seed), String(SANDBOX_DEFAULTS.size)],
  ['seed 7', '7', SIZE],
  ['seed 1234', '1234', SIZE],
])('guardian optimize on %s', (_label, seed, size) => {
  let doc: Doc;
  let manifest: SandboxManifest;
  let estate: Estate;

  beforeAll(async () => {
    estate = generateEstate({ seed: Number(seed), size: Number(size), now: NOW });
    manifest = buildManifest(estate);
    const run = await guardian(['optimize', '--profile', 'demo', '--json'], { GUARDIAN_DEMO_SEED: seed, GUARDIAN_DEMO_SIZE: size });
    expect(run.exitCode, run.stderr).toBe(0);
    doc = JSON.parse(run.stdout) as Doc;
  }, 400_000);

  it('finds each planted cost condition with precision and recall of at least 0.95', () => {
    expect(doc.kind).toBe('guardian.optimize');
    expect(doc.complete).toBe(true);
    expect(doc.metricCalls.calls).toBeGreaterThanOrEqual(doc.metricCalls.batches);
    console.log(`seed ${seed}: metric calls ${JSON.stringify(doc.metricCalls)}`);
    const scores: string[] = [];
    for (const [action, condition] of Object.entries(CONDITION_OF) as [RecommendationAction, CostCondition][]) {
      const found = new Set(doc.recommendations.filter((r) => r.action === action).map((r) => r.resource.id));
      const planted = new Set(manifest.planted[condition]);
      const hits = [...found].filter((id) => planted.has(id)).length;
      const precision = found.size === 0 ? (planted.size === 0 ? 1 : 0) : hits / found.size;
      const recall = planted.size === 0 ? 1 : hits / planted.size;
      scores.push(`${action} (${condition}): precision ${precision.toFixed(3)} recall ${recall.toFixed(3)} of ${planted.size}`);
      expect(planted.size, condition).toBeGreaterThan(0);
      expect(precision, `${action} precision: ${[...found].filter((id) => !planted.has(id)).join(', ')}`).toBeGreaterThanOrEqual(0.95);
      expect(recall, `${action} recall: missed ${[...planted].filter((id) => !found.has(id)).join(', ')}`).toBeGreaterThanOrEqual(0.95);
    }
    console.log(`seed ${seed}, ${size} resources:\n  ${scores.join('\n  ')}`);
  });

  it('prices the resources planted with a private rate at what they were billed, below their list saving', () => {
    const byId = new Map(estate.resources.map((r) => [r.id, r]));
    const discounted = new Map(manifest.resourceBilling.discounted.map((d) => [d.id, d.factor]));
    const rows = doc.recommendations.filter((r) => discounted.has(r.resource.id) && r.action !== 'delete-stopped');
    expect(rows.length, 'rows on planted discounted resources').toBeGreaterThan(0);
    for (const r of rows) {
      expect(r.priceBasis, r.id).toBe('billed');
      expectCent(r.monthlySaving, expectedBilledSaving(r, manifest, byId), r.id);
      const list = expectedSaving(r, estate, byId);
      // The load balancer's bill carries its capacity units, which its list figure leaves out.
      if (list !== null && r.action !== 'delete-load-balancer') expect(r.monthlySaving!, `${r.action} ${r.id}`).toBeLessThan(list * 0.95);
    }
  });

  it('recommends nothing for a resource the manifest marks clean for that condition', () => {
    for (const [action, condition] of Object.entries(CONDITION_OF) as [RecommendationAction, CostCondition][]) {
      const clean = new Set(manifest.clean[condition]);
      const wrong = doc.recommendations.filter((r) => r.action === action && clean.has(r.resource.id));
      expect(
        wrong.map((r) => r.resource.id),
        `${action} on clean resources`,
      ).toEqual([]);
    }
  });

  it('gives every saving as the price tables give it, or as the resource was billed, and sums them per action', () => {
    const byId = new Map(estate.resources.map((r) => [r.id, r]));
    for (const r of doc.recommendations) {
      expect(r.currency).toBe('USD');
      // Every AWS row Cost Explorer's resource-level data can price is billed; a stopped machine's disks bill apart from it.
      const billable = r.resource.cloud === 'aws' && r.action !== 'delete-stopped' && manifest.resourceBilling.billed[r.resource.id] > 0;
      expect(r.priceBasis, `${r.action} ${r.resource.id}`).toBe(billable ? 'billed' : 'list');
      if (r.priceBasis === 'billed') {
        expectCent(r.monthlySaving, expectedBilledSaving(r, manifest, byId), `billed ${r.action} ${r.resource.id}`);
        continue;
      }
      const expected = expectedSaving(r, estate, byId);
      if (expected === null) {
        expect(r.monthlySaving, r.id).toBeNull();
        expect(r.unpriced, r.id).toMatch(/no list price/);
      } else expect(r.monthlySaving, `${r.action} ${r.resource.id}`).toBeCloseTo(expected, 2);
      expect(r.command.applyId).toBe(r.id);
      expect(r.evidence.length).toBeGreaterThan(0);
    }
    expect(doc.recommendations.some((r) => r.priceBasis === 'billed')).toBe(true);
    const sorted = doc.recommendations.map((r) => r.monthlySaving ?? -1);
    expect(sorted).toEqual([...sorted].sort((a, b) => b - a));
    for (const subtotal of doc.totals.byAction) {
      const mine = doc.recommendations.filter((r) => r.action === subtotal.action);
      expect(subtotal.count).toBe(mine.length);
      expect(subtotal.monthlySaving).toBeCloseTo(
        mine.reduce((sum, r) => sum + (r.monthlySaving ?? 0), 0),
        1,
      );
    }
  });
});

describe('guardian optimize and Cost Explorer resource-level data', () => {
  const seed = { GUARDIAN_DEMO_SEED: '42' };

  it('falls back to list prices with one note when the account has not opted in, and refuses --price-basis billed (exit 3)', {
    timeout: 240_000,
  }, async () => {
    const off = { ...seed, GUARDIAN_DEMO_RESOURCE_DATA: 'off' };
    const run = await guardian(['optimize', '--profile', 'demo', '--provider', 'aws', '--json'], off);
    expect(run.exitCode, run.stderr).toBe(0);
    const doc = JSON.parse(run.stdout) as Doc & { billing: { status: string; message?: string } };
    expect(doc.billing.status).toBe('not-enabled');
    expect(doc.recommendations.length).toBeGreaterThan(0);
    expect(doc.recommendations.every((r) => r.priceBasis === 'list')).toBe(true);
    const notes = run.stderr.split('\n').filter((line) => /resource-level data/.test(line));
    expect(notes).toEqual(["Cost Explorer's resource-level data is not enabled for this account: AWS savings are at list prices"]);

    const billed = await guardian(['optimize', '--profile', 'demo', '--provider', 'aws', '--price-basis', 'billed'], off);
    expect(billed.exitCode, billed.stderr).toBe(3);
    expect(billed.stderr.trim().split('\n').at(-1)).toMatch(
      /^guardian: --price-basis billed: Cost Explorer's resource-level data is not enabled/,
    );
    expect(billed.stderr).not.toMatch(/\n\s+at /);
  });

  it('shows each row’s basis in the table and Markdown, and --price-basis list asks Cost Explorer nothing', {
    timeout: 240_000,
  }, async () => {
    const table = await guardian(['optimize', '--profile', 'demo', '--provider', 'aws'], { ...seed, COLUMNS: '400' });
    expect(table.exitCode, table.stderr).toBe(0);
    expect(table.stdout).toMatch(/\bbasis\b/);
    expect(table.stdout).toMatch(/\$[\d,.]+ │ billed │/);
    expect(table.stdout).toMatch(
      /\d+ recommendation\(s\), \$[\d,.]+ a month (at what each resource was billed|\(\d+ row\(s\) at what the resource was billed, \d+ at list prices\))/,
    );

    const markdown = await guardian(['optimize', '--profile', 'demo', '--provider', 'aws', '-o', 'markdown'], seed);
    expect(markdown.stdout).toContain('| saving a month | basis | action |');
    expect(markdown.stdout).toMatch(/\| billed \|/);
    expect(markdown.stdout).toContain('× 730 / 336');

    const list = await guardian(
      ['optimize', '--profile', 'demo', '--provider', 'aws', '--price-basis', 'list', '--json', '--verbose'],
      seed,
    );
    expect(list.exitCode, list.stderr).toBe(0);
    const doc = JSON.parse(list.stdout) as Doc & { billing: { status: string } };
    expect(doc.billing.status).toBe('not-asked');
    expect(doc.recommendations.every((r) => r.priceBasis === 'list')).toBe(true);
  });
});

describe('guardian optimize offline, formats and bad input', () => {
  it('works from a snapshot with --input, skipping and naming the rules that need metrics', { timeout: 240_000 }, async () => {
    const discovered = await guardian(['discover', '--profile', 'demo', '--json', '--no-save'], { GUARDIAN_DEMO_SEED: '42' });
    expect(discovered.exitCode, discovered.stderr).toBe(0);
    const snapshot = join(dir, 'snapshot.json');
    writeFileSync(snapshot, discovered.stdout);
    const run = await guardian(['optimize', '--input', snapshot, '--json']);
    expect(run.exitCode, run.stderr).toBe(0);
    const doc = JSON.parse(run.stdout) as Doc;
    expect(doc.skippedRules.sort()).toEqual(
      ['AWS-COST-001', 'AWS-COST-002', 'AWS-COST-009', 'AWS-COST-010', 'AZ-COST-001', 'AZ-COST-002', 'GCP-COST-001', 'GCP-COST-002'].sort(),
    );
    expect(run.stderr).toMatch(/offline \(--input\): skipped 8 rule\(s\) that need metrics: .*AWS-COST-001/);
    const actions = new Set(doc.recommendations.map((r) => r.action));
    expect(actions.has('stop') || actions.has('resize') || actions.has('delete-database')).toBe(false);
    for (const action of ['modernize', 'delete-volume', 'release-address', 'delete-snapshot', 'change-volume-type', 'delete-stopped'])
      expect(actions, action).toContain(action);

    const min = await guardian(['optimize', '--input', snapshot, '--min-saving', '50', '--json']);
    const kept = (JSON.parse(min.stdout) as Doc).recommendations;
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.length).toBeLessThan(doc.recommendations.length);
    for (const r of kept) if (r.monthlySaving !== null) expect(r.monthlySaving).toBeGreaterThanOrEqual(50);

    const csv = await guardian(['optimize', '--input', snapshot, '-o', 'csv']);
    const lines = csv.stdout.trim().split('\r\n');
    expect(lines[0]).toBe(
      'id,rule,action,cloud,kind,resource,name,account,region,monthlySaving,currency,priceBasis,unpriced,evidence,risk,command',
    );
    expect(lines.length).toBe(doc.recommendations.length + 1);

    const markdown = await guardian(['optimize', '--input', snapshot, '-o', 'markdown']);
    expect(markdown.stdout).toMatch(/^## Guardian optimize: \$[\d,.]+ a month to save/);
    expect(markdown.stdout).toContain('| action | count | saving | unpriced |');

    const table = await guardian(['optimize', '--input', snapshot]);
    expect(table.stdout).toMatch(/\d+ recommendation\(s\), \$[\d,.]+ a month at list prices/);

    const query = await guardian(['optimize', '--input', snapshot, '--json', '--query', 'totals.count']);
    expect(Number(query.stdout)).toBe(doc.recommendations.length);
  });

  it('lists the cost rules, which metrics each needs and its action, without calling a cloud', async () => {
    const run = await guardian(['optimize', '--list-rules', '--json']);
    expect(run.exitCode, run.stderr).toBe(0);
    const doc = JSON.parse(run.stdout) as { kind: string; rules: { id: string; action: string; metrics: string[]; category: string }[] };
    expect(doc.kind).toBe('guardian.cost-rules');
    expect(doc.rules).toHaveLength(24);
    expect(new Set(doc.rules.map((r) => r.action))).toEqual(new Set(Object.keys(CONDITION_OF)));
    expect(doc.rules.every((r) => r.category === 'cost')).toBe(true);
    const aws = await guardian(['optimize', '--list-rules', '--provider', 'aws', '--json']);
    expect((JSON.parse(aws.stdout) as typeof doc).rules.every((r) => r.id.startsWith('AWS-'))).toBe(true);
  });

  it('refuses bad values with one line and exit 2, and a file that is not a snapshot with exit 2 or 3', async () => {
    for (const args of [
      ['--min-saving', '-1'],
      ['--min-saving', 'lots'],
      ['--idle-cpu', '150'],
      ['--stopped-days', '0'],
      ['--rules', 'AWS-COST-999'],
      ['--since', 'forever'],
      ['--provider', 'oracle'],
      ['--price-basis', 'cheapest'],
    ]) {
      const run = await guardian(['optimize', '--profile', 'demo', ...args]);
      expect(run.exitCode, args.join(' ')).toBe(2);
      expect(run.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(run.stderr).not.toMatch(/\n\s+at /);
    }
    const notSnapshot = join(dir, 'not-a-snapshot.json');
    writeFileSync(notSnapshot, JSON.stringify({ hello: 'world' }));
    const run = await guardian(['optimize', '--input', notSnapshot]);
    expect([2, 3]).toContain(run.exitCode);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/snapshot/);
  });

  it('stops at --timeout, says so on stderr, and exits 4 under --strict', { timeout: 240_000 }, async () => {
    const run = await guardian(['optimize', '--profile', 'demo', '--timeout', '1s', '--strict', '--json'], { GUARDIAN_DEMO_SEED: '42' });
    expect(run.exitCode, run.stderr).toBe(4);
    expect(run.stderr).toMatch(/RunTimeout/);
    expect((JSON.parse(run.stdout) as Doc).complete).toBe(false);
  });

  it('says a region that is down on stderr and exits 4 under --strict', { timeout: 240_000 }, async () => {
    // The busiest AWS region but us-east-1 (where the organisation's global calls go).
    const estate = generateEstate({ seed: 42, size: Number(SIZE), now: NOW });
    const counts = new Map<string, number>();
    for (const r of estate.resources)
      if (r.kind.startsWith('aws.') && r.region !== 'us-east-1' && r.region !== 'global')
        counts.set(r.region, (counts.get(r.region) ?? 0) + 1);
    const down = [...counts].sort((a, b) => b[1] - a[1])[0][0];
    const run = await guardian(['optimize', '--profile', 'demo', '--provider', 'aws', '--strict', '--json', '--call-timeout', '3s'], {
      GUARDIAN_DEMO_SEED: '42',
      GUARDIAN_DEMO_OUTAGE: down,
    });
    expect(run.exitCode, run.stderr).toBe(4);
    expect(run.stderr).toContain(down);
    const doc = JSON.parse(run.stdout) as Doc & { complete: boolean };
    expect(doc.complete).toBe(false);
    expect(doc.recommendations.some((r) => r.resource.region === down)).toBe(false);
    expect(doc.recommendations.length).toBeGreaterThan(0);
  });
});
