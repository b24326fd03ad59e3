// Generates the sandbox estate from a seed and a size: accounts, subscriptions and projects with
// their regions, and resources whose relationships hold (attached volumes name real instances and
// the instances list them back). Everything is clean unless planted: each planted condition is
// applied to a known share of the eligible resources and recorded in `resource.planted`, so a
// scanner's findings can be checked against the estate with precision and recall 1.0.

import { UsageError } from '../../errors.js';
import { plantInstructionTag } from './hostile.js';
import {
  ADMIN_PORTS,
  APPS,
  AWS_DEFAULT_REGIONS,
  AWS_OPT_IN_REGIONS,
  AWS_STANDARD_REGIONS,
  AWS_TYPES_CURRENT,
  AWS_TYPES_PREVIOUS,
  AWS_TYPES_PREVIOUS_SIZABLE,
  AZURE_LOCATIONS,
  AZURE_SIZES_CURRENT,
  AZURE_SIZES_PREVIOUS,
  AZURE_SIZES_PREVIOUS_SIZABLE,
  AZURE_SUBSCRIPTION_NAMES,
  COMPANY_DOMAIN,
  COST_CENTERS,
  DB_PORTS,
  ELB_MODERN_POLICY,
  ELB_OLD_POLICIES,
  ENV_WEIGHTS,
  ENVS,
  FIRST_NAMES,
  GCP_NETWORKS,
  GCP_PROJECT_STEMS,
  GCP_REGIONS,
  GCP_TYPES_CURRENT,
  GCP_TYPES_PREVIOUS,
  GCP_TYPES_PREVIOUS_SIZABLE,
  INSTANCE_SIZES,
  type InstanceSize,
  LAST_NAMES,
  RDS_CLASSES,
  RDS_ENGINES,
  TEAMS,
  TIER_WEIGHTS,
  TIERS,
  type Tier,
} from './names.js';
import { hashString, Rng } from './rng.js';
import type {
  Ami,
  AwsAccount,
  AwsIngress,
  AzureDisk,
  AzureNsg,
  AzurePublicIp,
  AzureSnapshot,
  AzureSubscription,
  AzureVm,
  EbsSnapshot,
  EbsVolume,
  Ec2Instance,
  ElasticIp,
  Estate,
  EstateOptions,
  EstateResource,
  GcpAddress,
  GcpDisk,
  GcpFirewall,
  GcpInstance,
  GcpProject,
  GcpSnapshot,
  LoadBalancer,
  MetricProfile,
  NsgRule,
  PlantedCondition,
  RdsInstance,
  S3Bucket,
  SecurityGroup,
  Vpc,
} from './types.js';
import { plantWaste } from './waste.js';

export const MIN_ESTATE_SIZE = 50;
export const MAX_ESTATE_SIZE = 200_000;

/**
 * The share of eligible resources each condition is planted on (at least one whenever any
 * resource is eligible). Eligible: the kind the condition applies to, narrowed where noted.
 * Conditions marked "derived" follow from the estate's shape rather than a rate: a VM or GCP
 * instance is planted with a public IP exactly when an address resource is associated with it,
 * and a snapshot is unencrypted exactly when its source volume is.
 */
export const PLANT_RATES: Record<PlantedCondition, number> = {
  'sg-open-admin-port': 0.08, // non-default security groups that are not load balancers'
  'sg-open-db-port': 0.04, // same
  'default-sg-open': 0.25, // default security groups
  'ebs-unencrypted': 0.06,
  'snapshot-unencrypted': 0.05, // derived: snapshots drawn from unencrypted volumes at this rate
  'snapshot-public': 0.03,
  'ami-public': 0.06,
  imdsv1: 0.1,
  'instance-public-ip-sensitive-tier': 0.03,
  'rds-unencrypted': 0.08,
  'rds-public': 0.05,
  'rds-no-backup': 0.05,
  'rds-no-deletion-protection': 0.1,
  's3-no-public-access-block': 0.06,
  's3-no-encryption': 0.05,
  'elb-http-listener': 0.15, // application load balancers
  'elb-old-tls': 0.1,
  'nsg-open-admin-port': 0.1,
  'nsg-open-db-port': 0.05,
  'azure-disk-public-network': 0.06,
  'azure-disk-no-cmk': 0.08,
  'azure-vm-unmanaged-disks': 0.04,
  'azure-vm-public-ip': 0, // derived from associated public IPs
  'gcp-firewall-open-admin': 0.08,
  'gcp-firewall-open-all': 0.03, // also planted 'gcp-firewall-open-admin': all ports include 22 and 3389
  'gcp-default-sa-full-scope': 0.08,
  'gcp-serial-port': 0.04,
  'gcp-project-ssh-keys': 0.06,
  'gcp-instance-public-ip': 0.06,
  'gcp-disk-no-cmek': 0.08,
  'instance-idle': 0.08, // EC2 instances, Azure VMs, GCP instances
  'instance-oversized': 0.08,
  'instance-previous-gen': 0.1,
  'volume-unattached': 0.08, // EBS volumes, Azure managed disks, GCP disks
  'address-unassociated': 0.3, // Elastic IPs, Azure public IPs, GCP external addresses (a reserved internal one is free)
  'snapshot-old': 0.15, // older than 420 days; clean snapshots are at most 30 days old
  'disk-filling': 0.03, // instances whose disk-used % climbs linearly to full
  'volume-gp2': 0.15, // EBS gp3 volumes turned gp2 (the generator makes no gp2 otherwise)
  'instance-stopped-long': 0.5, // stopped machines older than 31 days; the others stopped 1-29 days ago
  'snapshot-orphaned': 0.4, // snapshots planted 'snapshot-old' that no image is built on
  'load-balancer-idle': 0.1,
  'database-idle': 0.1, // available RDS instances
  'tag-instruction': 0, // exactly one EC2 instance (src/sandbox/estate/hostile.ts)
};

/** Snapshots planted 'snapshot-old' are at least this many days old; clean ones at most 30. */
export const OLD_SNAPSHOT_DAYS = 420;

const DAY_MS = 86_400_000;

/** Today at UTC midnight, the default `now` of an estate. */
export function todayUtc(date = new Date()): string {
  return `${date.toISOString().slice(0, 10)}T00:00:00.000Z`;
}

/** Checks estate options and normalises `now` to an ISO UTC midnight; throws UsageError. */
export function normalizeEstateOptions(options: EstateOptions): Required<EstateOptions> {
  const { seed, size } = options;
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new UsageError(`sandbox seed must be an integer from 0 to 4294967295 (got ${seed})`);
  }
  if (!Number.isInteger(size) || size < MIN_ESTATE_SIZE || size > MAX_ESTATE_SIZE) {
    throw new UsageError(`sandbox size must be an integer from ${MIN_ESTATE_SIZE} to ${MAX_ESTATE_SIZE} (got ${size})`);
  }
  let now = todayUtc();
  if (options.now !== undefined) {
    const match = /^(\d{4}-\d{2}-\d{2})(T00:00(:00(\.000)?)?Z)?$/.exec(options.now);
    const parsed = match ? new Date(`${match[1]}T00:00:00.000Z`) : undefined;
    if (!parsed || Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== match?.[1]) {
      throw new UsageError(`sandbox date must be a UTC day like 2026-01-31 (got ${options.now})`);
    }
    now = parsed.toISOString();
  }
  return { seed, size, now };
}

export function generateEstate(options: EstateOptions): Estate {
  const { seed, size, now } = normalizeEstateOptions(options);
  const g = new Generator(seed, Date.parse(now));
  const awsTotal = Math.round(size * 0.5);
  const azureTotal = Math.round(size * 0.25);
  const gcpTotal = size - awsTotal - azureTotal;
  const aws = g.aws(awsTotal);
  const azure = g.azure(azureTotal);
  const gcp = g.gcp(gcpTotal);
  return {
    seed,
    size,
    now,
    aws: aws.identity,
    azure: azure.identity,
    gcp: gcp.identity,
    resources: plantInstructionTag(
      plantWaste([...aws.resources, ...azure.resources, ...gcp.resources], seed, Date.parse(now), plantCount),
      seed,
    ),
  };
}

// ---- shared machinery -----------------------------------------------------------------------

/** Integer quotas that sum to `total`: minimums first, the rest by weight (largest remainder). */
function quotas<K extends string>(total: number, weights: Record<K, number>, minimums: Partial<Record<K, number>> = {}): Record<K, number> {
  const keys = Object.keys(weights) as K[];
  const out = {} as Record<K, number>;
  let remaining = total;
  for (const key of keys) {
    out[key] = minimums[key] ?? 0;
    remaining -= out[key];
  }
  if (remaining <= 0) return out;
  const weightSum = keys.reduce((sum, key) => sum + weights[key], 0);
  const shares = keys.map((key) => ({ key, exact: (remaining * weights[key]) / weightSum }));
  let given = 0;
  for (const share of shares) {
    const whole = Math.floor(share.exact);
    out[share.key] += whole;
    given += whole;
  }
  shares.sort((a, b) => b.exact - Math.floor(b.exact) - (a.exact - Math.floor(a.exact)) || keys.indexOf(a.key) - keys.indexOf(b.key));
  for (let i = 0; given < remaining; i++, given++) out[shares[i % shares.length].key] += 1;
  return out;
}

/** How many of `eligible` resources get a condition: its rate, at least one when any is eligible. */
function plantCount(condition: PlantedCondition, eligible: number): number {
  if (eligible <= 0) return 0;
  return Math.min(eligible, Math.max(1, Math.round(PLANT_RATES[condition] * eligible)));
}

/** Picks by cumulative weight with a binary search: placement of 100k resources stays cheap. */

/** The workload tags of an existing resource, so what hangs off it (volumes, disks, addresses) carries the same ones. */
function workloadOf(resource: EstateResource): Workload {
  const t = resource.tags;
  return {
    app: t.app ?? 'app',
    env: t.env ?? 'prod',
    team: t.team ?? 'platform',
    owner: t.owner ?? `ops@${COMPANY_DOMAIN}`,
    costCenter: t['cost-center'] ?? COST_CENTERS[0],
  };
}

