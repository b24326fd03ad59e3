// AZ-CMP-002: Managed disk is not encrypted with a customer-managed key.

import type { Resource } from '../../../model/resource.js';
import { cis } from '../../references.js';
import { defineRule, fail, label, PASS, unknown } from '../../rule.js';

/** `cmek` as the provider normalized it, else derived from the ARM encryption type when carried. */
function customerKey(resource: Resource): boolean | undefined {
  if (typeof resource.attributes.cmek === 'boolean') return resource.attributes.cmek;
  const type = resource.attributes.encryptionType;
  return typeof type === 'string' ? type.includes('CustomerKey') : undefined;
}

export const rule = defineRule({
  id: 'AZ-CMP-002',
  slug: 'disk-no-cmk',
  title: 'Managed disk is not encrypted with a customer-managed key',
  description:
    'The disk is encrypted only with a platform-managed key. With a customer-managed key in Key Vault (through a disk encryption set) you control rotation, can revoke access, and audit every use of the key.',
  severity: 'low',
  kinds: ['azure.compute.disk'],
  references: [cis('cis-azure', '7.3', "Ensure that 'OS and Data' disks are encrypted with Customer Managed Key (CMK)")],
  remediation:
    'az disk-encryption-set create --resource-group <rg> --name <des> --key-url <key-vault-key-url> --source-vault <key-vault-id>; deallocate the VM; az disk update --resource-group <rg> --name <disk> --encryption-type EncryptionAtRestWithCustomerKey --disk-encryption-set <des-id>',
  tags: ['encryption', 'data-at-rest', 'key-management'],
  check(resource) {
    const cmk = customerKey(resource);
    if (cmk === undefined) return unknown(resource, label('managed disk', resource), ['cmek'], 'is encrypted with a customer-managed key');
    return cmk
      ? PASS
      : fail(`${label('Managed disk', resource)} is encrypted only with a platform-managed key, not a customer-managed key.`);
  },
});
