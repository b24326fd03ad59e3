// Renders the estate's neutral GCP records as Compute Engine v1 JSON resources, field for field
// as the API returns them (selfLinks on www.googleapis.com, int64 fields as strings, creation
// timestamps in Pacific time, metadata items as key/value pairs).

import type { EstateResource, GcpAddress, GcpDisk, GcpFirewall, GcpInstance, GcpSnapshot } from '../estate/types.js';
import type { EstateIndex } from '../server/types.js';

export const COMPUTE_BASE = 'https://www.googleapis.com/compute/v1';

export function projectLink(project: string): string {
  return `${COMPUTE_BASE}/projects/${project}`;
}

export function regionOfZone(zone: string): string {
  return zone.replace(/-[a-z]$/, '');
}

/** Compute reports creationTimestamp in Google's local time (RFC 3339 with an offset). */
export function creationTimestamp(iso: string): string {
  const shifted = new Date(Date.parse(iso) - 8 * 3_600_000).toISOString();
  return `${shifted.slice(0, -1)}-08:00`;
}

function networkLink(project: string, network: string): string {
  if (network.startsWith('https://')) return network;
  if (network.startsWith('projects/')) return `${COMPUTE_BASE}/${network}`;
  return `${projectLink(project)}/global/networks/${network}`;
}

function networkName(network: string): string {
  return network.slice(network.lastIndexOf('/') + 1);
}

/** A short, stable fingerprint like the API's base64 ones (not a hash anyone should rely on). */
function fingerprint(seed: string): string {
  let hash = 2166136261;
  for (let i = 0; i < seed.length; i++) hash = Math.imul(hash ^ seed.charCodeAt(i), 16777619);
  return Buffer.from(new Uint32Array([hash, hash ^ 0x5bd1e995]).buffer).toString('base64');
}

function labels(resource: EstateResource): { labels?: Record<string, string>; labelFingerprint: string } {
  const entries = Object.keys(resource.tags).length > 0 ? { labels: resource.tags } : {};
  return { ...entries, labelFingerprint: fingerprint(`labels:${resource.id}`) };
}

export function instanceLink(instance: Pick<GcpInstance, 'account' | 'region' | 'name'>): string {
  return `${projectLink(instance.account)}/zones/${instance.region}/instances/${instance.name}`;
}

export function diskLink(disk: Pick<GcpDisk, 'account' | 'region' | 'name'>): string {
  return `${projectLink(disk.account)}/zones/${disk.region}/disks/${disk.name}`;
}

/** Estate references are resource ids; the API refers to resources by selfLink. */
export function linkTo(index: EstateIndex, id: string): string | undefined {
  const target = index.byId.get(id);
  if (!target) return id.startsWith('https://') ? id : undefined;
  if (target.kind === 'gcp.compute.instance') return instanceLink(target);
  if (target.kind === 'gcp.compute.disk') return diskLink(target);
  return undefined;
}

export function renderInstance(instance: GcpInstance, index: EstateIndex): Record<string, unknown> {
  const { spec } = instance;
  const zone = instance.region;
  const region = regionOfZone(zone);
  const network = networkLink(instance.account, spec.network);
  const disks = spec.diskIds.map((diskId, position) => {
    const disk = index.byId.get(diskId) as GcpDisk | undefined;
    const name = disk?.name ?? `${instance.name}-disk-${position}`;
    return {
      kind: 'compute#attachedDisk',
      type: 'PERSISTENT',
      mode: 'READ_WRITE',
      source: disk ? diskLink(disk) : `${projectLink(instance.account)}/zones/${zone}/disks/${name}`,
      deviceName: position === 0 ? 'persistent-disk-0' : name,
      index: position,
      boot: position === 0,
      autoDelete: position === 0,
      interface: 'SCSI',
      ...(disk ? { diskSizeGb: String(disk.spec.sizeGb) } : {}),
      ...(disk?.spec.kmsKeyName ? { diskEncryptionKey: { kmsKeyName: `${disk.spec.kmsKeyName}/cryptoKeyVersions/1` } } : {}),
    };
  });
  const metadataItems: { key: string; value: string }[] = [];
  if (spec.serialPortEnabled) metadataItems.push({ key: 'serial-port-enable', value: 'true' });
  if (spec.blockProjectSshKeys) metadataItems.push({ key: 'block-project-ssh-keys', value: 'true' });
  return {
    kind: 'compute#instance',
    id: instance.id,
    creationTimestamp: creationTimestamp(instance.createdAt),
    name: instance.name,
    tags: { ...(spec.networkTags.length > 0 ? { items: spec.networkTags } : {}), fingerprint: fingerprint(`tags:${instance.id}`) },
    machineType: `${projectLink(instance.account)}/zones/${zone}/machineTypes/${spec.machineType}`,
    status: spec.status,
    ...(spec.stoppedAt ? { lastStopTimestamp: creationTimestamp(spec.stoppedAt) } : {}),
    zone: `${projectLink(instance.account)}/zones/${zone}`,
    canIpForward: false,
    networkInterfaces: [
      {
        kind: 'compute#networkInterface',
        network,
        subnetwork: `${projectLink(instance.account)}/regions/${region}/subnetworks/${networkName(spec.network)}`,
        networkIP: spec.internalIp,
        name: 'nic0',
        ...(spec.natIp
          ? {
              accessConfigs: [
                { kind: 'compute#accessConfig', type: 'ONE_TO_ONE_NAT', name: 'External NAT', natIP: spec.natIp, networkTier: 'PREMIUM' },
              ],
            }
          : {}),
        fingerprint: fingerprint(`nic:${instance.id}`),
        stackType: 'IPV4_ONLY',
      },
    ],
    disks,
    metadata: {
      kind: 'compute#metadata',
      fingerprint: fingerprint(`metadata:${instance.id}`),
      ...(metadataItems.length > 0 ? { items: metadataItems } : {}),
    },
    serviceAccounts: spec.serviceAccountEmail ? [{ email: spec.serviceAccountEmail, scopes: spec.scopes }] : [],
    selfLink: instanceLink(instance),
    scheduling: { onHostMaintenance: 'MIGRATE', automaticRestart: true, preemptible: false, provisioningModel: 'STANDARD' },
    cpuPlatform: spec.status === 'RUNNING' ? 'Intel Broadwell' : 'Unknown CPU Platform',
    ...labels(instance),
    startRestricted: false,
    deletionProtection: false,
    fingerprint: fingerprint(`instance:${instance.id}`),
    lastStartTimestamp: creationTimestamp(instance.createdAt),
  };
}

