// The estate's true spend: daily cost per cloud × account × service × region for the 400 days
// ending at estate.now (inclusive: estate.now is the last day and counts as a complete day).
// Every amount is an integer number of cents, computed from the resources in each scope at list
// price, shaped by a trend, weekly and monthly seasonality, noise and a few labelled anomalies.
// The sandbox's billing endpoints (Cost Explorer, Cost Management, the BigQuery export) answer
// from this, and tests compare what the providers read back against it to the cent.
//
// Compact on purpose: one Float64Array of cents per metric, line-major (line × day), plus the
// tag split weights per line. A 200,000-resource estate has a few hundred lines, not more.

import type { Cloud } from '../../model/resource.js';
import {
  azureDiskMonth,
  azurePublicIpHour,
  azureSnapshotMonth,
  azureVmHour,
  ebsSnapshotMonth,
  ebsVolumeMonth,
  ec2InstanceHour,
  gcpAddressHour,
  gcpDiskMonth,
  gcpMachineHour,
  gcpSnapshotMonth,
  loadBalancerHour,
  type Price,
  publicIpv4Hour,
  rdsInstanceHour,
  rdsStorageMonth,
} from '../../pricing/catalog.js';
import { hashString, hashWords, Rng, unitOf } from './rng.js';
import type { Estate, EstateResource } from './types.js';

export const COST_DAYS = 400;
const DAY_MS = 86_400_000;
/** The currency of the one Azure subscription billed in euros (the others bill in USD). */
export const EUR_PER_USD = 0.92;

/** Service names as each cloud's billing data spells them. */
export const SERVICES = {
  aws: {
    compute: 'Amazon Elastic Compute Cloud - Compute',
    ec2Other: 'EC2 - Other',
    vpc: 'Amazon Virtual Private Cloud',
    rds: 'Amazon Relational Database Service',
    elb: 'Amazon Elastic Load Balancing',
    s3: 'Amazon Simple Storage Service',
    cloudwatch: 'AmazonCloudWatch',
  },
  azure: { vm: 'Virtual Machines', storage: 'Storage', network: 'Virtual Network', bandwidth: 'Bandwidth' },
  gcp: { compute: 'Compute Engine', networking: 'Networking', storage: 'Cloud Storage', bigquery: 'BigQuery' },
} as const;

export type CostSeriesMetric = 'unblended' | 'amortized';

export interface CostLine {
  cloud: Cloud;
  /** AWS account id / Azure subscription id / GCP project id. */
  account: string;
  service: string;
  /** AWS region / Azure location / GCP region. */
  region: string;
  currency: 'USD' | 'EUR';
  /** Resources billed on this line (0 for account-level charges such as CloudWatch). */
  resources: number;
  /** Part of the line's usage covered by a reservation (amortized ≠ unblended when > 0). */
  reservedShare: number;
}

export interface CostAnomaly {
  /** First day of the anomaly (ISO date). */
  date: string;
  days: number;
  cloud: Cloud;
  account: string;
  service: string;
  region: string;
  kind: 'spike' | 'drop';
  /** Multiplier applied to the line's cost on those days (> 1 spike, < 1 drop). */
  magnitude: number;
}

export interface TrueCostSeries {
  /** First day (ISO), inclusive. */
  start: string;
  /** Last day (ISO), inclusive: the estate's `now`. */
  end: string;
  days: number;
  lines: CostLine[];
  /** Cents, line-major: index `line * days + day`. */
  unblended: Float64Array;
  amortized: Float64Array;
  anomalies: CostAnomaly[];
  /** Tag keys seen on the estate's resources (cost allocation tags / labels). */
  tagKeys: string[];
  /** Per line: tag key → [value ('' = untagged), weight] pairs the line's cost splits by. */
  tagWeights: Map<string, [string, number][]>[];
}

