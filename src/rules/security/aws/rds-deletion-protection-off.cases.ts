// The cases AWS-RDS-004 is tested on (test/unit/rule-cases.test.ts); not shipped.

import { defineCases, resource } from '../../cases.js';

export const cases = defineCases({
  pass: [{ resource: resource('aws.rds.instance', { deletionProtection: true }) }],
  fail: [{ resource: resource('aws.rds.instance', { deletionProtection: false }) }],
});
