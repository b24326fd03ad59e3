// AZ-CMP-003: Virtual machine uses unmanaged disks.

import { flagCheck } from '../../attributes.js';
import { cis } from '../../references.js';
import { defineRule } from '../../rule.js';

export const rule = defineRule({
  id: 'AZ-CMP-003',
  slug: 'vm-unmanaged-disks',
  title: 'Virtual machine uses unmanaged disks',
  description:
    'The VM keeps its OS disk as a VHD blob in a storage account. Unmanaged disks are not encrypted with platform-managed keys by default, share the storage account keys and are retired by Azure.',
  severity: 'medium',
  kinds: ['azure.compute.vm'],
  references: [cis('cis-azure', '7.2', 'Ensure Virtual Machines are utilizing Managed Disks')],
  remediation:
    'az vm deallocate --resource-group <rg> --name <vm> && az vm convert --resource-group <rg> --name <vm> && az vm start --resource-group <rg> --name <vm>',
  tags: ['encryption', 'data-at-rest'],
  check: (resource) =>
    flagCheck(resource, {
      attribute: 'managedDisks',
      bad: false,
      noun: 'Virtual machine',
      failure: 'uses unmanaged (VHD blob) disks',
      question: 'uses managed disks',
    }),
});
