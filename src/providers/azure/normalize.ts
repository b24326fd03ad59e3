// ARM objects (as @azure/arm-compute and @azure/arm-network deserialize them: `properties`
// flattened onto the resource) mapped into Guardian's Resource model. Pure functions.

import type { Disk, Snapshot, VirtualMachine } from '@azure/arm-compute';
import type { NetworkSecurityGroup, PublicIPAddress, SecurityRule } from '@azure/arm-network';
import type { IngressRule, Relation, Resource } from '../../model/resource.js';
import { idKey, type NicLink, nicOfIpConfiguration } from './network-links.js';

export function resourceGroupOf(id: string): string | undefined {
  return /\/resourceGroups\/([^/]+)/i.exec(id)?.[1];
}

function iso(value: Date | string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

function base(
  kind: Resource['kind'],
  item: { id?: string; name?: string; location?: string; tags?: Record<string, string> },
  account: string,
  raw: unknown,
): Resource {
  return {
    cloud: 'azure',
    kind,
    id: item.id ?? '',
    name: item.name ?? '',
    account,
    region: item.location ?? 'global',
    tags: { ...(item.tags ?? {}) },
    attributes: { resourceGroup: resourceGroupOf(item.id ?? '') },
    relations: [],
    ...(raw === undefined ? {} : { raw }),
  };
}

/** `PowerState/running` → 'running' (only present with statusOnly=true or the instance view). */
export function powerStateOf(vm: VirtualMachine): string | undefined {
  const status = vm.instanceView?.statuses?.find((s) => s.code?.startsWith('PowerState/'));
  return status?.code?.slice('PowerState/'.length);
}

export interface VmNetwork {
  nics: Map<string, NicLink>;
  publicIps: Map<string, string | undefined>;
}

export function normalizeVm(vm: VirtualMachine, account: string, network: VmNetwork, raw: boolean): Resource {
  const resource = base('azure.compute.vm', vm, account, raw ? vm : undefined);
  const refs = vm.networkProfile?.networkInterfaces ?? [];
  const primaryNic = (refs.find((ref) => ref.primary) ?? refs[0])?.id;
  const nic = primaryNic ? network.nics.get(idKey(primaryNic)) : undefined;
  const publicIpId = nic?.publicIpIds[0];
  const osDisk = vm.storageProfile?.osDisk;
  resource.state = powerStateOf(vm);
  // Azure records no stop time; the provisioning status's time is that of the last operation, the deallocation.
  const provisioned = vm.instanceView?.statuses?.find((status) => status.code?.startsWith('ProvisioningState/'))?.time;
  if (resource.state && resource.state !== 'running' && provisioned) resource.attributes.stoppedAt = new Date(provisioned).toISOString();
  resource.createdAt = iso(vm.timeCreated);
  Object.assign(resource.attributes, {
    instanceType: vm.hardwareProfile?.vmSize,
    osType: osDisk?.osType,
    // A VM on unmanaged disks has a VHD blob URI instead of a managed disk reference.
    managedDisks: osDisk ? osDisk.managedDisk !== undefined && osDisk.vhd === undefined : undefined,
    privateIp: nic?.privateIp,
    publicIp: publicIpId ? network.publicIps.get(idKey(publicIpId)) : undefined,
    publicIpId,
    networkInterfaceIds: refs.flatMap((ref) => (ref.id ? [ref.id] : [])),
    osDiskId: osDisk?.managedDisk?.id,
    dataDiskIds: (vm.storageProfile?.dataDisks ?? []).flatMap((d) => (d.managedDisk?.id ? [d.managedDisk.id] : [])),
  });
  const nsgs = new Set<string>();
  for (const ref of refs) {
    const link = ref.id ? network.nics.get(idKey(ref.id)) : undefined;
    if (link?.nsgId) nsgs.add(link.nsgId);
  }
  resource.relations = [...nsgs].map((target): Relation => ({ type: 'protected-by', target }));
  return resource;
}

const isCustomerKey = (type: string | undefined) => (type === undefined ? undefined : type.includes('CustomerKey'));

/** Disk export over SAS is open to any network unless access is private or denied, or public access is off. */
function openToPublic(policy: string | undefined, publicNetworkAccess: string | undefined): boolean | undefined {
  if (policy === undefined) return undefined;
  return policy === 'AllowAll' && publicNetworkAccess !== 'Disabled';
}

/** What disks and snapshots share: the key that encrypts them and who may export them over SAS. */
function storagePosture(item: Pick<Disk, 'encryption' | 'networkAccessPolicy' | 'publicNetworkAccess'>) {
  return {
    // Azure encrypts every managed disk at rest; the question is whose key.
    encrypted: item.encryption ? true : undefined,
    cmek: isCustomerKey(item.encryption?.type),
    encryptionType: item.encryption?.type,
    networkAccessPolicy: item.networkAccessPolicy,
    publicNetworkAccess: item.publicNetworkAccess,
    public: openToPublic(item.networkAccessPolicy, item.publicNetworkAccess),
  };
}

export function normalizeDisk(disk: Disk, account: string, raw: boolean): Resource {
  const resource = base('azure.compute.disk', disk, account, raw ? disk : undefined);
  resource.state = disk.diskState;
  resource.createdAt = iso(disk.timeCreated);
  Object.assign(resource.attributes, {
    sizeGb: disk.diskSizeGB,
    volumeType: disk.sku?.name,
    ...storagePosture(disk),
    osType: disk.osType,
  });
  if (disk.managedBy) resource.relations.push({ type: 'attached-to', target: disk.managedBy });
  return resource;
}

export function normalizeSnapshot(snapshot: Snapshot, account: string, raw: boolean): Resource {
  const resource = base('azure.compute.snapshot', snapshot, account, raw ? snapshot : undefined);
  resource.state = snapshot.provisioningState;
  resource.createdAt = iso(snapshot.timeCreated);
  Object.assign(resource.attributes, {
    sizeGb: snapshot.diskSizeGB,
    volumeType: snapshot.sku?.name,
    ...storagePosture(snapshot),
    incremental: snapshot.incremental,
  });
  const source = snapshot.creationData?.sourceResourceId;
  if (source) resource.relations.push({ type: 'snapshot-of', target: source });
  return resource;
}

const PROTOCOLS: Record<string, string> = { tcp: 'tcp', udp: 'udp', icmp: 'icmp', '*': 'all' };

function portRange(range: string): { fromPort?: number; toPort?: number } {
  const trimmed = range.trim();
  if (trimmed === '*' || trimmed === '') return {};
  const [from, to] = trimmed.split('-').map((part) => Number.parseInt(part, 10));
  return { fromPort: from, toPort: to ?? from };
}

/** One IngressRule per source × port range of every inbound rule (custom and default), by priority. */
export function flattenIngress(rules: SecurityRule[]): IngressRule[] {
  const inbound = rules.filter((rule) => rule.direction === 'Inbound').sort((a, b) => (a.priority ?? 0) - (b.priority ?? 0));
  const out: IngressRule[] = [];
  for (const rule of inbound) {
    const sources = rule.sourceAddressPrefixes?.length ? rule.sourceAddressPrefixes : [rule.sourceAddressPrefix ?? '*'];
    const ports = rule.destinationPortRanges?.length ? rule.destinationPortRanges : [rule.destinationPortRange ?? '*'];
    const protocol = PROTOCOLS[(rule.protocol ?? '*').toLowerCase()] ?? (rule.protocol ?? '*').toLowerCase();
    for (const source of sources) {
      for (const ports_ of ports) {
        out.push({ protocol, ...portRange(ports_), source, action: rule.access === 'Deny' ? 'deny' : 'allow', priority: rule.priority });
      }
    }
  }
  return out;
}

export function normalizeNsg(nsg: NetworkSecurityGroup, account: string, raw: boolean): Resource {
  const resource = base('azure.network.nsg', nsg, account, raw ? nsg : undefined);
  resource.state = nsg.provisioningState;
  Object.assign(resource.attributes, {
    ingress: flattenIngress([...(nsg.securityRules ?? []), ...(nsg.defaultSecurityRules ?? [])]),
    customRuleCount: nsg.securityRules?.length ?? 0,
    networkInterfaceIds: (nsg.networkInterfaces ?? []).flatMap((nic) => (nic.id ? [nic.id] : [])),
    subnetIds: (nsg.subnets ?? []).flatMap((subnet) => (subnet.id ? [subnet.id] : [])),
  });
  return resource;
}

export function normalizePublicIp(ip: PublicIPAddress, account: string, nics: Map<string, NicLink>, raw: boolean): Resource {
  const resource = base('azure.network.public-ip', ip, account, raw ? ip : undefined);
  const configuration = ip.ipConfiguration?.id;
  resource.state = configuration ? 'associated' : 'unassociated';
  Object.assign(resource.attributes, {
    publicIp: ip.ipAddress,
    addressType: ip.publicIPAllocationMethod,
    sku: ip.sku?.name,
    ipVersion: ip.publicIPAddressVersion,
    ipConfigurationId: configuration,
  });
  const vmId = configuration ? nics.get(idKey(nicOfIpConfiguration(configuration)))?.vmId : undefined;
  if (vmId) resource.relations.push({ type: 'associated-with', target: vmId });
  return resource;
}
