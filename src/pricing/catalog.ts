// The bundled public list prices (data/*.json, each naming its source page and date) and the
// lookups over them. Prices outside a table's base region are the base price times the region's
// factor, and every answer says whether it came from such a factor.

import { readFileSync } from 'node:fs';

export const HOURS_PER_MONTH = 730;

interface TableMeta {
  title: string;
  source: string;
  asOf: string;
  note: string;
  currency: string;
  baseRegion: string;
  regionFactors: Record<string, number>;
}

interface Ec2Table extends TableMeta {
  prices: Record<string, number>;
}
interface RdsTable extends TableMeta {
  engineFamilies: Record<string, string>;
  prices: Record<string, Record<string, number>>;
  storagePerGbMonth: Record<string, number>;
}
interface EbsTable extends TableMeta {
  volumePerGbMonth: Record<string, number>;
  provisionedIopsMonth: Record<string, number>;
  gp3FreeIops: number;
  snapshotPerGbMonth: number;
  publicIpv4PerHour: number;
  loadBalancerPerHour: Record<string, number>;
}
interface AzureTable extends TableMeta {
  windowsPerVcpuHour: number;
  vmSizes: Record<string, { vcpus: number; price: number }>;
  diskTiers: Record<string, [number, number][]>;
  ultraDiskPerGbMonth: number;
  snapshotPerGbMonth: number;
  publicIpPerHour: Record<string, number>;
}
interface GcpTable extends TableMeta {
  machineTypes: Record<string, number>;
  diskPerGbMonth: Record<string, number>;
  snapshotPerGbMonth: number;
  addressPerHour: { inUse: number; reserved: number };
}

export interface PriceCatalog {
  ec2: Ec2Table;
  rds: RdsTable;
  ebs: EbsTable;
  azure: AzureTable;
  gcp: GcpTable;
}

/** A price in the table's currency (USD), with how it was derived. */
export interface Price {
  amount: number;
  /** True when the region's price is the base region's times a factor, not a listed price. */
  approximate: boolean;
  /** The data file it came from. */
  table: string;
}

let cached: PriceCatalog | undefined;

function read<T>(file: string): T {
  return JSON.parse(readFileSync(new URL(`./data/${file}`, import.meta.url), 'utf8')) as T;
}

export function priceCatalog(): PriceCatalog {
  cached ??= {
    ec2: read<Ec2Table>('aws-ec2.json'),
    rds: read<RdsTable>('aws-rds.json'),
    ebs: read<EbsTable>('aws-ebs.json'),
    azure: read<AzureTable>('azure-compute.json'),
    gcp: read<GcpTable>('gcp-compute.json'),
  };
  return cached;
}

/** The sources of every table, for reports ("priced from …"). */
export function priceSources(): { table: string; title: string; source: string; asOf: string }[] {
  const catalog = priceCatalog();
  const files: [string, TableMeta][] = [
    ['aws-ec2.json', catalog.ec2],
    ['aws-rds.json', catalog.rds],
    ['aws-ebs.json', catalog.ebs],
    ['azure-compute.json', catalog.azure],
    ['gcp-compute.json', catalog.gcp],
  ];
  return files.map(([table, meta]) => ({ table, title: meta.title, source: meta.source, asOf: meta.asOf }));
}

/** GCP zones (us-central1-a) are priced as their region. */
export function gcpRegionOfZone(location: string): string {
  return /^[a-z]+-[a-z]+\d+-[a-z]$/.test(location) ? location.slice(0, location.lastIndexOf('-')) : location;
}

function regional(table: TableMeta, file: string, base: number, region: string): Price | undefined {
  if (region === table.baseRegion) return { amount: base, approximate: false, table: file };
  const factor = table.regionFactors[region];
  if (factor === undefined) return undefined;
  return { amount: base * factor, approximate: factor !== 1, table: file };
}

export function ec2InstanceHour(instanceType: string, region: string): Price | undefined {
  const { ec2 } = priceCatalog();
  const base = ec2.prices[instanceType];
  return base === undefined ? undefined : regional(ec2, 'aws-ec2.json', base, region);
}

export function rdsInstanceHour(instanceClass: string, engine: string, multiAz: boolean, region: string): Price | undefined {
  const { rds } = priceCatalog();
  const family = rds.engineFamilies[engine.toLowerCase()];
  const base = family ? rds.prices[family]?.[instanceClass] : undefined;
  return base === undefined ? undefined : regional(rds, 'aws-rds.json', base * (multiAz ? 2 : 1), region);
}

