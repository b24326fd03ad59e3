// AWS-S3-001: S3 bucket has no Block Public Access configuration.

import { flagCheck } from '../../attributes.js';
import { cis, fsbp } from '../../references.js';
import { defineRule } from '../../rule.js';

export const rule = defineRule({
  id: 'AWS-S3-001',
  slug: 's3-no-public-access-block',
  title: 'S3 bucket has no Block Public Access configuration',
  description:
    'The bucket does not block public ACLs and policies with all four Block Public Access settings, so a single ACL or bucket-policy change can expose its objects to the Internet.',
  severity: 'high',
  kinds: ['aws.s3.bucket'],
  references: [
    cis('cis-aws', '2.1.4', "Ensure that S3 Buckets are configured with 'Block public access (bucket settings)'"),
    fsbp('S3.8', 'S3 general purpose buckets should block public access'),
  ],
  remediation:
    'aws s3api put-public-access-block --bucket <bucket> --public-access-block-configuration BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true',
  tags: ['exposure', 'storage'],
  check: (resource) =>
    flagCheck(resource, {
      attribute: 'publicAccessBlock',
      bad: false,
      noun: 'S3 bucket',
      failure: 'does not block public access',
      question: 'blocks public access',
    }),
});