class WeightedTable<T> {
  private readonly cumulative: number[] = [];
  private total = 0;
  constructor(
    readonly items: T[],
    weights: number[],
  ) {
    for (const weight of weights) {
      this.total += weight;
      this.cumulative.push(this.total);
    }
  }
  pick(rng: Rng): T {
    const roll = rng.float() * this.total;
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cumulative[mid] > roll) hi = mid;
      else lo = mid + 1;
    }
    return this.items[lo];
  }
}

interface Workload {
  app: string;
  env: string;
  team: string;
  owner: string;
  costCenter: string;
}

type Sized = Record<InstanceSize, readonly string[]>;
const SIZE_WEIGHTS = [0.45, 0.3, 0.17, 0.08];

class Generator {
  private readonly rng: Rng;
  private counter = 0;
  private ipCounter = 0;

  constructor(
    readonly seed: number,
    readonly nowMs: number,
  ) {
    this.rng = new Rng(seed);
  }

  /** 17 hex digits, unique in the estate (a scrambled counter plus random digits). */
  hexId(rng: Rng): string {
    const unique = (Math.imul(++this.counter, 0x9e3779b1) >>> 0).toString(16).padStart(8, '0');
    return `0${unique}${rng.hex(8)}`;
  }

  /** A short unique suffix for names that must not collide (base 36 counter). */
  suffix(): string {
    return (++this.counter).toString(36).padStart(4, '0');
  }

  /** A GCP-style 19-digit numeric id, unique in the estate. */
  numericId(rng: Rng): string {
    const unique = ((++this.counter * 7919 + 12_345) % 1_000_000_000).toString().padStart(9, '0');
    return `${rng.int(1, 9)}${rng.int(0, 999_999_999).toString().padStart(9, '0')}${unique}`;
  }

  /** A public IPv4 address unique within the prefix's cloud. */
  publicIp(prefix: number): string {
    const s = Math.imul(++this.ipCounter, 0x9e3779b1) & 0xffffff;
    return `${prefix}.${s >>> 16}.${(s >>> 8) & 255}.${Math.max(1, s & 255)}`;
  }

  daysAgo(rng: Rng, days: number): string {
    return new Date(this.nowMs - days * DAY_MS - rng.int(0, 86_399) * 1000).toISOString();
  }

  ageDays(iso: string): number {
    return Math.floor((this.nowMs - Date.parse(iso)) / DAY_MS);
  }

  /** Creation age in days: mostly recent, a long tail up to three years. */
  randomAge(rng: Rng, min = 2): number {
    const u = rng.float();
    return Math.max(min, Math.round(2 + 1100 * u * u));
  }

  workload(rng: Rng): Workload {
    const first = rng.pick(FIRST_NAMES);
    const last = rng.pick(LAST_NAMES);
    return {
      app: rng.pick(APPS),
      env: rng.weighted(ENVS, ENV_WEIGHTS),
      team: rng.pick(TEAMS),
      owner: `${first}.${last}@${COMPANY_DOMAIN}`,
      costCenter: rng.pick(COST_CENTERS),
    };
  }

  /** The company's tagging convention, with each tag sometimes forgotten. */
  tags(rng: Rng, w: Workload, extra: Record<string, string> = {}, labels = false): Record<string, string> {
    const tags: Record<string, string> = {};
    const put = (key: string, value: string) => {
      tags[key] = labels ? value.toLowerCase().replace(/[^a-z0-9_-]/g, '_') : value;
    };
    if (!rng.chance(0.06)) put('env', w.env);
    if (!rng.chance(0.08)) put('team', w.team);
    if (!rng.chance(0.12)) put('owner', labels ? w.owner.split('@')[0] : w.owner);
    if (!rng.chance(0.15)) put('cost-center', w.costCenter);
    put('app', w.app);
    for (const [key, value] of Object.entries(extra)) put(key, value);
    return tags;
  }

  /** Per-instance plan shared by the three clouds: cost profile, generation, state, tier. */
  planInstances(rng: Rng, n: number): InstancePlan[] {
    const plans: InstancePlan[] = [];
    for (let i = 0; i < n; i++) {
      plans.push({
        profile: rng.weighted<MetricProfile>(['normal', 'busy', 'saturating'], [0.7, 0.22, 0.08]),
        planted: [],
        previousGen: false,
        running: true,
        tier: rng.weighted(TIERS, TIER_WEIGHTS),
        size: rng.weighted(INSTANCE_SIZES, SIZE_WEIGHTS),
        publicIp: false,
      });
    }
    // Cost profiles exclude each other: an instance is idle, oversized or filling its disk.
    const order = rng.shuffle(plans.map((_, i) => i));
    let at = 0;
    for (const [condition, profile] of [
      ['instance-idle', 'idle'],
      ['instance-oversized', 'underused'],
      ['disk-filling', undefined],
    ] as const) {
      const count = Math.min(plantCount(condition, n), n - at);
      for (let k = 0; k < count; k++, at++) {
        const plan = plans[order[at]];
        plan.planted.push(condition);
        if (profile) plan.profile = profile;
        if (condition === 'instance-oversized') plan.size = rng.pick(['large', 'xlarge'] as const);
        if (condition === 'disk-filling' && plan.profile === 'saturating') plan.profile = 'busy';
      }
    }
    // Only instances with nothing planted are ever stopped: stopped machines have no metrics.
    for (let k = at; k < n; k++) if (rng.chance(0.07)) plans[order[k]].running = false;
    for (const i of rng.sample(n, plantCount('instance-previous-gen', n))) {
      plans[i].previousGen = true;
      plans[i].planted.push('instance-previous-gen');
      // A stopped machine pays no compute: its generation would save nothing, so it runs.
      plans[i].running = true;
    }
    return plans;
  }

  instanceType(rng: Rng, plan: InstancePlan, current: Sized, previous: readonly string[], sizable: readonly string[]): string {
    if (!plan.previousGen) return rng.pick(current[plan.size]);
    // An oversized machine must have a smaller size to go to (one draw either way: the stream is unchanged).
    return rng.pick(plan.planted.includes('instance-oversized') ? sizable : previous);
  }

  // ---- AWS ------------------------------------------------------------------------------------

  aws(total: number): { identity: Estate['aws']; resources: EstateResource[] } {
    const rng = this.rng.fork('aws');
    const accounts = this.awsAccounts(rng.fork('accounts'));
    const identity = {
      accounts,
      organizationRole: 'OrganizationAccountAccessRole',
      allRegions: [...AWS_DEFAULT_REGIONS, ...AWS_OPT_IN_REGIONS],
    };
    const vpcCount = Math.max(1, Math.floor(Math.sqrt(total) / 2.5));
    const q = quotas(
      total - vpcCount,
      { sg: 9, instance: 21, volume: 28, snapshot: 13, address: 5, image: 4, rds: 5, s3: 10, elb: 5 },
      { sg: 3 * vpcCount, instance: 1, volume: 1, snapshot: 1, address: 1, image: 1, rds: 1, s3: 1, elb: 1 },
    );
    if (q.volume < q.instance + 1) {
      const move = q.instance + 1 - q.volume;
      q.volume += move;
      q.s3 -= Math.min(move, q.s3 - 1);
    }
    const aws = new AwsBuilder(this, rng, accounts);
    const vpcs = aws.vpcs(vpcCount);
    const sgs = aws.securityGroups(q.sg);
    const images = aws.images(q.image);
    const instancePlans = this.planInstances(rng.fork('instance-plans'), q.instance);
    const addressPlan = aws.planAddresses(q.address, instancePlans);
    const instances = aws.instances(instancePlans);
    const volumes = aws.volumes(q.volume, instances);
    const snapshots = aws.snapshots(q.snapshot, volumes);
    aws.linkImages(images, snapshots);
    const addresses = aws.addresses(addressPlan, instances);
    const rds = aws.databases(q.rds);
    const buckets = aws.buckets(q.s3);
    const lbs = aws.loadBalancers(q.elb);
    return {
      identity,
      resources: [...instances, ...volumes, ...snapshots, ...sgs, ...addresses, ...vpcs, ...images, ...rds, ...buckets, ...lbs],
    };
  }

