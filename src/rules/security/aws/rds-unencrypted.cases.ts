// The cases AWS-RDS-001 is tested on (test/unit/rule-cases.test.ts); not shipped.

import { defineCases, resource } from '../../cases.js';

export const cases = defineCases({
  pass: [{ resource: resource('aws.rds.instance', { encrypted: true }) }],
  fail: [{ resource: resource('aws.rds.instance', { encrypted: false }) }],
});
