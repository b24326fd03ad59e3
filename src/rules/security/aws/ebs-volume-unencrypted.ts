// AWS-EC2-011: EBS volume is not encrypted.

import { flagCheck } from '../../attributes.js';
import { cis, fsbp } from '../../references.js';
import { defineRule } from '../../rule.js';

export const rule = defineRule({
  id: 'AWS-EC2-011',
  slug: 'ebs-volume-unencrypted',
  title: 'EBS volume is not encrypted',
  description:
    'The volume is stored unencrypted. Anyone who obtains a snapshot or a copy of it reads the data in clear; encryption with KMS costs nothing extra and is transparent to the instance.',
  severity: 'high',
  kinds: ['aws.ec2.volume'],
  references: [
    cis('cis-aws', '2.2.1', 'Ensure EBS volume encryption is enabled in all regions'),
    fsbp('EC2.3', 'Attached Amazon EBS volumes should be encrypted at-rest'),
  ],
  remediation:
    'Existing volumes cannot be encrypted in place: aws ec2 create-snapshot --volume-id <volume-id>, aws ec2 copy-snapshot --source-snapshot-id <snapshot-id> --source-region <region> --encrypted --kms-key-id <key>, aws ec2 create-volume --snapshot-id <encrypted-snapshot-id> --availability-zone <az>, swap the volumes; and turn on default encryption: aws ec2 enable-ebs-encryption-by-default --region <region>',
  tags: ['encryption', 'data-at-rest'],
  check: (resource) =>
    flagCheck(resource, {
      attribute: 'encrypted',
      bad: false,
      noun: 'EBS volume',
      failure: 'is not encrypted at rest',
      question: 'is encrypted at rest',
    }),
});
