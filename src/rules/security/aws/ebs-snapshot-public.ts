// AWS-EC2-013: EBS snapshot is publicly restorable.

import { flagCheck } from '../../attributes.js';
import { fsbp } from '../../references.js';
import { defineRule } from '../../rule.js';

export const rule = defineRule({
  id: 'AWS-EC2-013',
  slug: 'ebs-snapshot-public',
  title: 'EBS snapshot is publicly restorable',
  description:
    'The snapshot grants createVolumePermission to group "all": any AWS account in the world can create a volume from it and read its data.',
  severity: 'critical',
  kinds: ['aws.ec2.snapshot'],
  references: [fsbp('EC2.1', 'Amazon EBS snapshots should not be publicly restorable')],
  remediation:
    'aws ec2 modify-snapshot-attribute --snapshot-id <snapshot-id> --attribute createVolumePermission --operation-type remove --group-names all; and block it account-wide: aws ec2 enable-snapshot-block-public-access --state block-all-sharing',
  tags: ['exposure', 'data-sharing'],
  check: (resource) =>
    flagCheck(resource, {
      attribute: 'public',
      bad: true,
      noun: 'EBS snapshot',
      failure: 'is public: any AWS account can restore it',
      question: 'is public',
    }),
});
