// AWS-EC2-015: EC2 instance allows IMDSv1.

import { flagCheck } from '../../attributes.js';
import { cis, fsbp } from '../../references.js';
import { defineRule } from '../../rule.js';

export const rule = defineRule({
  id: 'AWS-EC2-015',
  slug: 'ec2-imdsv1-allowed',
  title: 'EC2 instance allows IMDSv1',
  description:
    'The instance metadata service accepts IMDSv1 requests (HttpTokens=optional). A server-side request forgery in any application on the instance can then read the role credentials from 169.254.169.254.',
  severity: 'medium',
  kinds: ['aws.ec2.instance'],
  references: [
    cis('cis-aws', '5.6', 'Ensure that EC2 Metadata Service only allows IMDSv2'),
    fsbp('EC2.8', 'EC2 instances should use Instance Metadata Service Version 2 (IMDSv2)'),
  ],
  remediation: 'aws ec2 modify-instance-metadata-options --instance-id <instance-id> --http-tokens required --http-endpoint enabled',
  tags: ['identity', 'metadata'],
  check: (resource) =>
    flagCheck(resource, {
      attribute: 'imdsV1Allowed',
      bad: true,
      noun: 'EC2 instance',
      failure: 'accepts IMDSv1 requests (HttpTokens=optional)',
      question: 'requires IMDSv2',
    }),
});