  private awsAccounts(rng: Rng): AwsAccount[] {
    const memberNames = rng.shuffle(['prod', 'staging', 'dev', 'data', 'security', 'shared']);
    const count = 1 + rng.int(2, 4);
    const ids = new Set<string>();
    const accounts: AwsAccount[] = [];
    const others = AWS_STANDARD_REGIONS.filter((r) => r !== 'us-east-1');
    let optedIn = false;
    for (let i = 0; i < count; i++) {
      let id = '';
      do id = String(rng.int(100_000_000_000, 999_999_999_999));
      while (ids.has(id));
      ids.add(id);
      const regionCount = rng.int(3, 4);
      const regions = ['us-east-1', ...rng.shuffle(others).slice(0, regionCount - 1)];
      // One member account has opted into a region the others have not.
      if (i > 0 && !optedIn && rng.chance(0.6)) {
        regions[regions.length - 1] = rng.pick(AWS_OPT_IN_REGIONS);
        optedIn = true;
      }
      accounts.push({
        id,
        name: i === 0 ? 'acme-management' : `acme-${memberNames[i - 1]}`,
        regions,
        accessKeyId: `AKIA${rng.chars(16, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567')}`,
        secretAccessKey: rng.chars(40, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'),
        management: i === 0,
      });
    }
    return accounts;
  }

  // ---- Azure ----------------------------------------------------------------------------------

  azure(total: number): { identity: Estate['azure']; resources: EstateResource[] } {
    const rng = this.rng.fork('azure');
    const subs: AzureSubscription[] = [];
    const subCount = rng.int(2, 3);
    for (let i = 0; i < subCount; i++) {
      subs.push({ id: rng.uuid(), name: AZURE_SUBSCRIPTION_NAMES[i], locations: rng.shuffle(AZURE_LOCATIONS).slice(0, rng.int(2, 3)) });
    }
    const identity = {
      tenantId: rng.uuid(),
      clientId: rng.uuid(),
      clientSecret: `${rng.chars(3, 'abcdefghijklmnopqrstuvwxyz0123456789')}8Q~${rng.chars(37, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-')}`,
      subscriptions: subs,
    };
    const q = quotas(total, { vm: 26, disk: 42, snapshot: 16, nsg: 11, pip: 5 }, { vm: 1, disk: 2, snapshot: 1, nsg: 1, pip: 1 });
    // Every managed VM needs its OS disk.
    while (q.disk < q.vm + 1 && q.snapshot > 1) {
      q.snapshot -= 1;
      q.disk += 1;
    }
    const az = new AzureBuilder(this, rng, subs);
    const nsgs = az.nsgs(q.nsg);
    const plans = this.planInstances(rng.fork('vm-plans'), q.vm);
    const vms = az.vms(plans, q.disk);
    const disks = az.disks(q.disk, vms);
    const snapshots = az.snapshots(q.snapshot, disks);
    const pips = az.publicIps(q.pip, vms);
    return { identity, resources: [...vms, ...disks, ...snapshots, ...nsgs, ...pips] };
  }

  // ---- GCP ------------------------------------------------------------------------------------

  gcp(total: number): { identity: Estate['gcp']; resources: EstateResource[] } {
    const rng = this.rng.fork('gcp');
    const projects: GcpProject[] = [];
    const projectCount = rng.int(2, 3);
    for (let i = 0; i < projectCount; i++) {
      const regions = rng.shuffle(GCP_REGIONS).slice(0, rng.int(2, 3));
      const zones = regions.flatMap((region) => (rng.chance(0.5) ? [`${region}-a`, `${region}-b`] : [`${region}-b`, `${region}-c`]));
      projects.push({
        id: `acme-${GCP_PROJECT_STEMS[i]}-${rng.int(100_000, 999_999)}`,
        number: String(rng.int(100_000_000_000, 999_999_999_999)),
        regions,
        zones,
      });
    }
    const identity = { serviceAccountEmail: `guardian-reader@${projects[0].id}.iam.gserviceaccount.com`, projects };
    const q = quotas(
      total,
      { instance: 24, disk: 38, snapshot: 14, firewall: 13, address: 11 },
      { instance: 1, disk: 2, snapshot: 1, firewall: 1, address: 1 },
    );
    // Every instance needs its boot disk.
    while (q.disk < q.instance + 1 && q.snapshot > 1) {
      q.snapshot -= 1;
      q.disk += 1;
    }
    const gb = new GcpBuilder(this, rng, projects);
    const firewalls = gb.firewalls(q.firewall);
    const plans = this.planInstances(rng.fork('instance-plans'), q.instance);
    const addressPlan = gb.planAddresses(q.address, plans);
    const instances = gb.instances(plans);
    const disks = gb.disks(q.disk, instances);
    const snapshots = gb.snapshots(q.snapshot, disks);
    const addresses = gb.addresses(addressPlan, instances);
    return { identity, resources: [...instances, ...disks, ...snapshots, ...firewalls, ...addresses] };
  }
}

interface InstancePlan {
  profile: MetricProfile;
  planted: PlantedCondition[];
  previousGen: boolean;
  running: boolean;
  tier: Tier;
  size: InstanceSize;
  /** Gets a public address (an associated Elastic IP / public IP / external address, or ephemeral). */
  publicIp: boolean;
  /** Index of the address resource associated with it, when there is one. */
  addressIndex?: number;
}

/** Marks which instances hold which addresses, before either is built. */
interface AddressPlan {
  /** For each address resource: the instance index it is associated with, or undefined. */
  instanceOf: (number | undefined)[];
  /** GCP: whether the address is external. */
  external: boolean[];
}

// ---- AWS builder ----------------------------------------------------------------------------

interface AwsScope {
  account: AwsAccount;
  region: string;
  weight: number;
  /** 0 for an account's primary region, 1 for its second… */
  rank: number;
}

interface VpcInfo {
  vpc: Vpc;
  octet: number;
  weight: number;
  subnets: { id: string; az: string }[];
  sgs: { app: SecurityGroup[]; lb: SecurityGroup[]; db: SecurityGroup[]; bastion: SecurityGroup[]; default?: SecurityGroup };
  ipCount: number;
  imageIds: string[];
}

class AwsBuilder {
  private readonly scopes: AwsScope[] = [];
  private readonly vpcInfos: VpcInfo[] = [];
  private vpcTable!: WeightedTable<VpcInfo>;
  private readonly byScope = new Map<string, VpcInfo[]>();
  private readonly vpcOfInstance = new Map<string, VpcInfo>();

  constructor(
    private readonly g: Generator,
    private readonly rng: Rng,
    private readonly accounts: AwsAccount[],
  ) {
    accounts.forEach((account, a) => {
      const accountWeight = account.management ? 0.6 : a === 1 ? 2 : 1;
      account.regions.forEach((region, r) => {
        this.scopes.push({ account, region, weight: accountWeight * [3, 1.5, 1, 0.7][r], rank: r });
      });
    });
  }

  private base(
    rng: Rng,
    w: Workload,
    scope: { account: string; region: string },
    createdAt: string,
    extraTags: Record<string, string> = {},
  ) {
    return {
      account: scope.account,
      region: scope.region,
      createdAt,
      tags: this.g.tags(rng, w, extraTags),
      planted: [] as PlantedCondition[],
    };
  }

  vpcs(count: number): Vpc[] {
    const rng = this.rng.fork('vpcs');
    // The first VPCs go to each account's primary region in turn, so even a small estate spans accounts.
    const ordered = [...this.scopes].sort((a, b) => a.rank - b.rank || b.weight - a.weight);
    const scopeTable = new WeightedTable(
      this.scopes,
      this.scopes.map((s) => s.weight),
    );
    const out: Vpc[] = [];
    for (let i = 0; i < count; i++) {
      const scope = i < ordered.length ? ordered[i] : scopeTable.pick(rng);
      const w = this.g.workload(rng);
      const id = `vpc-${this.g.hexId(rng)}`;
      const octet = i % 256;
      const vpc: Vpc = {
        kind: 'aws.ec2.vpc',
        id,
        name: `${w.env}-${scope.region}-vpc${i >= ordered.length ? `-${i}` : ''}`,
        ...this.base(rng, w, { account: scope.account.id, region: scope.region }, this.g.daysAgo(rng, rng.int(400, 1500))),
        spec: { cidr: `10.${octet}.0.0/16`, isDefault: false, state: 'available' },
      };
      vpc.tags.Name = vpc.name;
      const subnets = ['a', 'b', 'c'].map((letter) => ({
        id: `subnet-0${(hashString(`${id}/${letter}`, this.g.seed) >>> 0).toString(16).padStart(8, '0')}${rng.hex(8)}`,
        az: `${scope.region}${letter}`,
      }));
      const info: VpcInfo = { vpc, octet, weight: 0, subnets, sgs: { app: [], lb: [], db: [], bastion: [] }, ipCount: 0, imageIds: [] };
      this.vpcInfos.push(info);
      const key = `${scope.account.id}|${scope.region}`;
      const list = this.byScope.get(key) ?? [];
      list.push(info);
      this.byScope.set(key, list);
      out.push(vpc);
    }
    // A scope's weight is shared by its VPCs, so adding VPCs does not pull resources into a region.
    for (const scope of this.scopes) {
      const list = this.byScope.get(`${scope.account.id}|${scope.region}`) ?? [];
      for (const info of list) info.weight = scope.weight / list.length;
    }
    this.vpcTable = new WeightedTable(
      this.vpcInfos,
      this.vpcInfos.map((v) => v.weight),
    );
    return out;
  }

