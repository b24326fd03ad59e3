// AWS-EC2-012: EBS snapshot is not encrypted.

import { flagCheck } from '../../attributes.js';
import { cis } from '../../references.js';
import { defineRule } from '../../rule.js';

export const rule = defineRule({
  id: 'AWS-EC2-012',
  slug: 'ebs-snapshot-unencrypted',
  title: 'EBS snapshot is not encrypted',
  description:
    'The snapshot holds an unencrypted copy of a volume. Snapshots are copied and shared more casually than volumes, which makes clear-text data in them easy to leak.',
  severity: 'medium',
  kinds: ['aws.ec2.snapshot'],
  references: [cis('cis-aws', '2.2.1', 'Ensure EBS volume encryption is enabled in all regions')],
  remediation:
    'aws ec2 copy-snapshot --source-snapshot-id <snapshot-id> --source-region <region> --encrypted --kms-key-id <key>, then aws ec2 delete-snapshot --snapshot-id <snapshot-id>',
  tags: ['encryption', 'data-at-rest'],
  check: (resource) =>
    flagCheck(resource, {
      attribute: 'encrypted',
      bad: false,
      noun: 'EBS snapshot',
      failure: 'is not encrypted',
      question: 'is encrypted',
    }),
});
