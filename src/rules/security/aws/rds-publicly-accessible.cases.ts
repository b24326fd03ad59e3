// The cases AWS-RDS-002 is tested on (test/unit/rule-cases.test.ts); not shipped.

import { defineCases, resource } from '../../cases.js';

export const cases = defineCases({
  pass: [{ resource: resource('aws.rds.instance', { public: false }) }],
  fail: [{ resource: resource('aws.rds.instance', { public: true }) }],
});