  securityGroups(count: number): SecurityGroup[] {
    const rng = this.rng.fork('security-groups');
    const roles = ['app', 'lb', 'db', 'app', 'bastion', 'app', 'lb', 'db', 'app', 'app'] as const;
    const out: SecurityGroup[] = [];
    const make = (info: VpcInfo, role: 'default' | (typeof roles)[number]): SecurityGroup => {
      const w = this.g.workload(rng);
      const vpc = info.vpc;
      const groupName = role === 'default' ? 'default' : `${w.app}-${role}-${this.g.suffix()}`;
      const sg: SecurityGroup = {
        kind: 'aws.ec2.security-group',
        id: `sg-${this.g.hexId(rng)}`,
        name: groupName,
        ...this.base(rng, w, vpc, this.g.daysAgo(rng, Math.min(this.g.ageDays(vpc.createdAt), rng.int(30, 900)))),
        spec: {
          groupName,
          description: role === 'default' ? 'default VPC security group' : `${w.app} ${role} tier (${w.env})`,
          vpcId: vpc.id,
          isDefault: role === 'default',
          ingress: [],
        },
      };
      if (role === 'default') {
        sg.tags = {};
        info.sgs.default = sg;
      } else info.sgs[role].push(sg);
      out.push(sg);
      return sg;
    };
    for (const info of this.vpcInfos) make(info, 'default');
    const perVpc = new Map<VpcInfo, number>();
    for (let i = this.vpcInfos.length; i < count; i++) {
      // The first round gives every VPC an app group; later ones follow the VPC weights.
      const info = i < this.vpcInfos.length * 2 ? this.vpcInfos[i - this.vpcInfos.length] : this.vpcTable.pick(rng);
      const n = perVpc.get(info) ?? 0;
      perVpc.set(info, n + 1);
      make(info, roles[n % roles.length]);
    }
    // Rules reference groups of the same VPC, so they are filled once every group exists.
    const internal = (fromPort: number, toPort = fromPort): AwsIngress => ({
      protocol: 'tcp',
      fromPort,
      toPort,
      cidrs: ['10.0.0.0/8'],
      ipv6Cidrs: [],
      groups: [],
    });
    const fromGroups = (port: number, groups: string[], cidr: string): AwsIngress => ({
      protocol: 'tcp',
      fromPort: port,
      toPort: port,
      cidrs: groups.length ? [] : [cidr],
      ipv6Cidrs: [],
      groups,
    });
    for (const info of this.vpcInfos) {
      const cidr = info.vpc.spec.cidr;
      for (const sg of info.sgs.lb) {
        sg.spec.ingress = [
          { protocol: 'tcp', fromPort: 443, toPort: 443, cidrs: ['0.0.0.0/0'], ipv6Cidrs: ['::/0'], groups: [] },
          { protocol: 'tcp', fromPort: 80, toPort: 80, cidrs: ['0.0.0.0/0'], ipv6Cidrs: ['::/0'], groups: [] },
        ];
      }
      for (const sg of info.sgs.app) {
        sg.spec.ingress = [
          fromGroups(
            8080,
            info.sgs.lb.slice(0, 1).map((s) => s.id),
            cidr,
          ),
          internal(22),
        ];
      }
      for (const sg of info.sgs.db) {
        sg.spec.ingress = [
          fromGroups(
            5432,
            info.sgs.app.slice(0, 2).map((s) => s.id),
            cidr,
          ),
          fromGroups(3306, [], cidr),
        ];
      }
      for (const sg of info.sgs.bastion) sg.spec.ingress = [internal(22), internal(3389)];
    }
    const defaults = out.filter((sg) => sg.spec.isDefault);
    for (const i of rng.sample(defaults.length, plantCount('default-sg-open', defaults.length))) {
      const sg = defaults[i];
      sg.spec.ingress = [{ protocol: '-1', cidrs: [], ipv6Cidrs: [], groups: [sg.id] }];
      sg.planted.push('default-sg-open');
    }
    const eligible = this.vpcInfos.flatMap((info) => [...info.sgs.app, ...info.sgs.db, ...info.sgs.bastion]);
    for (const i of rng.sample(eligible.length, plantCount('sg-open-admin-port', eligible.length))) {
      const port = rng.pick(ADMIN_PORTS);
      eligible[i].spec.ingress.push({
        protocol: 'tcp',
        fromPort: port,
        toPort: port,
        cidrs: ['0.0.0.0/0'],
        ipv6Cidrs: rng.chance(0.3) ? ['::/0'] : [],
        groups: [],
      });
      eligible[i].planted.push('sg-open-admin-port');
    }
    for (const i of rng.sample(eligible.length, plantCount('sg-open-db-port', eligible.length))) {
      const port = rng.pick(DB_PORTS);
      eligible[i].spec.ingress.push({ protocol: 'tcp', fromPort: port, toPort: port, cidrs: ['0.0.0.0/0'], ipv6Cidrs: [], groups: [] });
      eligible[i].planted.push('sg-open-db-port');
    }
    return out;
  }

  images(count: number): Ami[] {
    const rng = this.rng.fork('images');
    const out: Ami[] = [];
    for (let i = 0; i < count; i++) {
      const info = this.vpcTable.pick(rng);
      const w = this.g.workload(rng);
      const createdAt = this.g.daysAgo(rng, rng.int(5, 400));
      const name = `${w.app}-${w.env}-${createdAt.slice(0, 10).replaceAll('-', '')}-${this.g.suffix()}`;
      const ami: Ami = {
        kind: 'aws.ec2.image',
        id: `ami-${this.g.hexId(rng)}`,
        name,
        ...this.base(rng, w, info.vpc, createdAt),
        spec: { public: false, state: 'available', architecture: rng.chance(0.25) ? 'arm64' : 'x86_64' },
      };
      info.imageIds.push(ami.id);
      out.push(ami);
    }
    for (const i of rng.sample(out.length, plantCount('ami-public', out.length))) {
      out[i].spec.public = true;
      out[i].planted.push('ami-public');
    }
    return out;
  }

  /** Decides which instances hold Elastic IPs and which get public addresses at all. */
  planAddresses(count: number, plans: InstancePlan[]): AddressPlan {
    const rng = this.rng.fork('address-plan');
    // Sensitive-tier instances with a public address are a planted finding; everything else that
    // faces the internet is tier web.
    const sensitive = rng.sample(plans.length, plantCount('instance-public-ip-sensitive-tier', plans.length));
    for (const i of sensitive) {
      plans[i].tier = rng.pick(['data', 'db'] as const);
      plans[i].publicIp = true;
      plans[i].running = true;
      plans[i].planted.push('instance-public-ip-sensitive-tier');
    }
    const unassociated = plantCount('address-unassociated', count);
    const candidates = rng.shuffle(plans.map((_, i) => i).filter((i) => !plans[i].publicIp && plans[i].running));
    const instanceOf: (number | undefined)[] = [];
    for (let a = 0; a < count; a++) {
      const instance = a < count - unassociated ? candidates.pop() : undefined;
      if (instance !== undefined) {
        plans[instance].publicIp = true;
        plans[instance].tier = 'web';
        plans[instance].addressIndex = a;
      }
      instanceOf.push(instance);
    }
    // Some web servers also take an ephemeral public address.
    for (const i of candidates) {
      if (plans[i].tier === 'web' && rng.chance(0.3)) plans[i].publicIp = true;
    }
    return { instanceOf, external: [] };
  }

  instances(plans: InstancePlan[]): Ec2Instance[] {
    const rng = this.rng.fork('instances');
    const imds = new Set(rng.sample(plans.length, plantCount('imdsv1', plans.length)));
    return plans.map((plan, i) => {
      const info = this.vpcTable.pick(rng);
      const w = this.g.workload(rng);
      const subnet = rng.pick(info.subnets);
      const n = info.ipCount++;
      const az = info.subnets.indexOf(subnet);
      const planted = [...plan.planted];
      if (imds.has(i)) planted.push('imdsv1');
      const name = `${w.app}-${plan.tier}-${w.env}-${this.g.suffix()}`;
      const instance: Ec2Instance = {
        kind: 'aws.ec2.instance',
        id: `i-${this.g.hexId(rng)}`,
        name,
        ...this.base(rng, w, info.vpc, this.g.daysAgo(rng, this.g.randomAge(rng, 3)), { Name: name, tier: plan.tier }),
        spec: {
          instanceType: this.g.instanceType(rng, plan, AWS_TYPES_CURRENT, AWS_TYPES_PREVIOUS, AWS_TYPES_PREVIOUS_SIZABLE),
          state: plan.running ? 'running' : 'stopped',
          imageId: info.imageIds.length
            ? rng.pick(info.imageIds)
            : `ami-0${hashString(info.vpc.region).toString(16).padStart(8, '0')}c0ffee00`,
          vpcId: info.vpc.id,
          subnetId: subnet.id,
          privateIp: `10.${info.octet}.${az * 64 + (Math.floor(n / 250) % 64)}.${(n % 250) + 4}`,
          securityGroupIds: [],
          volumeIds: [],
          httpTokens: imds.has(i) ? 'optional' : 'required',
          metricProfile: plan.profile,
        },
      };
      instance.planted = planted;
      if (rng.chance(0.6)) instance.spec.keyName = `${w.team}-${w.env}`;
      if (plan.publicIp && plan.addressIndex === undefined) instance.spec.publicIp = this.g.publicIp(54);
      const app = info.sgs.app.length ? info.sgs.app : info.sgs.bastion;
      instance.spec.securityGroupIds.push(rng.pick(app).id);
      if (info.sgs.bastion.length && rng.chance(0.3)) instance.spec.securityGroupIds.push(rng.pick(info.sgs.bastion).id);
      this.vpcOfInstance.set(instance.id, info);
      return instance;
    });
  }

  volumes(count: number, instances: Ec2Instance[]): EbsVolume[] {
    const rng = this.rng.fork('volumes');
    const out: EbsVolume[] = [];
    const unattached = Math.min(plantCount('volume-unattached', count), count - instances.length);
    const dataCount = count - instances.length - unattached;
    const dataPer = new Array<number>(instances.length).fill(0);
    for (let d = 0; d < dataCount; d++) dataPer[rng.int(0, instances.length - 1)] += 1;
    const make = (w: Workload, info: VpcInfo, az: string, createdAt: string, root: boolean): EbsVolume => {
      const type = root ? 'gp3' : rng.weighted(['gp3', 'st1', 'io1'] as const, [0.9, 0.05, 0.05]);
      const sizeGb = root
        ? rng.pick([8, 16, 20, 30, 50, 100])
        : type === 'st1'
          ? rng.int(125, 4000)
          : rng.pick([50, 100, 200, 250, 500, 1000, 2000]);
      const volume: EbsVolume = {
        kind: 'aws.ec2.volume',
        id: `vol-${this.g.hexId(rng)}`,
        name: '',
        ...this.base(rng, w, info.vpc, createdAt),
        spec: {
          sizeGb,
          volumeType: type,
          encrypted: true,
          kmsKeyId: `arn:aws:kms:${info.vpc.region}:${info.vpc.account}:key/${rng.uuid()}`,
          state: 'available',
          availabilityZone: az,
        },
      };
      if (type === 'gp3') volume.spec.iops = 3000;
      if (type === 'io1') volume.spec.iops = rng.pick([4000, 8000, 16000]);
      out.push(volume);
      return volume;
    };
    instances.forEach((instance, i) => {
      const info = this.vpcOfInstance.get(instance.id)!;
      const az = info.subnets.find((s) => s.id === instance.spec.subnetId)!.az;
      const w = workloadOf(instance);
      for (let k = 0; k <= dataPer[i]; k++) {
        const root = k === 0;
        const launchAge = this.g.ageDays(instance.createdAt);
        const createdAt = root ? instance.createdAt : this.g.daysAgo(rng, rng.int(1, Math.max(1, launchAge - 1)));
        const volume = make(w, info, az, createdAt, root);
        volume.name = `${instance.name}-${root ? 'root' : `data${k}`}`;
        volume.tags.Name = volume.name;
        volume.spec.state = 'in-use';
        volume.spec.attachedInstanceId = instance.id;
        volume.spec.device = root ? '/dev/xvda' : `/dev/sd${String.fromCharCode(101 + Math.min(k, 21))}`;
        instance.spec.volumeIds.push(volume.id);
      }
    });
    for (let u = 0; u < unattached; u++) {
      const info = this.vpcTable.pick(rng);
      const w = this.g.workload(rng);
      const volume = make(w, info, rng.pick(info.subnets).az, this.g.daysAgo(rng, this.g.randomAge(rng)), false);
      volume.name = `${w.app}-${w.env}-detached-${this.g.suffix()}`;
      volume.tags.Name = volume.name;
      volume.planted.push('volume-unattached');
    }
    for (const i of rng.sample(out.length, plantCount('ebs-unencrypted', out.length))) {
      out[i].spec.encrypted = false;
      delete out[i].spec.kmsKeyId;
      out[i].planted.push('ebs-unencrypted');
    }
    return out;
  }