/** The manifest's view: everything but the per-day arrays, plus monthly totals per line. */
export interface CostSeriesManifest {
  start: string;
  end: string;
  days: number;
  inclusiveEnd: true;
  currencies: { cloud: Cloud; account: string; currency: string }[];
  lines: (CostLine & { monthly: { month: string; unblended: number; amortized: number }[] })[];
  anomalies: CostAnomaly[];
  tagKeys: string[];
}

export function dayNumber(iso: string): number {
  return Math.floor(Date.parse(`${iso.slice(0, 10)}T00:00:00Z`) / DAY_MS);
}

export function isoOfDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** GCP zones bill in their region. */
export function billingRegion(resource: EstateResource): string {
  if (resource.kind.startsWith('gcp.') && /-[a-z]$/.test(resource.region))
    return resource.region.slice(0, resource.region.lastIndexOf('-'));
  return resource.region;
}

const HOURS_PER_DAY = 24;
const DAYS_PER_MONTH = 730 / 24;
/** When a type is missing from the bundled tables the series still needs a figure: a mid-size default. */
const FALLBACK_HOURLY = 0.1;

function hourlyCents(price: Price | undefined): number {
  return (price?.amount ?? FALLBACK_HOURLY) * HOURS_PER_DAY * 100;
}
function monthlyCents(price: Price | undefined, fallbackMonthly: number): number {
  return ((price?.amount ?? fallbackMonthly) / DAYS_PER_MONTH) * 100;
}

/** Which service a resource bills under and its cents per day today (0 when it bills nothing). */
export function resourceDailyCost(resource: EstateResource): { service: string; cents: number } | undefined {
  const region = billingRegion(resource);
  switch (resource.kind) {
    case 'aws.ec2.instance':
      return resource.spec.state === 'running'
        ? { service: SERVICES.aws.compute, cents: hourlyCents(ec2InstanceHour(resource.spec.instanceType, region)) }
        : undefined;
    case 'aws.ec2.volume':
      return {
        service: SERVICES.aws.ec2Other,
        cents: monthlyCents(
          ebsVolumeMonth(resource.spec.volumeType, resource.spec.sizeGb, resource.spec.iops, region),
          resource.spec.sizeGb * 0.1,
        ),
      };
    case 'aws.ec2.snapshot':
      return {
        service: SERVICES.aws.ec2Other,
        cents: monthlyCents(ebsSnapshotMonth(resource.spec.sizeGb, region), resource.spec.sizeGb * 0.05),
      };
    case 'aws.ec2.address':
      return { service: SERVICES.aws.vpc, cents: hourlyCents(publicIpv4Hour(region) ?? { amount: 0.005, approximate: true, table: '' }) };
    case 'aws.rds.instance': {
      const s = resource.spec;
      const storage = monthlyCents(rdsStorageMonth(s.storageType, s.storageGb, s.multiAz, region), s.storageGb * 0.115);
      const compute = s.status === 'available' ? hourlyCents(rdsInstanceHour(s.instanceClass, s.engine, s.multiAz, region)) : 0;
      return { service: SERVICES.aws.rds, cents: compute + storage };
    }
    case 'aws.elbv2.load-balancer':
      // Hours plus capacity units: LCUs typically add a bit more than half the hourly charge again.
      return { service: SERVICES.aws.elb, cents: hourlyCents(loadBalancerHour(resource.spec.type, region)) * 1.6 };
    case 'aws.s3.bucket':
      // Storage and requests are usage, not inventory: a stable per-bucket figure from $0.20 to $40 a day.
      return { service: SERVICES.aws.s3, cents: 20 + 3980 * unitOf(hashString(resource.id)) ** 3 };
    case 'azure.compute.vm':
      return resource.spec.powerState === 'deallocated'
        ? undefined
        : { service: SERVICES.azure.vm, cents: hourlyCents(azureVmHour(resource.spec.vmSize, resource.spec.osType, region)) };
    case 'azure.compute.disk':
      return {
        service: SERVICES.azure.storage,
        cents: monthlyCents(azureDiskMonth(resource.spec.sku, resource.spec.sizeGb, region), resource.spec.sizeGb * 0.1),
      };
    case 'azure.compute.snapshot':
      return {
        service: SERVICES.azure.storage,
        cents: monthlyCents(azureSnapshotMonth(resource.spec.sizeGb, region), resource.spec.sizeGb * 0.05),
      };
    case 'azure.network.public-ip':
      return {
        service: SERVICES.azure.network,
        cents: hourlyCents(azurePublicIpHour(resource.spec.sku, region) ?? { amount: 0.005, approximate: true, table: '' }),
      };
    case 'gcp.compute.instance':
      return resource.spec.status === 'RUNNING'
        ? {
            service: SERVICES.gcp.compute,
            cents: hourlyCents(gcpMachineHour(resource.spec.machineType.slice(resource.spec.machineType.lastIndexOf('/') + 1), region)),
          }
        : undefined;
    case 'gcp.compute.disk':
      return {
        service: SERVICES.gcp.compute,
        cents: monthlyCents(gcpDiskMonth(resource.spec.type, resource.spec.sizeGb, region), resource.spec.sizeGb * 0.1),
      };
    case 'gcp.compute.snapshot':
      return {
        service: SERVICES.gcp.compute,
        cents: monthlyCents(gcpSnapshotMonth(resource.spec.storageBytes / 1024 ** 3, region), resource.spec.diskSizeGb * 0.05),
      };
    case 'gcp.compute.address':
      return resource.spec.addressType === 'EXTERNAL'
        ? { service: SERVICES.gcp.networking, cents: hourlyCents(gcpAddressHour(resource.spec.status === 'IN_USE', region)) }
        : undefined;
    default:
      return undefined;
  }
}

