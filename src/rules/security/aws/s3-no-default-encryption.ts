// AWS-S3-002: S3 bucket has no default encryption configuration.

import { flagCheck } from '../../attributes.js';
import { defineRule } from '../../rule.js';

export const rule = defineRule({
  id: 'AWS-S3-002',
  slug: 's3-no-default-encryption',
  title: 'S3 bucket has no default encryption configuration',
  description:
    'The bucket has no default server-side encryption configuration of its own (SSE-S3 or SSE-KMS), so the encryption of new objects depends on every writer, and KMS-based access control and audit do not apply.',
  severity: 'medium',
  kinds: ['aws.s3.bucket'],
  references: [
    {
      framework: 'cis-aws',
      benchmark: 'CIS Amazon Web Services Foundations Benchmark',
      version: '1.4.0',
      control: '2.1.1',
      title: 'Ensure all S3 buckets employ encryption-at-rest',
    },
  ],
  remediation:
    'aws s3api put-bucket-encryption --bucket <bucket> --server-side-encryption-configuration \'{"Rules":[{"ApplyServerSideEncryptionByDefault":{"SSEAlgorithm":"aws:kms"},"BucketKeyEnabled":true}]}\'',
  tags: ['encryption', 'data-at-rest', 'storage'],
  check: (resource) =>
    flagCheck(resource, {
      attribute: 'defaultEncryption',
      bad: false,
      noun: 'S3 bucket',
      failure: 'has no default encryption configured',
      question: 'has default encryption',
    }),
});
