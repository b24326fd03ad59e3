// AWS-RDS-001: RDS instance storage is not encrypted.

import { flagCheck } from '../../attributes.js';
import { cis, fsbp } from '../../references.js';
import { defineRule } from '../../rule.js';

export const rule = defineRule({
  id: 'AWS-RDS-001',
  slug: 'rds-unencrypted',
  title: 'RDS instance storage is not encrypted',
  description:
    'The database storage, its automated backups, read replicas and snapshots are unencrypted. Encryption can only be chosen when the instance is created.',
  severity: 'high',
  kinds: ['aws.rds.instance'],
  references: [
    cis('cis-aws', '2.3.1', 'Ensure that encryption-at-rest is enabled for RDS Instances'),
    fsbp('RDS.3', 'RDS DB instances should have encryption at-rest enabled'),
  ],
  remediation:
    'Encrypt a copy: aws rds create-db-snapshot --db-instance-identifier <db> --db-snapshot-identifier <db>-plain; aws rds copy-db-snapshot --source-db-snapshot-identifier <db>-plain --target-db-snapshot-identifier <db>-encrypted --kms-key-id <key>; aws rds restore-db-instance-from-db-snapshot --db-instance-identifier <db>-new --db-snapshot-identifier <db>-encrypted; then switch clients over.',
  tags: ['encryption', 'data-at-rest', 'database'],
  check: (resource) =>
    flagCheck(resource, {
      attribute: 'encrypted',
      bad: false,
      noun: 'RDS instance',
      failure: 'has unencrypted storage',
      question: 'has encrypted storage',
    }),
});