/** The share of AWS resources billed at a negotiated (private pricing) rate: planted, in the manifest. */
export const DISCOUNT_RATE = 0.08;

/**
 * What share of its list price a resource is billed at: 1, or for a planted few AWS resources a
 * private-pricing rate from 0.55 to 0.85 (Cost Explorer's resource-level data shows it; the
 * bundled list prices cannot). Stable per seed and resource id.
 */
export function billedFactor(resource: EstateResource, seed: number): number {
  if (!resource.kind.startsWith('aws.')) return 1;
  if (unitOf(hashString(`discount|${resource.id}`, seed)) >= DISCOUNT_RATE) return 1;
  return Math.round((0.55 + 0.3 * unitOf(hashString(`discount-rate|${resource.id}`, seed))) * 100) / 100;
}

/** Whether a service's usage follows office hours (weekends lower) or is flat storage. */
function weekdaySensitive(service: string): boolean {
  return (
    service === SERVICES.aws.compute ||
    service === SERVICES.aws.rds ||
    service === SERVICES.aws.elb ||
    service === SERVICES.azure.vm ||
    service === SERVICES.azure.bandwidth ||
    service === SERVICES.gcp.compute ||
    service === SERVICES.gcp.bigquery ||
    service === SERVICES.aws.cloudwatch
  );
}

interface LineBuild {
  line: CostLine;
  base: number;
  /** tag key → value → weight */
  tags: Map<string, Map<string, number>>;
}

/** The currency each Azure subscription bills in: the second one (or the only one) in euros. */
export function azureCurrencies(estate: Estate): Map<string, 'USD' | 'EUR'> {
  const subs = estate.azure.subscriptions;
  const euro = subs.length > 1 ? 1 : 0;
  return new Map(subs.map((sub, index) => [sub.id, index === euro ? 'EUR' : 'USD']));
}

