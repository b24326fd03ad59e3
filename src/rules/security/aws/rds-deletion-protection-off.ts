// AWS-RDS-004: RDS instance has no deletion protection.

import { flagCheck } from '../../attributes.js';
import { fsbp } from '../../references.js';
import { defineRule } from '../../rule.js';

export const rule = defineRule({
  id: 'AWS-RDS-004',
  slug: 'rds-deletion-protection-off',
  title: 'RDS instance has no deletion protection',
  description: 'Deletion protection is off, so one API call or a mistaken Terraform destroy deletes the database.',
  severity: 'low',
  kinds: ['aws.rds.instance'],
  references: [fsbp('RDS.8', 'RDS DB instances should have deletion protection enabled')],
  remediation: 'aws rds modify-db-instance --db-instance-identifier <db> --deletion-protection --apply-immediately',
  tags: ['resilience', 'database'],
  check: (resource) =>
    flagCheck(resource, {
      attribute: 'deletionProtection',
      bad: false,
      noun: 'RDS instance',
      failure: 'has deletion protection turned off',
      question: 'has deletion protection',
    }),
});
