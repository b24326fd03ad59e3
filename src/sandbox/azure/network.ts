// Microsoft.Network resources rendered as ARM returns them: network security groups (with the six
// default rules every NSG carries), public IP addresses, and the network interfaces that tie a VM
// to its NSG and public IP. The estate has no NIC records: each VM's `nicId` is rendered from it.

import type { AzureNsg, AzurePublicIp, AzureVm, NsgRule } from '../estate/types.js';
import { estateSlot } from '../server/state.js';
import type { EstateIndex, SandboxContext } from '../server/types.js';
import { etagOf, nameOfId, stableGuid } from './arm-protocol.js';

/** The rules Azure adds to every NSG (priorities 65000–65500), as `defaultSecurityRules`. */
const DEFAULT_RULES: (Omit<NsgRule, 'protocol'> & { protocol: '*'; destinationAddressPrefix: string; description: string })[] = [
  {
    name: 'AllowVnetInBound',
    priority: 65000,
    direction: 'Inbound',
    access: 'Allow',
    protocol: '*',
    sourceAddressPrefix: 'VirtualNetwork',
    destinationPortRange: '*',
    destinationAddressPrefix: 'VirtualNetwork',
    description: 'Allow inbound traffic from all VMs in VNET',
  },
  {
    name: 'AllowAzureLoadBalancerInBound',
    priority: 65001,
    direction: 'Inbound',
    access: 'Allow',
    protocol: '*',
    sourceAddressPrefix: 'AzureLoadBalancer',
    destinationPortRange: '*',
    destinationAddressPrefix: '*',
    description: 'Allow inbound traffic from azure load balancer',
  },
  {
    name: 'DenyAllInBound',
    priority: 65500,
    direction: 'Inbound',
    access: 'Deny',
    protocol: '*',
    sourceAddressPrefix: '*',
    destinationPortRange: '*',
    destinationAddressPrefix: '*',
    description: 'Deny all inbound traffic',
  },
  {
    name: 'AllowVnetOutBound',
    priority: 65000,
    direction: 'Outbound',
    access: 'Allow',
    protocol: '*',
    sourceAddressPrefix: 'VirtualNetwork',
    destinationPortRange: '*',
    destinationAddressPrefix: 'VirtualNetwork',
    description: 'Allow outbound traffic from all VMs to all VMs in VNET',
  },
  {
    name: 'AllowInternetOutBound',
    priority: 65001,
    direction: 'Outbound',
    access: 'Allow',
    protocol: '*',
    sourceAddressPrefix: '*',
    destinationPortRange: '*',
    destinationAddressPrefix: 'Internet',
    description: 'Allow outbound traffic from all VMs to Internet',
  },
  {
    name: 'DenyAllOutBound',
    priority: 65500,
    direction: 'Outbound',
    access: 'Deny',
    protocol: '*',
    sourceAddressPrefix: '*',
    destinationPortRange: '*',
    destinationAddressPrefix: '*',
    description: 'Deny all outbound traffic',
  },
];

function renderRule(
  nsgId: string,
  collection: 'securityRules' | 'defaultSecurityRules',
  rule: NsgRule & { destinationAddressPrefix?: string; description?: string },
): unknown {
  const id = `${nsgId}/${collection}/${rule.name}`;
  return {
    name: rule.name,
    id,
    etag: etagOf(id),
    type: `Microsoft.Network/networkSecurityGroups/${collection}`,
    properties: {
      provisioningState: 'Succeeded',
      ...(rule.description ? { description: rule.description } : {}),
      protocol: rule.protocol,
      sourcePortRange: '*',
      destinationPortRange: rule.destinationPortRange,
      sourceAddressPrefix: rule.sourceAddressPrefix,
      destinationAddressPrefix: rule.destinationAddressPrefix ?? '*',
      access: rule.access,
      priority: rule.priority,
      direction: rule.direction,
      sourcePortRanges: [],
      destinationPortRanges: [],
      sourceAddressPrefixes: [],
      destinationAddressPrefixes: [],
    },
  };
}

interface NetworkLinks {
  /** NSG id → the NICs (of VMs) it is attached to. */
  nicsByNsg: Map<string, string[]>;
}

const LINKS = estateSlot<NetworkLinks>('azure.network.links', ({ estate }) => {
  const links: NetworkLinks = { nicsByNsg: new Map() };
  for (const resource of estate.resources) {
    if (resource.kind !== 'azure.compute.vm' || !resource.spec.nsgId) continue;
    const list = links.nicsByNsg.get(resource.spec.nsgId);
    if (list) list.push(resource.spec.nicId);
    else links.nicsByNsg.set(resource.spec.nsgId, [resource.spec.nicId]);
  }
  return links;
});

function networkLinks(ctx: SandboxContext): NetworkLinks {
  return ctx.state.get(LINKS);
}

