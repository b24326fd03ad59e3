// AZ-NET-002: Network security group allows RDP from the Internet.

import { openPortRule } from '../../exposure.js';
import { cis, mcsb } from '../../references.js';

export const rule = openPortRule(
  {
    id: 'AZ-NET-002',
    slug: 'nsg-open-rdp',
    title: 'Network security group allows RDP from the Internet',
    description:
      'An inbound Allow rule with source Internet, * or 0.0.0.0/0 reaches port 3389 and no earlier Deny rule blocks it. Use Azure Bastion or just-in-time VM access instead.',
    severity: 'critical',
    kinds: ['azure.network.nsg'],
    references: [
      cis('cis-azure', '6.1', 'Ensure that RDP access from the Internet is evaluated and restricted'),
      mcsb('NS-1', 'Establish network segmentation boundaries'),
    ],
    remediation:
      'az network nsg rule update --resource-group <rg> --nsg-name <nsg> --name <rule> --source-address-prefixes <trusted-cidr> (or az network nsg rule delete --resource-group <rg> --nsg-name <nsg> --name <rule>)',
    tags: ['network', 'exposure', 'admin-port'],
  },
  { ports: [3389], service: 'RDP', family: 'any' },
);
