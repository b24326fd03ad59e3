// Prices a discovered estate at public on-demand list prices: the monthly run-rate of what is
// provisioned now. Resources that cannot be priced are listed with the reason, never dropped.

import type { Cloud, Resource, ResourceKind } from '../model/resource.js';
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
  HOURS_PER_MONTH,
  loadBalancerHour,
  type Price,
  priceSources,
  publicIpv4Hour,
  rdsInstanceHour,
  rdsStorageMonth,
} from './catalog.js';

export interface ResourceRef {
  cloud: Cloud;
  kind: ResourceKind;
  id: string;
  name: string;
  account: string;
  region: string;
}

export interface PricedResource extends ResourceRef {
  /** USD per month at list price (730 hours). */
  monthly: number;
  /** What was priced, e.g. "m5.large running" or "gp3 100 GiB". */
  basis: string;
  approximate: boolean;
}

export interface UnpricedResource extends ResourceRef {
  reason: string;
}

export interface EstateEstimate {
  currency: 'USD';
  monthly: number;
  priced: PricedResource[];
  /** Resources with no charge of their own (security groups, VPCs, firewall rules…). */
  free: number;
  unpriced: UnpricedResource[];
  byCloud: Record<string, number>;
  byKind: Record<string, number>;
  sources: ReturnType<typeof priceSources>;
}

/** Kinds that carry no charge of their own; their cost shows up on other resources. */
const FREE_KINDS = new Set<ResourceKind>([
  'aws.ec2.security-group',
  'aws.ec2.vpc',
  'aws.ec2.image', // an AMI's cost is its backing snapshots
  'azure.network.nsg',
  'gcp.compute.firewall',
]);

type Pricing = { price?: Price; basis: string; reason?: string } | 'free';

const num = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);
const str = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);
const lastSegment = (value: string): string => value.slice(value.lastIndexOf('/') + 1);
const hourly = (price: Price | undefined): Price | undefined => (price ? { ...price, amount: price.amount * HOURS_PER_MONTH } : undefined);
const sum = (a: Price | undefined, b: Price | undefined): Price | undefined =>
  a && b ? { amount: a.amount + b.amount, approximate: a.approximate || b.approximate, table: a.table } : (a ?? b);

function stoppedLike(state: string | undefined): boolean {
  return state !== undefined && /^(stopped|stopping|terminated|deallocated|deallocating)$/i.test(state);
}

