// Compute Engine objects (as @google-cloud/compute decodes them) → Guardian's Resource model.
// GCP refers to other resources by selfLink, not id, so relation targets written here are
// selfLinks (snapshots carry the numeric sourceDiskId); resolveGcpRelations (relations.ts)
// turns them into ids once every kind has been listed.

import type { IngressRule, Relation, Resource, ResourceKind } from '../../model/resource.js';

/** The fields normalization reads; the SDK's protos.google.cloud.compute.v1.I* types are wider. */
type Json = Record<string, unknown>;

function lastSegment(link: unknown): string | undefined {
  return typeof link === 'string' && link.length > 0 ? link.slice(link.lastIndexOf('/') + 1) : undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

function iso(timestamp: unknown): string | undefined {
  const parsed = typeof timestamp === 'string' ? Date.parse(timestamp) : Number.NaN;
  return Number.isFinite(parsed) ? new Date(parsed).toISOString() : undefined;
}

function labels(raw: Json): Record<string, string> {
  const value = raw.labels;
  return value && typeof value === 'object' ? { ...(value as Record<string, string>) } : {};
}

function array<T = Json>(value: unknown): T[] {
  return Array.isArray(value) ? (value as T[]) : [];
}

/** gax marks which proto3 optional fields are set with `_field: 'field'` keys; --raw output drops them. */
export function withoutOneofMarkers(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutOneofMarkers);
  if (!value || typeof value !== 'object') return value;
  const out: Json = {};
  for (const [key, child] of Object.entries(value)) {
    if (key.startsWith('_') && child === key.slice(1)) continue;
    out[key] = withoutOneofMarkers(child);
  }
  return out;
}

function metadataFlag(raw: Json, key: string): boolean {
  const items = array((raw.metadata as Json | undefined)?.items);
  const value = items.find((item) => item.key === key)?.value;
  return typeof value === 'string' && /^(true|1|yes|y|on)$/i.test(value.trim());
}

interface Base {
  kind: ResourceKind;
  project: string;
  region: string;
  raw: Json;
  keepRaw: boolean;
}

function resource(base: Base, state: string | undefined, attributes: Resource['attributes'], relations: Relation[]): Resource {
  const createdAt = iso(base.raw.creationTimestamp);
  return {
    cloud: 'gcp',
    kind: base.kind,
    id: String(base.raw.id ?? base.raw.selfLink ?? base.raw.name),
    name: String(base.raw.name ?? ''),
    account: base.project,
    region: base.region,
    ...(state ? { state } : {}),
    ...(createdAt ? { createdAt } : {}),
    tags: labels(base.raw),
    attributes: { ...attributes, selfLink: text(base.raw.selfLink) },
    relations,
    ...(base.keepRaw ? { raw: withoutOneofMarkers(base.raw) } : {}),
  };
}

export function normalizeInstance(raw: Json, project: string, keepRaw: boolean): Resource {
  const interfaces = array(raw.networkInterfaces);
  const natIp = interfaces.flatMap((nic) => array(nic.accessConfigs)).find((config) => text(config.natIP))?.natIP;
  const serviceAccount = array(raw.serviceAccounts)[0];
  const networks = [...new Set(interfaces.map((nic) => text(nic.network)).filter((link): link is string => link !== undefined))];
  const networkTags = array<string>((raw.tags as Json | undefined)?.items);
  return resource(
    { kind: 'gcp.compute.instance', project, region: lastSegment(raw.zone) ?? 'global', raw, keepRaw },
    text(raw.status),
    {
      instanceType: lastSegment(raw.machineType),
      publicIp: text(natIp),
      privateIp: text(interfaces[0]?.networkIP),
      serialPortEnabled: metadataFlag(raw, 'serial-port-enable'),
      projectSshKeysBlocked: metadataFlag(raw, 'block-project-ssh-keys'),
      serviceAccount: text(serviceAccount?.email),
      serviceAccountScopes: serviceAccount ? array<string>(serviceAccount.scopes) : undefined,
      networkTags,
      network: lastSegment(networks[0]),
      networks,
      diskLinks: array(raw.disks)
        .map((disk) => text(disk.source))
        .filter((link): link is string => link !== undefined),
      deletionProtection: raw.deletionProtection === true,
      stoppedAt:
        raw.status === 'TERMINATED' && text(raw.lastStopTimestamp) ? new Date(String(raw.lastStopTimestamp)).toISOString() : undefined,
    },
    networks.map((target) => ({ type: 'in-network', target })),
  );
}

