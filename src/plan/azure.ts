// Maps planned azurerm_* resources into the Resource model: NSGs (inline and separate rules),
// managed disks and snapshots, VMs (with their public IP found through the NIC), public IPs.

import type { IngressRule, Resource } from '../model/resource.js';
import { anyUnknown, markUnknown, type Planned, plannedResource, referencedAddresses, stringValue } from './planned.js';

const PLAN_ACCOUNT = 'plan';

/** "22", "1000-2000" or "*" → a port range (undefined bounds: every port). */
export function portRange(text: string): { fromPort?: number; toPort?: number } {
  if (text === '*' || text === '') return {};
  const [from, to] = text.split('-').map((part) => Number(part.trim()));
  return { fromPort: from, toPort: Number.isFinite(to) ? to : from };
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function nsgRules(rule: Record<string, unknown>): IngressRule[] {
  if (String(rule.direction ?? 'Inbound').toLowerCase() !== 'inbound') return [];
  const protocol = String(rule.protocol ?? '*').toLowerCase() === '*' ? 'all' : String(rule.protocol).toLowerCase();
  const sources = [stringValue(rule.source_address_prefix), ...strings(rule.source_address_prefixes)].filter(
    (s): s is string => s !== undefined,
  );
  const ports = [stringValue(rule.destination_port_range), ...strings(rule.destination_port_ranges)].filter(
    (s): s is string => s !== undefined,
  );
  const action = String(rule.access ?? 'Allow').toLowerCase() === 'deny' ? ('deny' as const) : ('allow' as const);
  const priority = typeof rule.priority === 'number' ? rule.priority : undefined;
  const out: IngressRule[] = [];
  for (const source of sources)
    for (const port of ports.length ? ports : ['*']) out.push({ protocol, ...portRange(port), source, action, priority });
  return out;
}

function place(planned: Planned): { account: string; region: string } {
  return { account: PLAN_ACCOUNT, region: stringValue(planned.after.location) ?? 'unknown' };
}

export function mapAzure(all: Planned[]): Resource[] {
  const out: Resource[] = [];
  const byBase = new Map<string, { planned: Planned; resource?: Resource }>();
  const nsgs: { planned: Planned; resource: Resource }[] = [];
  const vms: { planned: Planned; resource: Resource }[] = [];
  for (const planned of all) {
    const after = planned.after;
    let resource: Resource | undefined;
    switch (planned.type) {
      case 'azurerm_network_security_group': {
        resource = plannedResource(planned, 'azure.network.nsg', place(planned));
        const ingress: IngressRule[] = [];
        if (Array.isArray(after.security_rule))
          for (const rule of after.security_rule) ingress.push(...nsgRules(rule as Record<string, unknown>));
        if (anyUnknown(planned.afterUnknown.security_rule)) markUnknown(resource, 'ingress');
        resource.attributes.ingress = ingress;
        nsgs.push({ planned, resource });
        break;
      }
      case 'azurerm_managed_disk':
      case 'azurerm_snapshot': {
        const disk = planned.type === 'azurerm_managed_disk';
        resource = plannedResource(planned, disk ? 'azure.compute.disk' : 'azure.compute.snapshot', place(planned));
        // Azure's default for an unset network access policy is AllowAll.
        if (planned.afterUnknown.network_access_policy === true) markUnknown(resource, 'networkAccessPolicy');
        else resource.attributes.networkAccessPolicy = stringValue(after.network_access_policy) ?? 'AllowAll';
        if (disk) {
          if (planned.afterUnknown.disk_encryption_set_id === true) markUnknown(resource, 'cmek');
          else resource.attributes.cmek = stringValue(after.disk_encryption_set_id) !== undefined;
          resource.attributes.sizeGb = typeof after.disk_size_gb === 'number' ? after.disk_size_gb : undefined;
          resource.attributes.volumeType = stringValue(after.storage_account_type);
        }
        break;
      }
      case 'azurerm_linux_virtual_machine':
      case 'azurerm_windows_virtual_machine':
      case 'azurerm_virtual_machine': {
        resource = plannedResource(planned, 'azure.compute.vm', place(planned));
        resource.attributes.instanceType = stringValue(after.size) ?? stringValue(after.vm_size);
        if (planned.type === 'azurerm_virtual_machine') {
          const os = Array.isArray(after.storage_os_disk) ? (after.storage_os_disk[0] as Record<string, unknown> | undefined) : undefined;
          resource.attributes.managedDisks = os ? stringValue(os.vhd_uri) === undefined : undefined;
          if (!os) markUnknown(resource, 'managedDisks');
        } else resource.attributes.managedDisks = true; // these resource types only support managed disks
        vms.push({ planned, resource });
        break;
      }
      case 'azurerm_public_ip':
        resource = plannedResource(planned, 'azure.network.public-ip', place(planned));
        resource.attributes.publicIp = stringValue(after.ip_address);
        resource.attributes.addressType = stringValue(after.allocation_method);
        break;
      default:
        break;
    }
    byBase.set(planned.baseAddress, { planned, resource });
    if (resource) out.push(resource);
  }

  for (const planned of all) {
    if (planned.type !== 'azurerm_network_security_rule') continue;
    let targets = referencedAddresses(planned, 'network_security_group_name')
      .map((address) => byBase.get(address)?.resource)
      .filter((r): r is Resource => r?.kind === 'azure.network.nsg');
    if (targets.length === 0) {
      const name = stringValue(planned.after.network_security_group_name);
      targets = nsgs.filter((n) => name !== undefined && n.planned.after.name === name).map((n) => n.resource);
    }
    if (targets.length === 0) {
      const standalone = plannedResource(planned, 'azure.network.nsg', { ...place(planned), name: planned.address });
      standalone.attributes.ingress = [];
      out.push(standalone);
      targets = [standalone];
    }
    const rules = nsgRules(planned.after);
    const unknownRule = ['source_address_prefix', 'source_address_prefixes', 'destination_port_range', 'access', 'direction'].some((k) =>
      anyUnknown(planned.afterUnknown[k]),
    );
    for (const nsg of targets) {
      (nsg.attributes.ingress as IngressRule[]).push(...rules);
      if (unknownRule) markUnknown(nsg, 'ingress');
    }
  }

  // A VM is public when one of its NICs has an IP configuration with a public IP address.
  for (const { planned, resource } of vms) {
    const nics = referencedAddresses(planned, 'network_interface_ids')
      .map((address) => byBase.get(address)?.planned)
      .filter((p) => p !== undefined);
    if (nics.length === 0) {
      if (planned.type !== 'azurerm_virtual_machine' || Array.isArray(planned.after.network_interface_ids))
        markUnknown(resource, 'publicIp');
      continue;
    }
    for (const nic of nics) {
      const configs = Array.isArray(nic.after.ip_configuration) ? (nic.after.ip_configuration as Record<string, unknown>[]) : [];
      const referencesPublicIp = referencedAddresses(nic, 'ip_configuration').some(
        (address) => byBase.get(address)?.planned.type === 'azurerm_public_ip',
      );
      const literal = configs.map((c) => stringValue(c.public_ip_address_id)).find((id) => id !== undefined);
      if (referencesPublicIp || literal) {
        const pip = referencedAddresses(nic, 'ip_configuration').find(
          (address) => byBase.get(address)?.planned.type === 'azurerm_public_ip',
        );
        resource.attributes.publicIp = pip ?? literal;
      } else if (anyUnknown(nic.afterUnknown.ip_configuration) && configs.length === 0) markUnknown(resource, 'publicIp');
    }
  }
  return out;
}