export function costSeries(estate: Estate): TrueCostSeries {
  const rng = new Rng(estate.seed, hashString('costs'));
  const azureCurrency = azureCurrencies(estate);
  const builds = new Map<string, LineBuild>();
  const tagKeys = new Set<string>();
  const lineFor = (cloud: Cloud, account: string, service: string, region: string): LineBuild => {
    const key = `${cloud}|${account}|${service}|${region}`;
    let build = builds.get(key);
    if (!build) {
      const currency = cloud === 'azure' ? (azureCurrency.get(account) ?? 'USD') : 'USD';
      build = { line: { cloud, account, service, region, currency, resources: 0, reservedShare: 0 }, base: 0, tags: new Map() };
      builds.set(key, build);
    }
    return build;
  };

  for (const resource of estate.resources) {
    const cost = resourceDailyCost(resource);
    if (!cost || cost.cents <= 0) continue;
    // A resource billed at a negotiated rate bills less than its list price, here and in
    // Cost Explorer's resource-level data (resource-costs.ts), which splits these same lines.
    cost.cents *= billedFactor(resource, estate.seed);
    const cloud = resource.kind.slice(0, resource.kind.indexOf('.')) as Cloud;
    const build = lineFor(cloud, resource.account, cost.service, billingRegion(resource));
    build.base += cost.cents;
    build.line.resources += 1;
    for (const [key, value] of Object.entries(resource.tags)) {
      // The Name tag names one resource; it is not a cost allocation tag.
      if (key === 'Name') continue;
      tagKeys.add(key);
      let values = build.tags.get(key);
      if (!values) {
        values = new Map();
        build.tags.set(key, values);
      }
      values.set(value, (values.get(value) ?? 0) + cost.cents);
    }
  }

  // Charges not tied to one inventoried resource: monitoring, bandwidth, object storage, queries.
  const compute = [...builds.values()].filter(
    (b) => b.line.service === SERVICES.aws.compute || b.line.service === SERVICES.azure.vm || b.line.service === SERVICES.gcp.compute,
  );
  for (const build of compute) {
    const { cloud, account, region } = build.line;
    const service = cloud === 'aws' ? SERVICES.aws.cloudwatch : cloud === 'azure' ? SERVICES.azure.bandwidth : SERVICES.gcp.bigquery;
    const extra = lineFor(cloud, account, service, region);
    extra.base += 150 + build.base * (0.03 + 0.05 * unitOf(hashString(`${account}|${region}|${service}`, estate.seed)));
  }
  for (const project of estate.gcp.projects) {
    const region = project.regions[0];
    if (region) lineFor('gcp', project.id, SERVICES.gcp.storage, region).base += 300 + 4000 * unitOf(hashString(project.id, estate.seed));
  }

  const ordered = [...builds.values()].sort((a, b) => {
    const x = a.line;
    const y = b.line;
    return (
      x.cloud.localeCompare(y.cloud) ||
      x.account.localeCompare(y.account) ||
      x.service.localeCompare(y.service) ||
      x.region.localeCompare(y.region)
    );
  });
  const lines = ordered.map((b) => b.line);
  for (const build of ordered) {
    const line = build.line;
    if (line.currency === 'EUR') build.base *= EUR_PER_USD;
    // About a third of the compute lines run partly on reservations (AWS RIs, Azure reserved VMs).
    if (
      (line.service === SERVICES.aws.compute || line.service === SERVICES.azure.vm) &&
      unitOf(hashString(`ri|${line.account}|${line.region}`, estate.seed)) < 0.35
    ) {
      line.reservedShare = Math.round((0.3 + 0.5 * unitOf(hashString(`ri-share|${line.account}|${line.region}`, estate.seed))) * 100) / 100;
    }
  }

  const days = COST_DAYS;
  const last = dayNumber(estate.now);
  const first = last - days + 1;
  const unblended = new Float64Array(lines.length * days);
  const amortized = new Float64Array(lines.length * days);

  // Anomalies: a few lines get a spike or a drop lasting 1–3 days somewhere in the last 300 days.
  const anomalies: CostAnomaly[] = [];
  const anomalyRng = rng.fork('anomalies');
  const candidates = ordered.map((b, index) => ({ index, base: b.base })).filter((c) => c.base >= 500);
  const count = Math.min(candidates.length, 6);
  const chosen = anomalyRng.sample(candidates.length, count).map((i) => candidates[i].index);
  const anomalyAt = new Map<number, { from: number; to: number; factor: number }>();
  for (const index of chosen) {
    const spike = anomalyRng.chance(0.67);
    const start = last - anomalyRng.int(7, 300);
    const length = anomalyRng.int(1, 3);
    const factor = spike
      ? Math.round((2.5 + anomalyRng.float() * 3.5) * 100) / 100
      : Math.round((0.1 + anomalyRng.float() * 0.25) * 100) / 100;
    anomalyAt.set(index, { from: start, to: start + length, factor });
    const line = lines[index];
    anomalies.push({
      date: isoOfDay(start),
      days: length,
      cloud: line.cloud,
      account: line.account,
      service: line.service,
      region: line.region,
      kind: spike ? 'spike' : 'drop',
      magnitude: factor,
    });
  }
  anomalies.sort((a, b) => a.date.localeCompare(b.date));

  ordered.forEach((build, index) => {
    const line = build.line;
    const h = hashString(`${line.cloud}|${line.account}|${line.service}|${line.region}`, estate.seed);
    const growth = 0.1 + 0.5 * unitOf(hashWords(h, 1));
    const weekend = weekdaySensitive(line.service) ? 0.72 + 0.2 * unitOf(hashWords(h, 2)) : 1;
    const monthly = 0.06 * unitOf(hashWords(h, 3));
    const noise = 0.02 + 0.05 * unitOf(hashWords(h, 4));
    const anomaly = anomalyAt.get(index);
    const usage = (day: number): number => {
      const date = new Date(day * DAY_MS);
      const dow = date.getUTCDay();
      const dom = date.getUTCDate();
      const dim = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0)).getUTCDate();
      const level = Math.max(0.2, 1 - (growth * (last - day)) / 365);
      const week = dow === 0 || dow === 6 ? weekend : 1;
      const month = 1 + monthly * Math.cos((2 * Math.PI * (dom - 1)) / dim);
      const jitter = 1 + noise * (2 * unitOf(hashWords(h, 5, day)) - 1);
      const spike = anomaly && day >= anomaly.from && day < anomaly.to ? anomaly.factor : 1;
      return Math.max(0, Math.round(build.base * level * week * month * jitter * spike));
    };
    // The reservation's fee, spread over the month (amortized) or charged on the 1st (unblended).
    const fee = (day: number): number => Math.round(usage(day) * line.reservedShare * 0.6);
    const monthFee = new Map<number, number>();
    const feeForMonthOf = (day: number): number => {
      const date = new Date(day * DAY_MS);
      const start = Math.floor(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1) / DAY_MS);
      let total = monthFee.get(start);
      if (total === undefined) {
        const end = Math.floor(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1) / DAY_MS);
        total = 0;
        for (let d = start; d < end; d++) total += fee(d);
        monthFee.set(start, total);
      }
      return total;
    };
    for (let t = 0; t < days; t++) {
      const day = first + t;
      const used = usage(day);
      const offset = index * days + t;
      if (line.reservedShare === 0) {
        unblended[offset] = used;
        amortized[offset] = used;
        continue;
      }
      // Usage covered by the reservation is billed at zero; the fee carries its cost.
      const covered = Math.round(used * line.reservedShare);
      amortized[offset] = used - covered + fee(day);
      unblended[offset] = used - covered + (new Date(day * DAY_MS).getUTCDate() === 1 ? feeForMonthOf(day) : 0);
    }
  });

  const keys = [...tagKeys].sort();
  const tagWeights = ordered.map((build) => {
    const total = build.base;
    const byKey = new Map<string, [string, number][]>();
    for (const key of keys) {
      const values = build.tags.get(key);
      const pairs: [string, number][] = values ? [...values.entries()].sort((a, b) => a[0].localeCompare(b[0])) : [];
      const tagged = pairs.reduce((sum, [, w]) => sum + w, 0);
      const untagged = Math.max(0, total - tagged);
      if (untagged > 0 || pairs.length === 0) pairs.unshift(['', untagged > 0 ? untagged : 1]);
      byKey.set(key, pairs);
    }
    return byKey;
  });

  return { start: isoOfDay(first), end: isoOfDay(last), days, lines, unblended, amortized, anomalies, tagKeys: keys, tagWeights };
}

