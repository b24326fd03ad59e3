// Maps planned google_compute_* resources into the Resource model: firewalls, instances, disks,
// addresses.

import type { IngressRule, Resource } from '../model/resource.js';
import { portRange } from './azure.js';
import { anyUnknown, markUnknown, type Planned, plannedResource, stringValue } from './planned.js';

const SCOPE_ALIASES: Record<string, string> = {
  'cloud-platform': 'https://www.googleapis.com/auth/cloud-platform',
};

function place(planned: Planned): { account: string; region: string } {
  const after = planned.after;
  return { account: stringValue(after.project) ?? 'plan', region: stringValue(after.zone) ?? stringValue(after.region) ?? 'global' };
}

function firewall(planned: Planned): Resource {
  const after = planned.after;
  const resource = plannedResource(planned, 'gcp.compute.firewall', place(planned));
  resource.attributes.direction = stringValue(after.direction) ?? 'INGRESS';
  resource.attributes.disabled = after.disabled === true;
  const priority = typeof after.priority === 'number' ? after.priority : 1000;
  const ranges = Array.isArray(after.source_ranges) ? (after.source_ranges as string[]) : [];
  const ingress: IngressRule[] = [];
  for (const allow of Array.isArray(after.allow) ? (after.allow as Record<string, unknown>[]) : []) {
    const protocol = String(allow.protocol ?? 'all').toLowerCase();
    const ports = Array.isArray(allow.ports) && allow.ports.length > 0 ? (allow.ports as string[]) : ['*'];
    for (const source of ranges)
      for (const port of ports) ingress.push({ protocol, ...portRange(port), source, action: 'allow', priority });
  }
  if (['source_ranges', 'allow', 'direction', 'disabled'].some((key) => anyUnknown(planned.afterUnknown[key])))
    markUnknown(resource, 'ingress');
  resource.attributes.ingress = ingress;
  return resource;
}

function metadataFlag(value: unknown): boolean {
  return typeof value === 'string' ? ['true', '1', 'yes'].includes(value.toLowerCase()) : value === true;
}

function instance(planned: Planned): Resource {
  const after = planned.after;
  const resource = plannedResource(planned, 'gcp.compute.instance', place(planned));
  resource.attributes.instanceType = stringValue(after.machine_type);
  const interfaces = Array.isArray(after.network_interface) ? (after.network_interface as Record<string, unknown>[]) : [];
  const access = interfaces.flatMap((nic) => (Array.isArray(nic.access_config) ? (nic.access_config as Record<string, unknown>[]) : []));
  if (access.length > 0) resource.attributes.publicIp = stringValue(access[0].nat_ip) ?? '(ephemeral, assigned on apply)';
  else if (anyUnknown(planned.afterUnknown.network_interface) && interfaces.length === 0) markUnknown(resource, 'publicIp');

  if (anyUnknown(planned.afterUnknown.metadata)) {
    markUnknown(resource, 'serialPortEnabled');
    markUnknown(resource, 'projectSshKeysBlocked');
  } else {
    const metadata = (after.metadata ?? {}) as Record<string, unknown>;
    resource.attributes.serialPortEnabled = metadataFlag(metadata['serial-port-enable']);
    resource.attributes.projectSshKeysBlocked = metadataFlag(metadata['block-project-ssh-keys']);
  }

  const accounts = Array.isArray(after.service_account) ? (after.service_account as Record<string, unknown>[]) : [];
  const accountUnknown = Array.isArray(planned.afterUnknown.service_account)
    ? (planned.afterUnknown.service_account[0] as Record<string, unknown> | undefined)
    : undefined;
  if (accounts.length === 0 && !anyUnknown(planned.afterUnknown.service_account)) {
    // No service account attached: nothing can act with the default account's rights.
    resource.attributes.serviceAccount = '';
    resource.attributes.serviceAccountScopes = [];
  } else {
    const sa = accounts[0] ?? {};
    if (accountUnknown?.email === true || stringValue(sa.email) === undefined) markUnknown(resource, 'serviceAccount');
    else resource.attributes.serviceAccount = stringValue(sa.email);
    if (anyUnknown(accountUnknown?.scopes)) markUnknown(resource, 'serviceAccountScopes');
    else
      resource.attributes.serviceAccountScopes = (Array.isArray(sa.scopes) ? (sa.scopes as string[]) : []).map(
        (s) => SCOPE_ALIASES[s] ?? s,
      );
  }
  return resource;
}

export function mapGcp(all: Planned[]): Resource[] {
  const out: Resource[] = [];
  for (const planned of all) {
    const after = planned.after;
    switch (planned.type) {
      case 'google_compute_firewall':
        out.push(firewall(planned));
        break;
      case 'google_compute_instance':
        out.push(instance(planned));
        break;
      case 'google_compute_disk':
      case 'google_compute_region_disk': {
        const resource = plannedResource(planned, 'gcp.compute.disk', place(planned));
        const key = Array.isArray(after.disk_encryption_key)
          ? (after.disk_encryption_key[0] as Record<string, unknown> | undefined)
          : undefined;
        if (anyUnknown(planned.afterUnknown.disk_encryption_key) && !key) markUnknown(resource, 'cmek');
        else resource.attributes.cmek = stringValue(key?.kms_key_self_link) !== undefined || stringValue(key?.kms_key_name) !== undefined;
        resource.attributes.sizeGb = typeof after.size === 'number' ? after.size : undefined;
        resource.attributes.volumeType = stringValue(after.type);
        out.push(resource);
        break;
      }
      case 'google_compute_address':
      case 'google_compute_global_address': {
        const resource = plannedResource(planned, 'gcp.compute.address', place(planned));
        resource.attributes.addressType = stringValue(after.address_type) ?? 'EXTERNAL';
        resource.attributes.publicIp = resource.attributes.addressType === 'EXTERNAL' ? stringValue(after.address) : undefined;
        out.push(resource);
        break;
      }
      default:
        break;
    }
  }
  return out;
}
