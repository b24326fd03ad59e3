// AWS-COST-010: database had no connection over the window.

import { defineCostRule, metricEvidence, monthly, monthlyFromHour, NONE, recommend, shellWord, total } from '../../cost.js';
import { label } from '../../rule.js';

export const rule = defineCostRule({
  id: 'AWS-COST-010',
  slug: 'rds-idle',
  title: 'Database had no connection over the window',
  description:
    'Nobody connected to the database instance in the whole window (DatabaseConnections stayed 0), yet its instance hours and storage are billed. A final snapshot keeps the data for restoring it later.',
  kinds: ['aws.rds.instance'],
  action: 'delete-database',
  metrics: ['db-connections'],
  remediation: 'aws rds delete-db-instance --db-instance-identifier <name> --final-db-snapshot-identifier <name>-final',
  tags: ['idle', 'database'],
  recommend: (db, context) => {
    if (db.state !== 'available' || (db.createdAt !== undefined && db.createdAt > context.windowStart)) return NONE;
    const connections = context.metric(db, 'db-connections');
    if (connections.status === 'missing') return { status: 'undecided', reason: `connections: ${connections.reason}` };
    if (connections.status === 'no-data' || connections.max > 0) return NONE;
    const a = db.attributes;
    const multiAz = a.multiAz === true;
    const saving = total([
      monthlyFromHour(
        context.pricing.rdsInstanceHour(String(a.instanceType), String(a.engine), multiAz, db.region),
        `${String(a.instanceType)} ${String(a.engine)} in ${db.region}`,
      ),
      monthly(
        context.pricing.rdsStorageMonth(String(a.volumeType), Number(a.storageGb ?? 0), multiAz, db.region),
        `${String(a.volumeType)} RDS storage in ${db.region}`,
      ),
    ]);
    return recommend({
      summary: `Delete ${label('RDS instance', db)} with a final snapshot: nobody connected to it over the window.`,
      saving,
      evidence: [metricEvidence(connections, 'max', 0, 'at-most')],
      risk: 'An application that connects rarely (a monthly job) would find it gone; restore it from the final snapshot (restore-db-instance-from-db-snapshot), which is billed as snapshot storage.',
      cli: [
        `aws rds delete-db-instance --region ${db.region} --db-instance-identifier ${shellWord(db.name)} --final-db-snapshot-identifier ${shellWord(`${db.name}-final`)}`,
      ],
    });
  },
});