function priceOne(resource: Resource): Pricing {
  if (FREE_KINDS.has(resource.kind)) return 'free';
  const a = resource.attributes;
  const region = resource.region;
  switch (resource.kind) {
    case 'aws.ec2.instance': {
      const type = str(a.instanceType);
      if (!type) return { basis: 'instance', reason: 'no instance type' };
      if (stoppedLike(resource.state)) return { price: { amount: 0, approximate: false, table: 'aws-ec2.json' }, basis: `${type} stopped` };
      const price = hourly(ec2InstanceHour(type, region));
      return { price, basis: `${type} running`, reason: price ? undefined : `no list price for ${type} in ${region}` };
    }
    case 'aws.ec2.volume': {
      const type = str(a.volumeType);
      const size = num(a.sizeGb);
      if (!type || size === undefined) return { basis: 'volume', reason: 'no volume type or size' };
      const price = ebsVolumeMonth(type, size, num(a.iops), region);
      return { price, basis: `${type} ${size} GiB`, reason: price ? undefined : `no list price for EBS ${type} in ${region}` };
    }
    case 'aws.ec2.snapshot': {
      const size = num(a.sizeGb);
      if (size === undefined) return { basis: 'snapshot', reason: 'no size' };
      const price = ebsSnapshotMonth(size, region);
      return { price, basis: `snapshot ${size} GiB`, reason: price ? undefined : `no snapshot price in ${region}` };
    }
    case 'aws.ec2.address': {
      const price = hourly(publicIpv4Hour(region));
      const idle = !a.instanceId && !resource.relations.some((r) => r.type === 'associated-with');
      return { price, basis: idle ? 'public IPv4 (idle)' : 'public IPv4', reason: price ? undefined : `no public IPv4 price in ${region}` };
    }
    case 'aws.rds.instance': {
      const cls = str(a.instanceType);
      const engine = str(a.engine) ?? '';
      const multiAz = a.multiAz === true;
      if (!cls) return { basis: 'db instance', reason: 'no instance class' };
      const storage = num(a.storageGb)
        ? rdsStorageMonth(str(a.storageType) ?? str(a.volumeType) ?? 'gp2', num(a.storageGb) ?? 0, multiAz, region)
        : undefined;
      if (stoppedLike(resource.state))
        return { price: storage ?? { amount: 0, approximate: false, table: 'aws-rds.json' }, basis: `${cls} stopped (storage)` };
      const compute = hourly(rdsInstanceHour(cls, engine, multiAz, region));
      if (!compute) return { basis: cls, reason: `no list price for ${cls} ${engine || 'unknown engine'} in ${region}` };
      return { price: sum(compute, storage), basis: `${cls} ${engine}${multiAz ? ' Multi-AZ' : ''}` };
    }
    case 'aws.elbv2.load-balancer': {
      const type = str(a.lbType) ?? 'application';
      const price = hourly(loadBalancerHour(type, region));
      return {
        price,
        basis: `${type} load balancer (hours only)`,
        reason: price ? undefined : `no list price for ${type} load balancers in ${region}`,
      };
    }
    case 'aws.s3.bucket':
      return { basis: 'bucket', reason: 'usage-based (storage and requests are not in an inventory)' };
    case 'azure.compute.vm': {
      const size = str(a.instanceType);
      if (!size) return { basis: 'vm', reason: 'no VM size' };
      if (stoppedLike(resource.state))
        return { price: { amount: 0, approximate: false, table: 'azure-compute.json' }, basis: `${size} deallocated` };
      const price = hourly(azureVmHour(size, str(a.osType), region));
      return { price, basis: `${size} ${str(a.osType) ?? 'Linux'}`, reason: price ? undefined : `no list price for ${size} in ${region}` };
    }
    case 'azure.compute.disk': {
      const sku = str(a.volumeType);
      const size = num(a.sizeGb);
      if (!sku || size === undefined) return { basis: 'disk', reason: 'no SKU or size' };
      const price = azureDiskMonth(sku, size, region);
      return { price, basis: `${sku} ${size} GiB`, reason: price ? undefined : `no list price for ${sku} in ${region}` };
    }
    case 'azure.compute.snapshot': {
      const size = num(a.sizeGb);
      if (size === undefined) return { basis: 'snapshot', reason: 'no size' };
      const price = azureSnapshotMonth(size, region);
      return { price, basis: `snapshot ${size} GiB`, reason: price ? undefined : `no snapshot price in ${region}` };
    }
    case 'azure.network.public-ip': {
      const sku = str(a.sku) ?? 'Standard';
      const price = hourly(azurePublicIpHour(sku, region));
      return { price, basis: `${sku} public IP`, reason: price ? undefined : `no list price for ${sku} public IPs in ${region}` };
    }
    case 'gcp.compute.instance': {
      const type = str(a.instanceType) ? lastSegment(str(a.instanceType) as string) : undefined;
      if (!type) return { basis: 'instance', reason: 'no machine type' };
      if (stoppedLike(resource.state))
        return { price: { amount: 0, approximate: false, table: 'gcp-compute.json' }, basis: `${type} terminated` };
      const price = hourly(gcpMachineHour(type, region));
      return { price, basis: type, reason: price ? undefined : `no list price for ${type} in ${region}` };
    }
    case 'gcp.compute.disk': {
      const type = str(a.volumeType) ? lastSegment(str(a.volumeType) as string) : undefined;
      const size = num(a.sizeGb);
      if (!type || size === undefined) return { basis: 'disk', reason: 'no disk type or size' };
      const price = gcpDiskMonth(type, size, region);
      return { price, basis: `${type} ${size} GiB`, reason: price ? undefined : `no list price for ${type} in ${region}` };
    }
    case 'gcp.compute.snapshot': {
      const bytes = num(a.storageBytes);
      const size = bytes !== undefined ? bytes / 1024 ** 3 : num(a.sizeGb);
      if (size === undefined) return { basis: 'snapshot', reason: 'no size' };
      const price = gcpSnapshotMonth(size, region);
      return { price, basis: `snapshot ${size.toFixed(1)} GiB stored`, reason: price ? undefined : `no snapshot price in ${region}` };
    }
    case 'gcp.compute.address': {
      if (str(a.addressType) === 'INTERNAL') return 'free';
      const inUse = (str(resource.state) ?? '').toUpperCase() === 'IN_USE';
      const price = hourly(gcpAddressHour(inUse, region));
      return {
        price,
        basis: inUse ? 'external IP in use' : 'external IP reserved (idle)',
        reason: price ? undefined : `no address price in ${region}`,
      };
    }
    default:
      return { basis: resource.kind, reason: `no price table for ${resource.kind}` };
  }
}

function ref(resource: Resource): ResourceRef {
  return {
    cloud: resource.cloud,
    kind: resource.kind,
    id: resource.id,
    name: resource.name,
    account: resource.account,
    region: resource.region,
  };
}

export function estimateEstate(resources: Iterable<Resource>): EstateEstimate {
  const priced: PricedResource[] = [];
  const unpriced: UnpricedResource[] = [];
  const byCloud: Record<string, number> = {};
  const byKind: Record<string, number> = {};
  let free = 0;
  let monthly = 0;
  for (const resource of resources) {
    const result = priceOne(resource);
    if (result === 'free') {
      free += 1;
      continue;
    }
    if (!result.price) {
      unpriced.push({ ...ref(resource), reason: result.reason ?? 'no price' });
      continue;
    }
    const amount = result.price.amount;
    priced.push({ ...ref(resource), monthly: amount, basis: result.basis, approximate: result.price.approximate });
    monthly += amount;
    byCloud[resource.cloud] = (byCloud[resource.cloud] ?? 0) + amount;
    byKind[resource.kind] = (byKind[resource.kind] ?? 0) + amount;
  }
  return { currency: 'USD', monthly, priced, free, unpriced, byCloud, byKind, sources: priceSources() };
}