/**
 * A line's split by one tag key: the values ('' = untagged) and the cumulative share of the
 * line's cost up to and including each, ending at exactly 1.
 */
interface TagSplit {
  values: string[];
  cumulative: Float64Array;
}

const splitCache = new WeakMap<TrueCostSeries, Map<string, TagSplit>>();

function tagSplit(series: TrueCostSeries, line: number, key: string): TagSplit {
  let cache = splitCache.get(series);
  if (!cache) {
    cache = new Map();
    splitCache.set(series, cache);
  }
  const id = `${line}\u0000${key}`;
  let split = cache.get(id);
  if (!split) {
    const weights = series.tagWeights[line].get(key) ?? [['', 1]];
    const total = weights.reduce((sum, [, w]) => sum + w, 0);
    const cumulative = new Float64Array(weights.length);
    let running = 0;
    weights.forEach(([, w], i) => {
      running += w;
      cumulative[i] = running / total;
    });
    cumulative[weights.length - 1] = 1;
    split = { values: weights.map(([value]) => value), cumulative };
    cache.set(id, split);
  }
  return split;
}

/**
 * Split a line's cents between the values of a tag key in proportion to the tagged resources'
 * cost, exactly: each value gets round(cents × cumulative share) minus the same for the values
 * before it, so the parts are whole cents that add up to the line (and it is O(values)).
 */