export function normalizeDisk(raw: Json, project: string, keepRaw: boolean): Resource {
  const users = array<string>(raw.users);
  const kmsKeyName = text((raw.diskEncryptionKey as Json | undefined)?.kmsKeyName);
  return resource(
    { kind: 'gcp.compute.disk', project, region: lastSegment(raw.zone) ?? lastSegment(raw.region) ?? 'global', raw, keepRaw },
    text(raw.status),
    {
      sizeGb: raw.sizeGb === undefined || raw.sizeGb === null ? undefined : Number(raw.sizeGb),
      volumeType: lastSegment(raw.type),
      // Compute Engine encrypts every disk at rest; the question rules ask is whose key it is.
      encrypted: true,
      cmek: kmsKeyName !== undefined,
      kmsKeyName,
      attached: users.length > 0,
    },
    users.map((target) => ({ type: 'attached-to', target })),
  );
}

export function normalizeSnapshot(raw: Json, project: string, keepRaw: boolean): Resource {
  const kmsKeyName = text((raw.snapshotEncryptionKey as Json | undefined)?.kmsKeyName);
  const source = text(raw.sourceDiskId) ?? text(raw.sourceDisk);
  return resource(
    { kind: 'gcp.compute.snapshot', project, region: 'global', raw, keepRaw },
    text(raw.status),
    {
      sizeGb: raw.diskSizeGb === undefined || raw.diskSizeGb === null ? undefined : Number(raw.diskSizeGb),
      storageBytes: raw.storageBytes === undefined || raw.storageBytes === null ? undefined : Number(raw.storageBytes),
      encrypted: true,
      cmek: kmsKeyName !== undefined,
      kmsKeyName,
      sourceDisk: text(raw.sourceDisk),
      storageLocations: array<string>(raw.storageLocations),
    },
    source ? [{ type: 'snapshot-of', target: source }] : [],
  );
}

function portRange(port: string): { fromPort?: number; toPort?: number } {
  const [from, to] = port.split('-').map((part) => Number(part.trim()));
  if (!Number.isFinite(from)) return {};
  return { fromPort: from, toPort: Number.isFinite(to) ? to : from };
}

/** One rule per protocol × port range × source, as IngressRule wants; GCP's 'all' stays 'all'. */
export function flattenFirewall(raw: Json): IngressRule[] {
  if (raw.direction !== 'INGRESS' || raw.disabled === true) return [];
  const ranges = array<string>(raw.sourceRanges);
  const sources = [
    ...ranges,
    ...array<string>(raw.sourceTags).map((tag) => `tag:${tag}`),
    ...array<string>(raw.sourceServiceAccounts).map((sa) => `serviceAccount:${sa}`),
  ];
  // An ingress rule with no source at all applies to 0.0.0.0/0 (https://cloud.google.com/firewall/docs/firewalls#sources-ingress).
  if (sources.length === 0) sources.push('0.0.0.0/0');
  const priority = typeof raw.priority === 'number' ? raw.priority : 1000;
  const rules: IngressRule[] = [];
  for (const [entries, action] of [
    [array(raw.allowed), 'allow'],
    [array(raw.denied), 'deny'],
  ] as const) {
    for (const entry of entries) {
      const protocol = String(entry.IPProtocol ?? 'all').toLowerCase();
      const ports = array<string>(entry.ports);
      const ranges = ports.length > 0 ? ports.map(portRange) : [{}];
      for (const range of ranges) for (const source of sources) rules.push({ protocol, ...range, source, action, priority });
    }
  }
  return rules;
}

export function normalizeFirewall(raw: Json, project: string, keepRaw: boolean): Resource {
  const network = text(raw.network);
  const name = String(raw.name ?? '');
  return resource(
    { kind: 'gcp.compute.firewall', project, region: 'global', raw, keepRaw },
    raw.disabled === true ? 'disabled' : 'enabled',
    {
      ingress: flattenFirewall(raw),
      direction: text(raw.direction),
      priority: typeof raw.priority === 'number' ? raw.priority : undefined,
      disabled: raw.disabled === true,
      network: lastSegment(network),
      targetTags: array<string>(raw.targetTags),
      targetServiceAccounts: array<string>(raw.targetServiceAccounts),
      // The rules GCP creates with the default network (default-allow-ssh, -rdp, -icmp, -internal).
      isDefault: lastSegment(network) === 'default' && name.startsWith('default-allow-'),
    },
    network ? [{ type: 'in-network', target: network }] : [],
  );
}

export function normalizeAddress(raw: Json, project: string, keepRaw: boolean): Resource {
  const addressType = text(raw.addressType) ?? 'EXTERNAL';
  const address = text(raw.address);
  const users = array<string>(raw.users);
  return resource(
    { kind: 'gcp.compute.address', project, region: lastSegment(raw.region) ?? 'global', raw, keepRaw },
    text(raw.status),
    {
      addressType,
      ...(addressType === 'EXTERNAL' ? { publicIp: address } : { privateIp: address }),
      networkTier: text(raw.networkTier),
      associated: users.length > 0,
    },
    users.map((target) => ({ type: 'associated-with', target })),
  );
}
