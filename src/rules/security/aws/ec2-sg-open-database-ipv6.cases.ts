// The cases AWS-EC2-017 is tested on (test/unit/rule-cases.test.ts); not shipped.

import { defineCases, securityGroup, world } from '../../cases.js';

export const cases = defineCases({
  pass: [{ resource: securityGroup([world(5432, '10.0.0.0/8')]) }],
  fail: [{ resource: securityGroup([world(6379, '::/0')]) }],
});
