// The cases AWS-RDS-003 is tested on (test/unit/rule-cases.test.ts); not shipped.

import { defineCases, resource } from '../../cases.js';

export const cases = defineCases({
  pass: [{ resource: resource('aws.rds.instance', { backupRetentionDays: 7 }) }],
  fail: [{ resource: resource('aws.rds.instance', { backupRetentionDays: 0 }) }],
  unknown: [
    {
      name: 'an instance whose backup retention was not reported',
      resource: resource('aws.rds.instance', {}),
      missing: ['backupRetentionDays'],
    },
  ],
});