export function splitByTag(series: TrueCostSeries, line: number, key: string, cents: number): [string, number][] {
  const { values, cumulative } = tagSplit(series, line, key);
  const parts: [string, number][] = [];
  let previous = 0;
  for (let i = 0; i < values.length; i++) {
    const upTo = Math.round(cents * cumulative[i]);
    parts.push([values[i], upTo - previous]);
    previous = upTo;
  }
  return parts;
}

export function lineCents(series: TrueCostSeries, metric: CostSeriesMetric, line: number, day: number): number {
  const t = day - dayNumber(series.start);
  if (t < 0 || t >= series.days) return 0;
  return (metric === 'amortized' ? series.amortized : series.unblended)[line * series.days + t];
}

/** What a billing query over the true series selects and groups by. */
export type CostGroupDimension = 'service' | 'region' | 'account' | { tag: string };

export interface CostAggregation {
  cloud: Cloud;
  /** Accounts the caller may see. */
  accounts: ReadonlySet<string>;
  /** Inclusive first day and exclusive last day (ISO dates). */
  from: string;
  to: string;
  metric: CostSeriesMetric;
  granularity: 'daily' | 'monthly' | 'none';
  groupBy: CostGroupDimension[];
  /** Line-level filter (service, region, account). */
  lineFilter?: (line: CostLine) => boolean;
  /** Tag filter: keep only the part of each line whose `key` tag value passes. */
  tagFilter?: { key: string; accept: (value: string) => boolean };
}

export interface AggregatedPeriod {
  /** Inclusive start and exclusive end (ISO dates), clipped to the query. */
  start: string;
  end: string;
  /** One entry per group: the keys in groupBy order, the currency and the cents. */
  groups: { keys: string[]; currency: string; cents: number }[];
}

function periodBounds(day: number, granularity: CostAggregation['granularity'], from: number, to: number): [number, number] {
  if (granularity === 'daily') return [day, day + 1];
  if (granularity === 'none') return [from, to];
  const date = new Date(day * DAY_MS);
  const start = Math.floor(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1) / DAY_MS);
  const end = Math.floor(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1) / DAY_MS);
  return [Math.max(start, from), Math.min(end, to)];
}