export function renderNsg(nsg: AzureNsg, ctx: SandboxContext): unknown {
  const nics = networkLinks(ctx).nicsByNsg.get(nsg.id) ?? [];
  return {
    name: nsg.name,
    id: nsg.id,
    etag: etagOf(nsg.id),
    type: 'Microsoft.Network/networkSecurityGroups',
    location: nsg.region,
    tags: nsg.tags,
    properties: {
      provisioningState: 'Succeeded',
      resourceGuid: stableGuid(`nsg:${nsg.id}`),
      securityRules: nsg.spec.rules.map((rule) => renderRule(nsg.id, 'securityRules', rule)),
      defaultSecurityRules: DEFAULT_RULES.map((rule) => renderRule(nsg.id, 'defaultSecurityRules', rule)),
      ...(nics.length > 0 ? { networkInterfaces: nics.map((id) => ({ id })) } : {}),
    },
  };
}

const ipConfigurationId = (nicId: string) => `${nicId}/ipConfigurations/ipconfig1`;

export function renderPublicIp(ip: AzurePublicIp, index: EstateIndex): unknown {
  const vm = ip.spec.vmId ? index.byId.get(ip.spec.vmId) : undefined;
  const nicId = vm?.kind === 'azure.compute.vm' ? vm.spec.nicId : undefined;
  // A Dynamic address that is not associated has no IP until it is attached (as in Azure).
  const hasAddress = ip.spec.allocation === 'Static' || nicId !== undefined;
  return {
    name: ip.name,
    id: ip.id,
    etag: etagOf(ip.id),
    location: ip.region,
    tags: ip.tags,
    type: 'Microsoft.Network/publicIPAddresses',
    sku: { name: ip.spec.sku, tier: 'Regional' },
    properties: {
      provisioningState: 'Succeeded',
      resourceGuid: stableGuid(`pip:${ip.id}`),
      ...(hasAddress ? { ipAddress: ip.spec.ipAddress } : {}),
      publicIPAddressVersion: 'IPv4',
      publicIPAllocationMethod: ip.spec.allocation,
      idleTimeoutInMinutes: 4,
      ipTags: [],
      ...(nicId ? { ipConfiguration: { id: ipConfigurationId(nicId) } } : {}),
      ddosSettings: { protectionMode: 'VirtualNetworkInherited' },
    },
  };
}

/** The subnet a VM's NIC sits in: one VNet per resource group and location. */
function subnetId(vm: AzureVm): string {
  const group =
    /^(\/subscriptions\/[^/]+\/resourceGroups\/[^/]+)/i.exec(vm.id)?.[1] ??
    `/subscriptions/${vm.account}/resourceGroups/${vm.spec.resourceGroup}`;
  return `${group}/providers/Microsoft.Network/virtualNetworks/${vm.spec.resourceGroup}-${vm.region}-vnet/subnets/default`;
}

function macAddress(seed: string): string {
  const hex = stableGuid(seed).replace(/-/g, '').slice(0, 12).toUpperCase();
  return `00-22-48-${hex.slice(0, 2)}-${hex.slice(2, 4)}-${hex.slice(4, 6)}`;
}

/** The VM's primary NIC (the estate has one per VM). */
export function renderNic(vm: AzureVm): unknown {
  const { spec } = vm;
  const configId = ipConfigurationId(spec.nicId);
  return {
    name: nameOfId(spec.nicId),
    id: spec.nicId,
    etag: etagOf(spec.nicId),
    type: 'Microsoft.Network/networkInterfaces',
    location: vm.region,
    tags: {},
    kind: 'Regular',
    properties: {
      provisioningState: 'Succeeded',
      resourceGuid: stableGuid(`nic:${spec.nicId}`),
      ipConfigurations: [
        {
          name: 'ipconfig1',
          id: configId,
          etag: etagOf(configId),
          type: 'Microsoft.Network/networkInterfaces/ipConfigurations',
          properties: {
            provisioningState: 'Succeeded',
            privateIPAddress: spec.privateIp,
            privateIPAllocationMethod: 'Dynamic',
            ...(spec.publicIpId ? { publicIPAddress: { id: spec.publicIpId } } : {}),
            subnet: { id: subnetId(vm) },
            primary: true,
            privateIPAddressVersion: 'IPv4',
          },
        },
      ],
      dnsSettings: { dnsServers: [], appliedDnsServers: [] },
      macAddress: macAddress(`mac:${spec.nicId}`),
      vnetEncryptionSupported: false,
      enableIPForwarding: false,
      disableTcpStateTracking: false,
      ...(spec.nsgId ? { networkSecurityGroup: { id: spec.nsgId } } : {}),
      primary: true,
      virtualMachine: { id: vm.id },
      hostedWorkloads: [],
      tapConfigurations: [],
      nicType: 'Standard',
      allowPort25Out: true,
      auxiliaryMode: 'None',
      auxiliarySku: 'None',
    },
  };
}
