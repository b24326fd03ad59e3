// AZ-NET-004: Network security group allows all inbound traffic from the Internet.

import { exposureCheck, openEverything } from '../../exposure.js';
import { cis, mcsb } from '../../references.js';
import { defineRule } from '../../rule.js';

export const rule = defineRule({
  id: 'AZ-NET-004',
  slug: 'nsg-open-all',
  title: 'Network security group allows all inbound traffic from the Internet',
  description:
    'An inbound Allow rule with source Internet, * or 0.0.0.0/0 covers every destination port and no earlier Deny rule blocks it, so every service on the attached VMs is reachable from anywhere.',
  severity: 'critical',
  kinds: ['azure.network.nsg'],
  references: [
    cis('cis-azure', '6.1', 'Ensure that RDP access from the Internet is evaluated and restricted'),
    cis('cis-azure', '6.2', 'Ensure that SSH access from the Internet is evaluated and restricted'),
    mcsb('NS-1', 'Establish network segmentation boundaries'),
  ],
  remediation:
    'az network nsg rule delete --resource-group <rg> --nsg-name <nsg> --name <rule>, then add rules for the specific ports the workload serves.',
  tags: ['network', 'exposure'],
  check: (resource) => exposureCheck(resource, (ingress) => openEverything(ingress, 'any'), 'all traffic'),
});