  snapshots(count: number, volumes: EbsVolume[]): EbsSnapshot[] {
    const rng = this.rng.fork('snapshots');
    const encrypted = volumes.filter((v) => v.spec.encrypted);
    const unencrypted = volumes.filter((v) => !v.spec.encrypted);
    const fromUnencrypted = new Set(unencrypted.length ? rng.sample(count, plantCount('snapshot-unencrypted', count)) : []);
    const old = new Set(rng.sample(count, plantCount('snapshot-old', count)));
    const isOld = (v: EbsVolume) => this.g.ageDays(v.createdAt) > OLD_SNAPSHOT_DAYS + 1;
    const oldPools = [encrypted.filter(isOld), unencrypted.filter(isOld)];
    const out: EbsSnapshot[] = [];
    for (let i = 0; i < count; i++) {
      const pool = fromUnencrypted.has(i) || !encrypted.length ? 1 : 0;
      const wantOld = old.has(i) && oldPools[pool].length > 0;
      const volume = wantOld ? rng.pick(oldPools[pool]) : rng.pick(pool ? unencrypted : encrypted);
      const volumeAge = this.g.ageDays(volume.createdAt);
      const age = wantOld
        ? rng.int(OLD_SNAPSHOT_DAYS, Math.min(1000, volumeAge - 1))
        : rng.int(0, Math.min(30, Math.max(0, volumeAge - 1)));
      const w = workloadOf(volume);
      const snapshot: EbsSnapshot = {
        kind: 'aws.ec2.snapshot',
        id: `snap-${this.g.hexId(rng)}`,
        name: `${volume.name}-${rng.pick(['daily', 'weekly', 'pre-upgrade', 'backup'])}`,
        ...this.base(rng, w, volume, this.g.daysAgo(rng, age)),
        spec: {
          volumeId: volume.id,
          sizeGb: volume.spec.sizeGb,
          encrypted: volume.spec.encrypted,
          public: false,
          description: `Snapshot of ${volume.id} (${volume.name})`,
          state: 'completed',
        },
      };
      if (!volume.spec.encrypted) snapshot.planted.push('snapshot-unencrypted');
      if (wantOld) snapshot.planted.push('snapshot-old');
      out.push(snapshot);
    }
    for (const i of rng.sample(out.length, plantCount('snapshot-public', out.length))) {
      out[i].spec.public = true;
      out[i].planted.push('snapshot-public');
    }
    return out;
  }

  /** Images point at a snapshot in their region; instances launch from images in their region. */
  linkImages(images: Ami[], snapshots: EbsSnapshot[]): void {
    const rng = this.rng.fork('image-links');
    const byScope = new Map<string, EbsSnapshot[]>();
    for (const snapshot of snapshots) {
      const key = `${snapshot.account}|${snapshot.region}`;
      const list = byScope.get(key) ?? [];
      list.push(snapshot);
      byScope.set(key, list);
    }
    for (const image of images) {
      const candidates = byScope.get(`${image.account}|${image.region}`);
      if (candidates?.length) image.spec.rootSnapshotId = rng.pick(candidates).id;
    }
  }

  addresses(plan: AddressPlan, instances: Ec2Instance[]): ElasticIp[] {
    const rng = this.rng.fork('addresses');
    return plan.instanceOf.map((index) => {
      const instance = index === undefined ? undefined : instances[index];
      const info = instance ? this.vpcOfInstance.get(instance.id)! : this.vpcTable.pick(rng);
      const w = instance ? workloadOf(instance) : this.g.workload(rng);
      const publicIp = this.g.publicIp(54);
      const address: ElasticIp = {
        kind: 'aws.ec2.address',
        id: `eipalloc-${this.g.hexId(rng)}`,
        name: instance ? `${instance.name}-eip` : `${w.app}-${w.env}-eip-${this.g.suffix()}`,
        ...this.base(rng, w, info.vpc, instance ? instance.createdAt : this.g.daysAgo(rng, this.g.randomAge(rng))),
        spec: { publicIp, allocationId: '' },
      };
      address.spec.allocationId = address.id;
      if (instance) {
        address.spec.associationId = `eipassoc-${this.g.hexId(rng)}`;
        address.spec.instanceId = instance.id;
        address.spec.privateIp = instance.spec.privateIp;
        instance.spec.publicIp = publicIp;
      } else address.planted.push('address-unassociated');
      return address;
    });
  }

  databases(count: number): RdsInstance[] {
    const rng = this.rng.fork('rds');
    const out: RdsInstance[] = [];
    for (let i = 0; i < count; i++) {
      const info = this.vpcTable.pick(rng);
      const w = this.g.workload(rng);
      const engine = rng.pick(RDS_ENGINES);
      const identifier = `${w.app}-${w.env}-${this.g.suffix()}`;
      const { account, region } = info.vpc;
      const sgs = info.sgs.db.length ? info.sgs.db : info.sgs.app;
      out.push({
        kind: 'aws.rds.instance',
        id: `arn:aws:rds:${region}:${account}:db:${identifier}`,
        name: identifier,
        ...this.base(rng, w, info.vpc, this.g.daysAgo(rng, this.g.randomAge(rng))),
        spec: {
          identifier,
          instanceClass: rng.pick(RDS_CLASSES),
          engine: engine.engine,
          engineVersion: rng.pick(engine.versions),
          status: rng.chance(0.04) ? 'stopped' : 'available',
          storageGb: rng.pick([20, 50, 100, 200, 500, 1000]),
          storageType: 'gp3',
          storageEncrypted: true,
          publiclyAccessible: false,
          backupRetentionDays: rng.pick([7, 7, 14, 30, 35]),
          deletionProtection: true,
          multiAz: true,
          vpcSecurityGroupIds: sgs.length ? [rng.pick(sgs).id] : [],
          endpoint: `${identifier}.c${hashString(`${account}/${region}`).toString(36)}.${region}.rds.amazonaws.com`,
          metricProfile: rng.weighted<MetricProfile>(['normal', 'busy'], [0.8, 0.2]),
        },
      });
    }
    const plant = (condition: PlantedCondition, apply: (db: RdsInstance) => void) => {
      for (const i of rng.sample(out.length, plantCount(condition, out.length))) {
        apply(out[i]);
        out[i].planted.push(condition);
      }
    };
    plant('rds-unencrypted', (db) => {
      db.spec.storageEncrypted = false;
    });
    plant('rds-public', (db) => {
      db.spec.publiclyAccessible = true;
    });
    plant('rds-no-backup', (db) => {
      db.spec.backupRetentionDays = 0;
    });
    plant('rds-no-deletion-protection', (db) => {
      db.spec.deletionProtection = false;
    });
    return out;
  }

  buckets(count: number): S3Bucket[] {
    const rng = this.rng.fork('s3');
    const purposes = ['assets', 'logs', 'backups', 'exports', 'artifacts', 'uploads', 'datalake', 'reports'];
    const out: S3Bucket[] = [];
    for (let i = 0; i < count; i++) {
      const account = rng.weighted(
        this.accounts,
        this.accounts.map((a) => (a.management ? 0.5 : 1)),
      );
      const region = rng.weighted(
        account.regions,
        account.regions.map((_, r) => [3, 1.5, 1, 0.7][r]),
      );
      const w = this.g.workload(rng);
      const name = `acme-${w.app}-${w.env}-${rng.pick(purposes)}-${this.g.suffix()}`;
      out.push({
        kind: 'aws.s3.bucket',
        id: `arn:aws:s3:::${name}`,
        name,
        ...this.base(rng, w, { account: account.id, region }, this.g.daysAgo(rng, this.g.randomAge(rng))),
        spec: {
          publicAccessBlock: { blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: true, restrictPublicBuckets: true },
          encryption: rng.chance(0.6) ? 'aws:kms' : 'AES256',
          versioning: true,
        },
      });
    }
    for (const i of rng.sample(out.length, plantCount('s3-no-public-access-block', out.length))) {
      delete out[i].spec.publicAccessBlock;
      out[i].planted.push('s3-no-public-access-block');
    }
    for (const i of rng.sample(out.length, plantCount('s3-no-encryption', out.length))) {
      delete out[i].spec.encryption;
      out[i].planted.push('s3-no-encryption');
    }
    return out;
  }

