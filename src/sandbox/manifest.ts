// The ground truth of a sandbox estate, for tests and for people checking what Guardian reports:
// counts by cloud, account, region and kind, every planted condition with its resource ids, the
// identities (never keys or secrets), the disk-filling machines' fill dates and the true cost
// series with its labelled anomalies.

import { type Cloud, cloudOfKind, type ResourceKind } from '../model/resource.js';
import { type CostSeriesManifest, costManifest, costSeries } from './estate/costs.js';
import { instanceEvents } from './estate/events.js';
import { OLD_SNAPSHOT_DAYS, PLANT_RATES } from './estate/generate.js';
import { diskTrend } from './estate/metrics.js';
import { type Estate, PLANTED_CONDITIONS, type PlantedCondition } from './estate/types.js';

export type KindCounts = Partial<Record<ResourceKind, number>>;

export interface AccountCounts {
  cloud: Cloud;
  /** Account name / subscription name / project id. */
  name: string;
  total: number;
  byKind: KindCounts;
  /** By the resource's own region field: AWS region, Azure location, GCP zone, region or 'global'. */
  byRegion: Record<string, KindCounts>;
  /** GCP only: zonal kinds rolled up to their region (us-central1-a → us-central1), regional kinds as they are. */
  byParentRegion?: Record<string, KindCounts>;
}

export interface SandboxManifest {
  seed: number;
  size: number;
  now: string;
  /** The estate's version: 0 as generated, one more for every change a mutating call made. */
  version: number;
  identities: {
    aws: {
      organizationRole: string;
      allRegions: string[];
      accounts: { id: string; name: string; management: boolean; regions: string[] }[];
    };
    azure: { tenantId: string; clientId: string; subscriptions: { id: string; name: string; locations: string[] }[] };
    gcp: { serviceAccountEmail: string; projects: { id: string; number: string; regions: string[]; zones: string[] }[] };
  };
  counts: {
    total: number;
    byCloud: Record<Cloud, number>;
    byKind: KindCounts;
    byAccount: Record<string, AccountCounts>;
  };
  /** Every planted condition (all of them, empty when none was planted) → resource ids. */
  planted: Record<PlantedCondition, string[]>;
  /**
   * For each cost condition, the resources of the kinds it applies to (COST_CONDITION_KINDS) that
   * are not planted with it: what an optimizer must leave alone for that condition.
   */
  clean: Record<CostCondition, string[]>;
  /** The kinds each cost condition applies to. */
  costConditionKinds: Record<CostCondition, ResourceKind[]>;
  /** The share of eligible resources each condition is planted on (see PLANT_RATES). */
  plantRates: Record<PlantedCondition, number>;
  thresholds: { oldSnapshotDays: number };
  /**
   * Machines planted 'disk-filling': when their disk-used % reaches 90 and 100, and the clean-up
   * (a reset: the level dropped by `drop` points) some had, after which it climbs on the same line.
   */
  diskFilling: DiskFilling[];
  /** Running EC2 instances with an upcoming maintenance event (DescribeInstanceStatus); completed ones are not listed here. */
  maintenance: { id: string; code: string; notBefore: string; notAfter?: string }[];
  costs: CostSeriesManifest;
}

export interface DiskFilling {
  id: string;
  at90: string;
  fullAt: string;
  reset?: { at: string; drop: number };
}

const GCP_ZONE = /^(.+)-[a-z]$/;

const MACHINES: ResourceKind[] = ['aws.ec2.instance', 'azure.compute.vm', 'gcp.compute.instance'];
const SNAPSHOTS: ResourceKind[] = ['aws.ec2.snapshot', 'azure.compute.snapshot', 'gcp.compute.snapshot'];

/** The cost and waste conditions and the kinds each can be planted on. */
export const COST_CONDITION_KINDS = {
  'instance-idle': MACHINES,
  'instance-oversized': MACHINES,
  'instance-previous-gen': MACHINES,
  'instance-stopped-long': MACHINES,
  'disk-filling': MACHINES,
  'volume-unattached': ['aws.ec2.volume', 'azure.compute.disk', 'gcp.compute.disk'],
  'volume-gp2': ['aws.ec2.volume'],
  'address-unassociated': ['aws.ec2.address', 'azure.network.public-ip', 'gcp.compute.address'],
  'snapshot-old': SNAPSHOTS,
  'snapshot-orphaned': SNAPSHOTS,
  'load-balancer-idle': ['aws.elbv2.load-balancer'],
  'database-idle': ['aws.rds.instance'],
} satisfies Partial<Record<PlantedCondition, ResourceKind[]>>;
export type CostCondition = keyof typeof COST_CONDITION_KINDS;