export function renderDisk(disk: GcpDisk, index: EstateIndex): Record<string, unknown> {
  const users = disk.spec.users.map((id) => linkTo(index, id)).filter((link): link is string => link !== undefined);
  return {
    kind: 'compute#disk',
    id: disk.id,
    creationTimestamp: creationTimestamp(disk.createdAt),
    name: disk.name,
    sizeGb: String(disk.spec.sizeGb),
    zone: `${projectLink(disk.account)}/zones/${disk.region}`,
    status: disk.spec.status,
    selfLink: diskLink(disk),
    type: `${projectLink(disk.account)}/zones/${disk.region}/diskTypes/${disk.spec.type}`,
    ...labels(disk),
    ...(users.length > 0 ? { users, lastAttachTimestamp: creationTimestamp(disk.createdAt) } : {}),
    ...(disk.spec.kmsKeyName ? { diskEncryptionKey: { kmsKeyName: `${disk.spec.kmsKeyName}/cryptoKeyVersions/1` } } : {}),
    ...(disk.spec.sourceSnapshotId ? { sourceSnapshotId: disk.spec.sourceSnapshotId } : {}),
    physicalBlockSize: '4096',
    architecture: 'X86_64',
  };
}

export function renderSnapshot(snapshot: GcpSnapshot, index: EstateIndex): Record<string, unknown> {
  const source = index.byId.get(snapshot.spec.sourceDiskId) as GcpDisk | undefined;
  return {
    kind: 'compute#snapshot',
    id: snapshot.id,
    creationTimestamp: creationTimestamp(snapshot.createdAt),
    name: snapshot.name,
    status: snapshot.spec.status,
    ...(source ? { sourceDisk: diskLink(source) } : {}),
    sourceDiskId: snapshot.spec.sourceDiskId,
    diskSizeGb: String(snapshot.spec.diskSizeGb),
    storageBytes: String(snapshot.spec.storageBytes),
    storageBytesStatus: 'UP_TO_DATE',
    selfLink: `${projectLink(snapshot.account)}/global/snapshots/${snapshot.name}`,
    ...labels(snapshot),
    ...(snapshot.spec.kmsKeyName ? { snapshotEncryptionKey: { kmsKeyName: `${snapshot.spec.kmsKeyName}/cryptoKeyVersions/1` } } : {}),
    storageLocations: [source ? regionOfZone(source.region).split('-')[0] : 'us'],
    snapshotType: 'STANDARD',
    architecture: 'X86_64',
  };
}

export function renderFirewall(firewall: GcpFirewall): Record<string, unknown> {
  const { spec } = firewall;
  return {
    kind: 'compute#firewall',
    id: firewall.id,
    creationTimestamp: creationTimestamp(firewall.createdAt),
    name: firewall.name,
    description: '',
    network: networkLink(firewall.account, spec.network),
    priority: spec.priority,
    ...(spec.sourceRanges.length > 0 ? { sourceRanges: spec.sourceRanges } : {}),
    allowed: spec.allowed,
    direction: spec.direction,
    ...(spec.targetTags.length > 0 ? { targetTags: spec.targetTags } : {}),
    logConfig: { enable: false },
    disabled: spec.disabled,
    selfLink: `${projectLink(firewall.account)}/global/firewalls/${firewall.name}`,
  };
}

export function renderAddress(address: GcpAddress, index: EstateIndex): Record<string, unknown> {
  const users = address.spec.users.map((id) => linkTo(index, id)).filter((link): link is string => link !== undefined);
  const global = address.region === 'global';
  return {
    kind: 'compute#address',
    id: address.id,
    creationTimestamp: creationTimestamp(address.createdAt),
    name: address.name,
    description: '',
    address: address.spec.address,
    status: address.spec.status,
    ...(global ? {} : { region: `${projectLink(address.account)}/regions/${address.region}` }),
    selfLink: global
      ? `${projectLink(address.account)}/global/addresses/${address.name}`
      : `${projectLink(address.account)}/regions/${address.region}/addresses/${address.name}`,
    ...(users.length > 0 ? { users } : {}),
    networkTier: 'PREMIUM',
    ...labels(address),
    addressType: address.spec.addressType,
    ...(global ? { ipVersion: 'IPV4' } : {}),
  };
}