  loadBalancers(count: number): LoadBalancer[] {
    const rng = this.rng.fork('elbv2');
    const out: LoadBalancer[] = [];
    for (let i = 0; i < count; i++) {
      const info = this.vpcTable.pick(rng);
      const w = this.g.workload(rng);
      const { account, region } = info.vpc;
      // Application load balancers need a security group; a VPC without one gets a network LB.
      const type = info.sgs.lb.length && rng.chance(0.8) ? 'application' : 'network';
      const scheme = rng.chance(0.6) ? 'internet-facing' : 'internal';
      const name = `${w.app.slice(0, 10)}-${w.env}-${type === 'application' ? 'alb' : 'nlb'}-${this.g.suffix()}`;
      const lbHex = rng.hex(16);
      const short = type === 'application' ? 'app' : 'net';
      const arn = `arn:aws:elasticloadbalancing:${region}:${account}:loadbalancer/${short}/${name}/${lbHex}`;
      const listenerArn = () => `arn:aws:elasticloadbalancing:${region}:${account}:listener/${short}/${name}/${lbHex}/${rng.hex(16)}`;
      out.push({
        kind: 'aws.elbv2.load-balancer',
        id: arn,
        name,
        ...this.base(rng, w, info.vpc, this.g.daysAgo(rng, this.g.randomAge(rng))),
        spec: {
          type,
          scheme,
          dnsName: `${scheme === 'internal' ? 'internal-' : ''}${name}-${rng.int(100_000_000, 999_999_999)}.${region}.elb.amazonaws.com`,
          vpcId: info.vpc.id,
          state: 'active',
          securityGroupIds: type === 'application' ? [rng.pick(info.sgs.lb).id] : [],
          listeners: [{ arn: listenerArn(), protocol: type === 'application' ? 'HTTPS' : 'TLS', port: 443, sslPolicy: ELB_MODERN_POLICY }],
          metricProfile: 'normal',
        },
      });
    }
    const albs = out.filter((lb) => lb.spec.type === 'application');
    for (const i of rng.sample(albs.length, plantCount('elb-http-listener', albs.length))) {
      const lb = albs[i];
      const arn = lb.spec.listeners[0].arn.replace(/[0-9a-f]{16}$/, rng.hex(16));
      lb.spec.listeners.push({ arn, protocol: 'HTTP', port: 80 });
      lb.planted.push('elb-http-listener');
    }
    for (const i of rng.sample(out.length, plantCount('elb-old-tls', out.length))) {
      out[i].spec.listeners[0].sslPolicy = rng.pick(ELB_OLD_POLICIES);
      out[i].planted.push('elb-old-tls');
    }
    return out;
  }
}

// ---- Azure builder --------------------------------------------------------------------------

interface AzureScope {
  sub: AzureSubscription;
  location: string;
  weight: number;
  rank: number;
  nsgs: AzureNsg[];
  ipCount: number;
  octet: number;
}

class AzureBuilder {
  private readonly scopes: AzureScope[] = [];
  private scopeTable!: WeightedTable<AzureScope>;
  private readonly scopeOfVm = new Map<string, AzureScope>();

  constructor(
    private readonly g: Generator,
    private readonly rng: Rng,
    subs: AzureSubscription[],
  ) {
    subs.forEach((sub, s) => {
      sub.locations.forEach((location, l) => {
        this.scopes.push({ sub, location, weight: [2, 1, 0.8][s] * [3, 1.5, 1][l], rank: l, nsgs: [], ipCount: 0, octet: 0 });
      });
    });
    this.scopes.forEach((scope, i) => {
      scope.octet = 100 + i;
    });
  }

  private armId(sub: string, rg: string, provider: string, type: string, name: string): string {
    return `/subscriptions/${sub}/resourceGroups/${rg}/providers/${provider}/${type}/${name}`;
  }

  private base(rng: Rng, w: Workload, sub: string, location: string, createdAt: string) {
    return { account: sub, region: location, createdAt, tags: this.g.tags(rng, w), planted: [] as PlantedCondition[] };
  }

  nsgs(count: number): AzureNsg[] {
    const rng = this.rng.fork('nsgs');
    const ordered = [...this.scopes].sort((a, b) => a.rank - b.rank || b.weight - a.weight);
    const table = new WeightedTable(
      this.scopes,
      this.scopes.map((s) => s.weight),
    );
    const out: AzureNsg[] = [];
    for (let i = 0; i < count; i++) {
      const scope = i < ordered.length ? ordered[i] : table.pick(rng);
      const w = this.g.workload(rng);
      const rg = `rg-network-${w.env}`;
      const name = `nsg-${w.app}-${w.env}-${this.g.suffix()}`;
      const rules: NsgRule[] = [
        {
          name: 'allow-https-vnet',
          priority: 100,
          direction: 'Inbound',
          access: 'Allow',
          protocol: 'Tcp',
          sourceAddressPrefix: 'VirtualNetwork',
          destinationPortRange: '443',
        },
        {
          name: 'allow-ssh-corp',
          priority: 110,
          direction: 'Inbound',
          access: 'Allow',
          protocol: 'Tcp',
          sourceAddressPrefix: '10.0.0.0/8',
          destinationPortRange: '22',
        },
        {
          name: 'deny-internet-inbound',
          priority: 4000,
          direction: 'Inbound',
          access: 'Deny',
          protocol: '*',
          sourceAddressPrefix: 'Internet',
          destinationPortRange: '*',
        },
      ];
      const nsg: AzureNsg = {
        kind: 'azure.network.nsg',
        id: this.armId(scope.sub.id, rg, 'Microsoft.Network', 'networkSecurityGroups', name),
        name,
        ...this.base(rng, w, scope.sub.id, scope.location, this.g.daysAgo(rng, rng.int(100, 1200))),
        spec: { resourceGroup: rg, rules },
      };
      scope.nsgs.push(nsg);
      out.push(nsg);
    }
    const withNsgs = this.scopes.filter((s) => s.nsgs.length);
    this.scopeTable = new WeightedTable(
      withNsgs,
      withNsgs.map((s) => s.weight),
    );
    for (const i of rng.sample(out.length, plantCount('nsg-open-admin-port', out.length))) {
      const port = rng.pick(ADMIN_PORTS);
      out[i].spec.rules.push({
        name: port === 22 ? 'allow-ssh-any' : 'allow-rdp-any',
        priority: 200,
        direction: 'Inbound',
        access: 'Allow',
        protocol: 'Tcp',
        sourceAddressPrefix: rng.pick(['*', 'Internet', '0.0.0.0/0']),
        destinationPortRange: String(port),
      });
      out[i].planted.push('nsg-open-admin-port');
    }
    for (const i of rng.sample(out.length, plantCount('nsg-open-db-port', out.length))) {
      const port = rng.pick(DB_PORTS);
      out[i].spec.rules.push({
        name: `allow-db-${port}-any`,
        priority: 210,
        direction: 'Inbound',
        access: 'Allow',
        protocol: 'Tcp',
        sourceAddressPrefix: rng.pick(['*', 'Internet']),
        destinationPortRange: String(port),
      });
      out[i].planted.push('nsg-open-db-port');
    }
    return out;
  }

  vms(plans: InstancePlan[], diskQuota: number): AzureVm[] {
    const rng = this.rng.fork('vms');
    // Unmanaged VMs have no disk resources, so at most as many as the disk quota leaves spare.
    const unmanaged = new Set(
      rng.sample(plans.length, Math.min(plantCount('azure-vm-unmanaged-disks', plans.length), Math.max(0, plans.length - 1))),
    );
    const managed = plans.length - unmanaged.size;
    if (diskQuota < managed) throw new Error('azure disk quota below managed VM count');
    return plans.map((plan, i) => {
      const scope = this.scopeTable.pick(rng);
      const w = this.g.workload(rng);
      const rg = `rg-${w.app}-${w.env}`;
      const name = `vm-${w.app}-${w.env}-${this.g.suffix()}`;
      const osType = rng.chance(0.75) ? 'Linux' : 'Windows';
      const n = scope.ipCount++;
      const vm: AzureVm = {
        kind: 'azure.compute.vm',
        id: this.armId(scope.sub.id, rg, 'Microsoft.Compute', 'virtualMachines', name),
        name,
        ...this.base(rng, w, scope.sub.id, scope.location, this.g.daysAgo(rng, this.g.randomAge(rng, 3))),
        spec: {
          resourceGroup: rg,
          vmSize: this.g.instanceType(rng, plan, AZURE_SIZES_CURRENT, AZURE_SIZES_PREVIOUS, AZURE_SIZES_PREVIOUS_SIZABLE),
          powerState: plan.running ? 'running' : 'deallocated',
          osType,
          dataDiskIds: [],
          nicId: this.armId(scope.sub.id, rg, 'Microsoft.Network', 'networkInterfaces', `${name}-nic`),
          nsgId: rng.pick(scope.nsgs).id,
          privateIp: `10.${scope.octet}.${Math.floor(n / 250) % 256}.${(n % 250) + 4}`,
          metricProfile: plan.profile,
        },
      };
      vm.tags.tier = plan.tier;
      vm.planted = [...plan.planted];
      if (unmanaged.has(i)) {
        vm.spec.osVhdUri = `https://st${hashString(rg).toString(36)}vhds.blob.core.windows.net/vhds/${name}-osdisk.vhd`;
        vm.planted.push('azure-vm-unmanaged-disks');
      }
      this.scopeOfVm.set(vm.id, scope);
      return vm;
    });
  }