export interface ManifestOptions {
  /** The store's version (0: the estate as generated). */
  version?: number;
  /**
   * The true cost series' manifest, when already built: it is billing history, fixed when the
   * estate is generated, so a running sandbox builds it once and not after every change.
   */
  costs?: CostSeriesManifest;
}

export function buildManifest(estate: Estate, options: ManifestOptions = {}): SandboxManifest {
  const byCloud: Record<Cloud, number> = { aws: 0, azure: 0, gcp: 0 };
  const byKind: KindCounts = {};
  const byAccount: Record<string, AccountCounts> = {};
  const planted = Object.fromEntries(PLANTED_CONDITIONS.map((c) => [c, [] as string[]])) as Record<PlantedCondition, string[]>;
  const names = new Map<string, string>();
  for (const a of estate.aws.accounts) names.set(a.id, a.name);
  for (const s of estate.azure.subscriptions) names.set(s.id, s.name);
  for (const p of estate.gcp.projects) names.set(p.id, p.id);
  const diskFilling: DiskFilling[] = [];
  const maintenance: SandboxManifest['maintenance'] = [];
  const bump = (counts: KindCounts, kind: ResourceKind) => {
    counts[kind] = (counts[kind] ?? 0) + 1;
  };
  const costConditions = Object.keys(COST_CONDITION_KINDS) as CostCondition[];
  const clean = Object.fromEntries(costConditions.map((c) => [c, [] as string[]])) as Record<CostCondition, string[]>;
  for (const r of estate.resources) {
    for (const condition of costConditions)
      if ((COST_CONDITION_KINDS[condition] as ResourceKind[]).includes(r.kind) && !r.planted.includes(condition))
        clean[condition].push(r.id);
    const cloud = cloudOfKind(r.kind);
    byCloud[cloud] += 1;
    bump(byKind, r.kind);
    let account = byAccount[r.account];
    if (!account) {
      account = { cloud, name: names.get(r.account) ?? r.account, total: 0, byKind: {}, byRegion: {} };
      if (cloud === 'gcp') account.byParentRegion = {};
      byAccount[r.account] = account;
    }
    account.total += 1;
    bump(account.byKind, r.kind);
    account.byRegion[r.region] ??= {};
    bump(account.byRegion[r.region], r.kind);
    if (account.byParentRegion) {
      const parent = GCP_ZONE.exec(r.region)?.[1] ?? r.region;
      account.byParentRegion[parent] ??= {};
      bump(account.byParentRegion[parent], r.kind);
    }
    for (const condition of r.planted) planted[condition].push(r.id);
    for (const e of instanceEvents(estate.seed, estate.now, r))
      if (!e.completed)
        maintenance.push({ id: r.id, code: e.code, notBefore: e.notBefore, ...(e.notAfter ? { notAfter: e.notAfter } : {}) });
    if (r.planted.includes('disk-filling')) {
      const trend = diskTrend(estate.seed, estate.now, r);
      if (trend)
        diskFilling.push({ id: r.id, at90: trend.crossesAt(90), fullAt: trend.fullAt, ...(trend.reset ? { reset: trend.reset } : {}) });
    }
  }
  return {
    seed: estate.seed,
    size: estate.size,
    now: estate.now,
    version: options.version ?? 0,
    identities: {
      aws: {
        organizationRole: estate.aws.organizationRole,
        allRegions: estate.aws.allRegions,
        accounts: estate.aws.accounts.map((a) => ({ id: a.id, name: a.name, management: a.management, regions: a.regions })),
      },
      azure: {
        tenantId: estate.azure.tenantId,
        clientId: estate.azure.clientId,
        subscriptions: estate.azure.subscriptions.map((s) => ({ id: s.id, name: s.name, locations: s.locations })),
      },
      gcp: {
        serviceAccountEmail: estate.gcp.serviceAccountEmail,
        projects: estate.gcp.projects.map((p) => ({ id: p.id, number: p.number, regions: p.regions, zones: p.zones })),
      },
    },
    counts: { total: estate.resources.length, byCloud, byKind, byAccount },
    planted,
    clean,
    costConditionKinds: COST_CONDITION_KINDS,
    plantRates: PLANT_RATES,
    thresholds: { oldSnapshotDays: OLD_SNAPSHOT_DAYS },
    diskFilling,
    maintenance,
    costs: options.costs ?? costManifest(costSeries(estate)),
  };
}
