// AWS-RDS-003: RDS instance has automated backups turned off.

import { fsbp } from '../../references.js';
import { defineRule, fail, label, PASS, unknown } from '../../rule.js';

export const rule = defineRule({
  id: 'AWS-RDS-003',
  slug: 'rds-no-backups',
  title: 'RDS instance has automated backups turned off',
  description:
    'The backup retention period is 0, so the instance has no automated backups and no point-in-time recovery: a bad migration, a ransomware attack or an accidental DELETE cannot be undone.',
  severity: 'high',
  kinds: ['aws.rds.instance'],
  references: [fsbp('RDS.11', 'RDS instances should have automatic backups enabled')],
  remediation: 'aws rds modify-db-instance --db-instance-identifier <db> --backup-retention-period 7 --apply-immediately',
  tags: ['resilience', 'database', 'backup'],
  check(resource) {
    const days = resource.attributes.backupRetentionDays;
    if (typeof days !== 'number')
      return unknown(resource, label('RDS instance', resource), ['backupRetentionDays'], 'has automated backups');
    return days > 0 ? PASS : fail(`${label('RDS instance', resource)} has automated backups turned off (retention ${days} days).`);
  },
});
