// AZ-CMP-005: Disk snapshot can be exported from any network.

import { mcsb } from '../../references.js';
import { defineRule, fail, label, PASS, unknown } from '../../rule.js';

export const rule = defineRule({
  id: 'AZ-CMP-005',
  slug: 'snapshot-public-network',
  title: 'Disk snapshot allows export from all networks',
  description:
    'The snapshot network access policy is AllowAll: anyone holding a SAS URI generated for it can download a full copy of the disk from any network.',
  severity: 'high',
  kinds: ['azure.compute.snapshot'],
  references: [mcsb('NS-2', 'Secure cloud native services with network controls')],
  remediation:
    'az snapshot update --resource-group <rg> --name <snapshot> --network-access-policy DenyAll --public-network-access Disabled',
  tags: ['exposure', 'data-sharing', 'storage'],
  check(resource) {
    const policy = resource.attributes.networkAccessPolicy;
    if (typeof policy !== 'string')
      return unknown(resource, label('snapshot', resource), ['networkAccessPolicy'], 'restricts export networks');
    return policy.toLowerCase() === 'allowall'
      ? fail(`${label('Snapshot', resource)} allows export from all networks (network access policy AllowAll).`)
      : PASS;
  },
});
