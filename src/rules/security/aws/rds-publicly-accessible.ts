// AWS-RDS-002: RDS instance is publicly accessible.

import { flagCheck } from '../../attributes.js';
import { cis, fsbp } from '../../references.js';
import { defineRule } from '../../rule.js';

export const rule = defineRule({
  id: 'AWS-RDS-002',
  slug: 'rds-publicly-accessible',
  title: 'RDS instance is publicly accessible',
  description:
    'PubliclyAccessible is true: the endpoint resolves to a public IP and only the security group stands between the database and the Internet.',
  severity: 'critical',
  kinds: ['aws.rds.instance'],
  references: [
    cis('cis-aws', '2.3.3', 'Ensure that public access is not given to RDS Instance'),
    fsbp('RDS.2', 'RDS DB Instances should prohibit public access'),
  ],
  remediation: 'aws rds modify-db-instance --db-instance-identifier <db> --no-publicly-accessible --apply-immediately',
  tags: ['exposure', 'database'],
  check: (resource) =>
    flagCheck(resource, {
      attribute: 'public',
      bad: true,
      noun: 'RDS instance',
      failure: 'is publicly accessible',
      question: 'is publicly accessible',
    }),
});
