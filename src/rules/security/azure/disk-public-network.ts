// AZ-CMP-001: Managed disk can be exported from any network.

import { mcsb } from '../../references.js';
import { defineRule, fail, label, PASS, unknown } from '../../rule.js';

export const rule = defineRule({
  id: 'AZ-CMP-001',
  slug: 'disk-public-network',
  title: 'Managed disk allows export from all networks',
  description:
    'The disk network access policy is AllowAll: anyone holding a SAS URI generated for the disk can download it from any network. Restrict export to a private endpoint (AllowPrivate) or deny it (DenyAll).',
  severity: 'high',
  kinds: ['azure.compute.disk'],
  references: [mcsb('NS-2', 'Secure cloud native services with network controls')],
  remediation:
    'az disk update --resource-group <rg> --name <disk> --network-access-policy DenyAll --public-network-access Disabled (or --network-access-policy AllowPrivate --disk-access <disk-access-id>)',
  tags: ['exposure', 'data-sharing', 'storage'],
  check(resource) {
    const policy = resource.attributes.networkAccessPolicy;
    if (typeof policy !== 'string')
      return unknown(resource, label('managed disk', resource), ['networkAccessPolicy'], 'restricts export networks');
    return policy.toLowerCase() === 'allowall'
      ? fail(`${label('Managed disk', resource)} allows export from all networks (network access policy AllowAll).`)
      : PASS;
  },
});