export function rdsStorageMonth(storageType: string, sizeGb: number, multiAz: boolean, region: string): Price | undefined {
  const { rds } = priceCatalog();
  const perGb = rds.storagePerGbMonth[storageType];
  return perGb === undefined ? undefined : regional(rds, 'aws-rds.json', perGb * sizeGb * (multiAz ? 2 : 1), region);
}

export function ebsVolumeMonth(volumeType: string, sizeGb: number, iops: number | undefined, region: string): Price | undefined {
  const { ebs } = priceCatalog();
  const perGb = ebs.volumePerGbMonth[volumeType];
  if (perGb === undefined) return undefined;
  const iopsRate = ebs.provisionedIopsMonth[volumeType] ?? 0;
  const billedIops = volumeType === 'gp3' ? Math.max(0, (iops ?? 0) - ebs.gp3FreeIops) : (iops ?? 0);
  return regional(ebs, 'aws-ebs.json', perGb * sizeGb + iopsRate * billedIops, region);
}

export function ebsSnapshotMonth(sizeGb: number, region: string): Price | undefined {
  const { ebs } = priceCatalog();
  return regional(ebs, 'aws-ebs.json', ebs.snapshotPerGbMonth * sizeGb, region);
}

export function publicIpv4Hour(region: string): Price | undefined {
  const { ebs } = priceCatalog();
  return regional(ebs, 'aws-ebs.json', ebs.publicIpv4PerHour, region);
}

export function loadBalancerHour(type: string, region: string): Price | undefined {
  const { ebs } = priceCatalog();
  const base = ebs.loadBalancerPerHour[type];
  return base === undefined ? undefined : regional(ebs, 'aws-ebs.json', base, region);
}

export function azureVmHour(vmSize: string, osType: string | undefined, location: string): Price | undefined {
  const { azure } = priceCatalog();
  const size = azure.vmSizes[vmSize];
  if (!size) return undefined;
  const licence = osType?.toLowerCase() === 'windows' ? azure.windowsPerVcpuHour * size.vcpus : 0;
  const price = regional(azure, 'azure-compute.json', size.price + licence, location);
  return price && licence > 0 ? { ...price, approximate: true } : price;
}

/** Managed disks bill the smallest tier that holds the disk (a 100 GiB Premium disk is a P10). */
export function azureDiskMonth(sku: string, sizeGb: number, location: string): Price | undefined {
  const { azure } = priceCatalog();
  if (sku === 'UltraSSD_LRS') return regional(azure, 'azure-compute.json', azure.ultraDiskPerGbMonth * sizeGb, location);
  const tier = azure.diskTiers[sku]?.find(([capacity]) => capacity >= sizeGb);
  return tier ? regional(azure, 'azure-compute.json', tier[1], location) : undefined;
}

export function azureSnapshotMonth(sizeGb: number, location: string): Price | undefined {
  const { azure } = priceCatalog();
  return regional(azure, 'azure-compute.json', azure.snapshotPerGbMonth * sizeGb, location);
}

export function azurePublicIpHour(sku: string, location: string): Price | undefined {
  const { azure } = priceCatalog();
  const base = azure.publicIpPerHour[sku];
  return base === undefined ? undefined : regional(azure, 'azure-compute.json', base, location);
}

export function gcpMachineHour(machineType: string, location: string): Price | undefined {
  const { gcp } = priceCatalog();
  const base = gcp.machineTypes[machineType];
  return base === undefined ? undefined : regional(gcp, 'gcp-compute.json', base, gcpRegionOfZone(location));
}

export function gcpDiskMonth(type: string, sizeGb: number, location: string): Price | undefined {
  const { gcp } = priceCatalog();
  const perGb = gcp.diskPerGbMonth[type];
  return perGb === undefined ? undefined : regional(gcp, 'gcp-compute.json', perGb * sizeGb, gcpRegionOfZone(location));
}

export function gcpSnapshotMonth(storageGb: number, location: string): Price | undefined {
  const { gcp } = priceCatalog();
  // Snapshots are stored multi-regionally by default; price them at the base rate when the location is not a region.
  const region = gcp.regionFactors[gcpRegionOfZone(location)] === undefined ? gcp.baseRegion : gcpRegionOfZone(location);
  return regional(gcp, 'gcp-compute.json', gcp.snapshotPerGbMonth * storageGb, region);
}

export function gcpAddressHour(inUse: boolean, location: string): Price | undefined {
  const { gcp } = priceCatalog();
  const region = gcp.regionFactors[gcpRegionOfZone(location)] === undefined ? gcp.baseRegion : gcpRegionOfZone(location);
  return regional(gcp, 'gcp-compute.json', inUse ? gcp.addressPerHour.inUse : gcp.addressPerHour.reserved, region);
}