/** Sum the true series over a period, grouped; every period of the range appears, even when empty. */
export function aggregateCosts(series: TrueCostSeries, query: CostAggregation): AggregatedPeriod[] {
  const from = dayNumber(query.from);
  const to = dayNumber(query.to);
  const first = dayNumber(series.start);
  const periods: AggregatedPeriod[] = [];
  const lineIndexes: number[] = [];
  series.lines.forEach((line, index) => {
    if (line.cloud === query.cloud && query.accounts.has(line.account) && (!query.lineFilter || query.lineFilter(line)))
      lineIndexes.push(index);
  });
  const tagDims = query.groupBy.filter((d): d is { tag: string } => typeof d === 'object');
  // The series keeps one split per tag key, not the joint split of two keys.
  if (tagDims.length > 1 || (tagDims[0] && query.tagFilter && query.tagFilter.key !== tagDims[0].tag)) {
    throw new RangeError('the sandbox splits cost by one tag key per query');
  }
  const tagKey = tagDims[0]?.tag ?? query.tagFilter?.key;
  const amounts = query.metric === 'amortized' ? series.amortized : series.unblended;
  for (let day = from; day < to; ) {
    const [start, end] = periodBounds(day, query.granularity, from, to);
    const t0 = Math.max(0, start - first);
    const t1 = Math.min(series.days, end - first);
    const buckets = new Map<string, { keys: string[]; currency: string; cents: number }>();
    const add = (line: CostLine, value: string, cents: number) => {
      if (cents === 0) return;
      const keys = query.groupBy.map((dim) =>
        dim === 'service' ? line.service : dim === 'region' ? line.region : dim === 'account' ? line.account : value,
      );
      const id = `${keys.join('\u0000')}\u0000${line.currency}`;
      const bucket = buckets.get(id);
      if (bucket) bucket.cents += cents;
      else buckets.set(id, { keys, currency: line.currency, cents });
    };
    for (const index of lineIndexes) {
      const line = series.lines[index];
      const offset = index * series.days;
      if (!tagKey) {
        let sum = 0;
        for (let t = t0; t < t1; t++) sum += amounts[offset + t];
        add(line, '', sum);
        continue;
      }
      // Tag filters and groupings split each day of the line, then sum the parts per value.
      const { values, cumulative } = tagSplit(series, index, tagKey);
      const sums = new Float64Array(values.length);
      for (let t = t0; t < t1; t++) {
        const cents = amounts[offset + t];
        if (cents === 0) continue;
        let previous = 0;
        for (let i = 0; i < values.length; i++) {
          const upTo = Math.round(cents * cumulative[i]);
          sums[i] += upTo - previous;
          previous = upTo;
        }
      }
      for (let i = 0; i < values.length; i++) {
        if (query.tagFilter && !query.tagFilter.accept(values[i])) continue;
        add(line, values[i], sums[i]);
      }
    }
    const groups = [...buckets.values()].sort(
      (a, b) => a.keys.join('\u0000').localeCompare(b.keys.join('\u0000')) || a.currency.localeCompare(b.currency),
    );
    periods.push({ start: isoOfDay(start), end: isoOfDay(end), groups });
    day = end;
  }
  return periods;
}

export function costManifest(series: TrueCostSeries): CostSeriesManifest {
  const currencies = new Map<string, { cloud: Cloud; account: string; currency: string }>();
  const first = dayNumber(series.start);
  const lines = series.lines.map((line, index) => {
    currencies.set(`${line.cloud}|${line.account}`, { cloud: line.cloud, account: line.account, currency: line.currency });
    const months = new Map<string, { month: string; unblended: number; amortized: number }>();
    for (let t = 0; t < series.days; t++) {
      const month = isoOfDay(first + t).slice(0, 7);
      let entry = months.get(month);
      if (!entry) {
        entry = { month, unblended: 0, amortized: 0 };
        months.set(month, entry);
      }
      entry.unblended += series.unblended[index * series.days + t];
      entry.amortized += series.amortized[index * series.days + t];
    }
    const monthly = [...months.values()].map((m) => ({ month: m.month, unblended: m.unblended / 100, amortized: m.amortized / 100 }));
    return { ...line, monthly };
  });
  return {
    start: series.start,
    end: series.end,
    days: series.days,
    inclusiveEnd: true,
    currencies: [...currencies.values()],
    lines,
    anomalies: series.anomalies,
    tagKeys: series.tagKeys,
  };
}