  disks(count: number, vms: AzureVm[]): AzureDisk[] {
    const rng = this.rng.fork('disks');
    const managed = vms.filter((vm) => !vm.spec.osVhdUri);
    const unattached = Math.min(plantCount('volume-unattached', count), count - managed.length);
    const dataCount = count - managed.length - unattached;
    const dataPer = new Array<number>(managed.length).fill(0);
    for (let d = 0; d < dataCount; d++) dataPer[rng.int(0, managed.length - 1)] += 1;
    const out: AzureDisk[] = [];
    const make = (w: Workload, sub: string, location: string, rg: string, name: string, createdAt: string, os: boolean): AzureDisk => {
      const disk: AzureDisk = {
        kind: 'azure.compute.disk',
        id: this.armId(sub, rg, 'Microsoft.Compute', 'disks', name),
        name,
        ...this.base(rng, w, sub, location, createdAt),
        spec: {
          resourceGroup: rg,
          sizeGb: os ? rng.pick([30, 64, 128]) : rng.pick([64, 128, 256, 512, 1024, 2048]),
          sku: rng.weighted(['Premium_LRS', 'StandardSSD_LRS', 'Standard_LRS'] as const, [0.5, 0.35, 0.15]),
          diskState: 'Unattached',
          encryptionType: 'EncryptionAtRestWithCustomerKey',
          networkAccessPolicy: rng.chance(0.8) ? 'DenyAll' : 'AllowPrivate',
          publicNetworkAccess: 'Disabled',
        },
      };
      out.push(disk);
      return disk;
    };
    managed.forEach((vm, i) => {
      const w = workloadOf(vm);
      const attach = (disk: AzureDisk) => {
        disk.spec.diskState = vm.spec.powerState === 'running' ? 'Attached' : 'Reserved';
        disk.spec.managedBy = vm.id;
      };
      const os = make(w, vm.account, vm.region, vm.spec.resourceGroup, `${vm.name}_OsDisk_1_${rng.hex(32)}`, vm.createdAt, true);
      attach(os);
      vm.spec.osDiskId = os.id;
      for (let k = 0; k < dataPer[i]; k++) {
        const created = this.g.daysAgo(rng, rng.int(1, Math.max(1, this.g.ageDays(vm.createdAt) - 1)));
        const disk = make(w, vm.account, vm.region, vm.spec.resourceGroup, `${vm.name}-data-${k}`, created, false);
        attach(disk);
        vm.spec.dataDiskIds.push(disk.id);
      }
    });
    for (let u = 0; u < unattached; u++) {
      const scope = this.scopeTable.pick(rng);
      const w = this.g.workload(rng);
      const disk = make(
        w,
        scope.sub.id,
        scope.location,
        `rg-${w.app}-${w.env}`,
        `disk-${w.app}-${this.g.suffix()}`,
        this.g.daysAgo(rng, this.g.randomAge(rng)),
        false,
      );
      disk.planted.push('volume-unattached');
    }
    for (const i of rng.sample(out.length, plantCount('azure-disk-public-network', out.length))) {
      out[i].spec.networkAccessPolicy = 'AllowAll';
      out[i].spec.publicNetworkAccess = 'Enabled';
      out[i].planted.push('azure-disk-public-network');
    }
    for (const i of rng.sample(out.length, plantCount('azure-disk-no-cmk', out.length))) {
      out[i].spec.encryptionType = 'EncryptionAtRestWithPlatformKey';
      out[i].planted.push('azure-disk-no-cmk');
    }
    return out;
  }

  snapshots(count: number, disks: AzureDisk[]): AzureSnapshot[] {
    const rng = this.rng.fork('snapshots');
    const old = new Set(rng.sample(count, plantCount('snapshot-old', count)));
    const oldDisks = disks.filter((d) => this.g.ageDays(d.createdAt) > OLD_SNAPSHOT_DAYS + 1);
    const out: AzureSnapshot[] = [];
    for (let i = 0; i < count; i++) {
      const wantOld = old.has(i) && oldDisks.length > 0;
      const disk = wantOld ? rng.pick(oldDisks) : rng.pick(disks);
      const diskAge = this.g.ageDays(disk.createdAt);
      const age = wantOld ? rng.int(OLD_SNAPSHOT_DAYS, Math.min(1000, diskAge - 1)) : rng.int(0, Math.min(30, Math.max(0, diskAge - 1)));
      const name = `snap-${disk.name.slice(0, 40)}-${this.g.suffix()}`;
      const snapshot: AzureSnapshot = {
        kind: 'azure.compute.snapshot',
        id: this.armId(disk.account, disk.spec.resourceGroup, 'Microsoft.Compute', 'snapshots', name),
        name,
        ...this.base(rng, workloadOf(disk), disk.account, disk.region, this.g.daysAgo(rng, age)),
        spec: {
          resourceGroup: disk.spec.resourceGroup,
          sourceDiskId: disk.id,
          sizeGb: disk.spec.sizeGb,
          incremental: true,
          encryptionType: 'EncryptionAtRestWithCustomerKey',
          networkAccessPolicy: 'DenyAll',
        },
      };
      if (wantOld) snapshot.planted.push('snapshot-old');
      out.push(snapshot);
    }
    return out;
  }

  publicIps(count: number, vms: AzureVm[]): AzurePublicIp[] {
    const rng = this.rng.fork('public-ips');
    const unassociated = plantCount('address-unassociated', count);
    const candidates = rng.shuffle(vms.filter((vm) => vm.spec.powerState === 'running'));
    const out: AzurePublicIp[] = [];
    for (let a = 0; a < count; a++) {
      const vm = a < count - unassociated ? candidates.pop() : undefined;
      const scope = vm ? this.scopeOfVm.get(vm.id)! : this.scopeTable.pick(rng);
      const w = vm ? workloadOf(vm) : this.g.workload(rng);
      const rg = vm ? vm.spec.resourceGroup : `rg-network-${w.env}`;
      const name = vm ? `${vm.name}-pip` : `pip-${w.app}-${w.env}-${this.g.suffix()}`;
      const pip: AzurePublicIp = {
        kind: 'azure.network.public-ip',
        id: this.armId(scope.sub.id, rg, 'Microsoft.Network', 'publicIPAddresses', name),
        name,
        ...this.base(rng, w, scope.sub.id, scope.location, vm ? vm.createdAt : this.g.daysAgo(rng, this.g.randomAge(rng))),
        spec: { resourceGroup: rg, ipAddress: this.g.publicIp(20), allocation: 'Static', sku: 'Standard' },
      };
      if (vm) {
        pip.spec.vmId = vm.id;
        vm.spec.publicIpId = pip.id;
        vm.planted.push('azure-vm-public-ip');
      } else pip.planted.push('address-unassociated');
      out.push(pip);
    }
    return out;
  }
}

// ---- GCP builder ----------------------------------------------------------------------------

interface GcpZone {
  project: GcpProject;
  zone: string;
  region: string;
  weight: number;
}

class GcpBuilder {
  private readonly zones: GcpZone[] = [];
  private readonly zoneTable: WeightedTable<GcpZone>;
  private readonly networksOf = new Map<string, { name: string; octet: number; ipCount: number }[]>();

  constructor(
    private readonly g: Generator,
    private readonly rng: Rng,
    private readonly projects: GcpProject[],
  ) {
    projects.forEach((project, p) => {
      project.zones.forEach((zone, z) => {
        this.zones.push({ project, zone, region: zone.slice(0, zone.lastIndexOf('-')), weight: [2, 1, 0.6][p] * (z < 2 ? 2 : 1) });
      });
      this.networksOf.set(
        project.id,
        GCP_NETWORKS.slice(0, 2).map((name, n) => ({ name, octet: 160 + p * 4 + n, ipCount: 0 })),
      );
    });
    this.zoneTable = new WeightedTable(
      this.zones,
      this.zones.map((z) => z.weight),
    );
  }

  private base(rng: Rng, w: Workload, project: string, region: string, createdAt: string) {
    return { account: project, region, createdAt, tags: this.g.tags(rng, w, {}, true), planted: [] as PlantedCondition[] };
  }

  private workloadOf(resource: EstateResource): Workload {
    const t = resource.tags;
    return {
      app: t.app ?? 'app',
      env: t.env ?? 'prod',
      team: t.team ?? 'platform',
      owner: t.owner ? `${t.owner}@${COMPANY_DOMAIN}` : `ops@${COMPANY_DOMAIN}`,
      costCenter: t['cost-center'] ?? COST_CENTERS[0],
    };
  }

  firewalls(count: number): GcpFirewall[] {
    const rng = this.rng.fork('firewalls');
    const out: GcpFirewall[] = [];
    for (let i = 0; i < count; i++) {
      const project = rng.weighted(this.projects, [2, 1, 0.6].slice(0, this.projects.length));
      const network = rng.pick(this.networksOf.get(project.id)!);
      const w = this.g.workload(rng);
      const tag = rng.pick(['web', 'app', 'db', 'ssh', 'batch']);
      const ports = tag === 'db' ? ['5432', '3306'] : tag === 'ssh' ? ['22'] : tag === 'web' ? ['443', '8443'] : ['8080', '9090'];
      out.push({
        kind: 'gcp.compute.firewall',
        id: this.g.numericId(rng),
        name: `allow-${tag}-internal-${network.name}-${this.g.suffix()}`,
        ...this.base(rng, w, project.id, 'global', this.g.daysAgo(rng, rng.int(60, 1200))),
        spec: {
          network: network.name,
          direction: 'INGRESS',
          priority: 1000,
          sourceRanges: [`10.${network.octet}.0.0/16`],
          allowed: [{ IPProtocol: 'tcp', ports }],
          targetTags: [tag],
          disabled: rng.chance(0.05),
        },
      });
    }
    const clean = new Set(out.map((_, i) => i));
    for (const i of rng.sample(out.length, plantCount('gcp-firewall-open-admin', out.length))) {
      const fw = out[i];
      fw.spec.sourceRanges = ['0.0.0.0/0'];
      fw.spec.allowed = [{ IPProtocol: 'tcp', ports: [String(rng.pick(ADMIN_PORTS))] }];
      fw.spec.disabled = false;
      fw.name = fw.name.replace('-internal-', '-world-');
      fw.planted.push('gcp-firewall-open-admin');
      clean.delete(i);
    }
    // Open-to-all rules go on rules not already opened for admin ports alone.
    const rest = [...clean];
    for (const k of rng.sample(rest.length, plantCount('gcp-firewall-open-all', out.length))) {
      const fw = out[rest[k]];
      fw.spec.sourceRanges = ['0.0.0.0/0'];
      fw.spec.allowed = [{ IPProtocol: 'all' }];
      fw.spec.disabled = false;
      fw.name = fw.name.replace('-internal-', '-any-');
      // Every protocol and port from anywhere opens the admin ports too: both findings are true.
      fw.planted.push('gcp-firewall-open-all', 'gcp-firewall-open-admin');
    }
    return out;
  }

