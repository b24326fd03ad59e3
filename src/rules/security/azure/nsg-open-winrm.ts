// AZ-NET-005: Network security group allows WinRM from the Internet.

import { openPortRule } from '../../exposure.js';
import { mcsb } from '../../references.js';

export const rule = openPortRule(
  {
    id: 'AZ-NET-005',
    slug: 'nsg-open-winrm',
    title: 'Network security group allows WinRM from the Internet',
    description:
      'An inbound Allow rule with source Internet, * or 0.0.0.0/0 reaches PowerShell remoting (5985/5986) and no earlier Deny rule blocks it.',
    severity: 'high',
    kinds: ['azure.network.nsg'],
    references: [mcsb('NS-1', 'Establish network segmentation boundaries')],
    remediation: 'az network nsg rule delete --resource-group <rg> --nsg-name <nsg> --name <rule>',
    tags: ['network', 'exposure', 'admin-port'],
  },
  { ports: [5985, 5986], service: 'WinRM', family: 'any' },
);
