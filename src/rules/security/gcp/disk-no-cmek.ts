// GCP-CMP-005: Persistent disk is not encrypted with a customer-managed key.

import { cis } from '../../references.js';
import { defineRule, fail, label, PASS, unknown } from '../../rule.js';

export const rule = defineRule({
  id: 'GCP-CMP-005',
  slug: 'disk-no-cmek',
  title: 'Persistent disk is not encrypted with a customer-managed key',
  description:
    'The disk is encrypted with a Google-managed key only. A Cloud KMS key (CMEK) lets you control rotation, revoke access and audit every use of the key.',
  severity: 'low',
  kinds: ['gcp.compute.disk'],
  references: [cis('cis-gcp', '4.7', 'Ensure VM Disks for Critical VMs Are Encrypted With Customer-Supplied Encryption Keys (CSEK)')],
  remediation:
    'Disks cannot be re-keyed in place: gcloud compute snapshots create <snap> --source-disk=<disk> --source-disk-zone=<zone>; gcloud compute disks create <disk>-cmek --zone=<zone> --source-snapshot=<snap> --kms-key=projects/<p>/locations/<l>/keyRings/<r>/cryptoKeys/<k>; attach it in place of the old disk.',
  tags: ['encryption', 'data-at-rest', 'key-management'],
  check(resource) {
    const cmek = resource.attributes.cmek;
    if (typeof cmek !== 'boolean') return unknown(resource, label('disk', resource), ['cmek'], 'is encrypted with a customer-managed key');
    return cmek ? PASS : fail(`${label('Disk', resource)} is encrypted with a Google-managed key, not a customer-managed key.`);
  },
});