  planAddresses(count: number, plans: InstancePlan[]): AddressPlan {
    const rng = this.rng.fork('address-plan');
    const publicCount = plantCount('gcp-instance-public-ip', plans.length);
    const publicIdx = rng.sample(plans.length, publicCount);
    for (const i of publicIdx) {
      plans[i].publicIp = true;
      plans[i].running = true;
      plans[i].planted.push('gcp-instance-public-ip');
    }
    const reserved = plantCount('address-unassociated', count);
    const external = rng.shuffle(publicIdx);
    const internal = rng.shuffle(plans.map((_, i) => i).filter((i) => !plans[i].publicIp));
    const instanceOf: (number | undefined)[] = [];
    const isExternal: boolean[] = [];
    for (let a = 0; a < count; a++) {
      let instance: number | undefined;
      let ext = rng.chance(0.5);
      if (a < count - reserved) {
        if (external.length) {
          instance = external.pop();
          ext = true;
        } else if (internal.length) {
          instance = internal.pop();
          ext = false;
        }
      }
      if (instance !== undefined) plans[instance].addressIndex = a;
      instanceOf.push(instance);
      isExternal.push(ext);
    }
    return { instanceOf, external: isExternal };
  }

  instances(plans: InstancePlan[]): GcpInstance[] {
    const rng = this.rng.fork('instances');
    const n = plans.length;
    const defaultSa = new Set(rng.sample(n, plantCount('gcp-default-sa-full-scope', n)));
    const serial = new Set(rng.sample(n, plantCount('gcp-serial-port', n)));
    const sshKeys = new Set(rng.sample(n, plantCount('gcp-project-ssh-keys', n)));
    return plans.map((plan, i) => {
      const zone = this.zoneTable.pick(rng);
      const project = zone.project;
      const network = rng.pick(this.networksOf.get(project.id)!);
      const w = this.g.workload(rng);
      const k = network.ipCount++;
      const instance: GcpInstance = {
        kind: 'gcp.compute.instance',
        id: this.g.numericId(rng),
        name: `${w.app}-${plan.tier}-${w.env}-${this.g.suffix()}`,
        ...this.base(rng, w, project.id, zone.zone, this.g.daysAgo(rng, this.g.randomAge(rng, 3))),
        spec: {
          machineType: this.g.instanceType(rng, plan, GCP_TYPES_CURRENT, GCP_TYPES_PREVIOUS, GCP_TYPES_PREVIOUS_SIZABLE),
          status: plan.running ? 'RUNNING' : 'TERMINATED',
          network: network.name,
          internalIp: `10.${network.octet}.${Math.floor(k / 250) % 256}.${(k % 250) + 2}`,
          diskIds: [],
          serviceAccountEmail: `${w.team}-runtime@${project.id}.iam.gserviceaccount.com`,
          scopes: ['https://www.googleapis.com/auth/cloud-platform'],
          serialPortEnabled: false,
          blockProjectSshKeys: true,
          networkTags: [plan.tier === 'web' ? 'web' : plan.tier === 'db' ? 'db' : 'app'],
          metricProfile: plan.profile,
        },
      };
      instance.tags.tier = plan.tier;
      instance.planted = [...plan.planted];
      if (defaultSa.has(i)) {
        instance.spec.serviceAccountEmail = `${project.number}-compute@developer.gserviceaccount.com`;
        instance.planted.push('gcp-default-sa-full-scope');
      }
      if (serial.has(i)) {
        instance.spec.serialPortEnabled = true;
        instance.planted.push('gcp-serial-port');
      }
      if (sshKeys.has(i)) {
        instance.spec.blockProjectSshKeys = false;
        instance.planted.push('gcp-project-ssh-keys');
      }
      if (plan.publicIp && plan.addressIndex === undefined) instance.spec.natIp = this.g.publicIp(34);
      return instance;
    });
  }

  disks(count: number, instances: GcpInstance[]): GcpDisk[] {
    const rng = this.rng.fork('disks');
    const unattached = Math.min(plantCount('volume-unattached', count), count - instances.length);
    const dataCount = count - instances.length - unattached;
    const dataPer = new Array<number>(instances.length).fill(0);
    for (let d = 0; d < dataCount; d++) dataPer[rng.int(0, instances.length - 1)] += 1;
    const out: GcpDisk[] = [];
    const kms = (project: string, zone: string) =>
      `projects/${project}/locations/${zone.slice(0, zone.lastIndexOf('-'))}/keyRings/guardian-${zone.slice(0, zone.lastIndexOf('-'))}/cryptoKeys/disk-key`;
    const make = (w: Workload, project: string, zone: string, name: string, createdAt: string, boot: boolean): GcpDisk => {
      const disk: GcpDisk = {
        kind: 'gcp.compute.disk',
        id: this.g.numericId(rng),
        name,
        ...this.base(rng, w, project, zone, createdAt),
        spec: {
          sizeGb: boot ? rng.pick([10, 20, 50, 100]) : rng.pick([100, 200, 500, 1000, 2000]),
          type: rng.weighted(['pd-balanced', 'pd-ssd', 'pd-standard'] as const, [0.6, 0.25, 0.15]),
          status: 'READY',
          users: [],
          kmsKeyName: kms(project, zone),
        },
      };
      out.push(disk);
      return disk;
    };
    instances.forEach((instance, i) => {
      const w = this.workloadOf(instance);
      for (let k = 0; k <= dataPer[i]; k++) {
        const boot = k === 0;
        const created = boot ? instance.createdAt : this.g.daysAgo(rng, rng.int(1, Math.max(1, this.g.ageDays(instance.createdAt) - 1)));
        const disk = make(w, instance.account, instance.region, boot ? instance.name : `${instance.name}-data-${k}`, created, boot);
        disk.spec.users.push(instance.id);
        instance.spec.diskIds.push(disk.id);
      }
    });
    for (let u = 0; u < unattached; u++) {
      const zone = this.zoneTable.pick(rng);
      const w = this.g.workload(rng);
      const disk = make(
        w,
        zone.project.id,
        zone.zone,
        `${w.app}-${w.env}-orphan-${this.g.suffix()}`,
        this.g.daysAgo(rng, this.g.randomAge(rng)),
        false,
      );
      disk.planted.push('volume-unattached');
    }
    for (const i of rng.sample(out.length, plantCount('gcp-disk-no-cmek', out.length))) {
      delete out[i].spec.kmsKeyName;
      out[i].planted.push('gcp-disk-no-cmek');
    }
    return out;
  }

  snapshots(count: number, disks: GcpDisk[]): GcpSnapshot[] {
    const rng = this.rng.fork('snapshots');
    const old = new Set(rng.sample(count, plantCount('snapshot-old', count)));
    const oldDisks = disks.filter((d) => this.g.ageDays(d.createdAt) > OLD_SNAPSHOT_DAYS + 1);
    const out: GcpSnapshot[] = [];
    for (let i = 0; i < count; i++) {
      const wantOld = old.has(i) && oldDisks.length > 0;
      const disk = wantOld ? rng.pick(oldDisks) : rng.pick(disks);
      const diskAge = this.g.ageDays(disk.createdAt);
      const age = wantOld ? rng.int(OLD_SNAPSHOT_DAYS, Math.min(1000, diskAge - 1)) : rng.int(0, Math.min(30, Math.max(0, diskAge - 1)));
      const region = disk.region.slice(0, disk.region.lastIndexOf('-'));
      const snapshot: GcpSnapshot = {
        kind: 'gcp.compute.snapshot',
        id: this.g.numericId(rng),
        name: `${disk.name.slice(0, 40)}-snap-${this.g.suffix()}`,
        ...this.base(rng, this.workloadOf(disk), disk.account, 'global', this.g.daysAgo(rng, age)),
        spec: {
          sourceDiskId: disk.id,
          diskSizeGb: disk.spec.sizeGb,
          storageBytes: Math.round(disk.spec.sizeGb * 1_073_741_824 * (0.2 + 0.5 * rng.float())),
          // Snapshots take their own key, so they are CMEK-protected even when the disk is not.
          kmsKeyName: `projects/${disk.account}/locations/${region}/keyRings/guardian-${region}/cryptoKeys/snapshot-key`,
          status: 'READY',
        },
      };
      if (wantOld) snapshot.planted.push('snapshot-old');
      out.push(snapshot);
    }
    return out;
  }

  addresses(plan: AddressPlan, instances: GcpInstance[]): GcpAddress[] {
    const rng = this.rng.fork('addresses');
    return plan.instanceOf.map((index, a) => {
      const instance = index === undefined ? undefined : instances[index];
      const zone = instance ? undefined : this.zoneTable.pick(rng);
      const project = instance ? instance.account : zone!.project.id;
      const region = instance ? instance.region.slice(0, instance.region.lastIndexOf('-')) : zone!.region;
      const w = instance ? this.workloadOf(instance) : this.g.workload(rng);
      const external = plan.external[a];
      let address: string;
      if (instance && !external) address = instance.spec.internalIp;
      else if (external) address = this.g.publicIp(34);
      else {
        const network = this.networksOf.get(project)![0];
        const k = network.ipCount++;
        address = `10.${network.octet}.${Math.floor(k / 250) % 256}.${(k % 250) + 2}`;
      }
      const resource: GcpAddress = {
        kind: 'gcp.compute.address',
        id: this.g.numericId(rng),
        name: instance ? `${instance.name}-${external ? 'ext' : 'int'}` : `${w.app}-${w.env}-reserved-${this.g.suffix()}`,
        ...this.base(rng, w, project, region, instance ? instance.createdAt : this.g.daysAgo(rng, this.g.randomAge(rng))),
        spec: {
          address,
          status: instance ? 'IN_USE' : 'RESERVED',
          addressType: external ? 'EXTERNAL' : 'INTERNAL',
          users: instance ? [instance.id] : [],
        },
      };
      if (instance && external) instance.spec.natIp = address;
      // A reserved internal address is free: only an unused external one is billed waste.
      if (!instance && external) resource.planted.push('address-unassociated');
      return resource;
    });
  }
}
