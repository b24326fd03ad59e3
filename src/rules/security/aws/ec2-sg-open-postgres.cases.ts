// The cases AWS-EC2-005 is tested on (test/unit/rule-cases.test.ts); not shipped.

import { defineCases, securityGroup, world } from '../../cases.js';

export const cases = defineCases({
  pass: [{ resource: securityGroup([world(5432, 'sg-0app')]) }],
  fail: [{ resource: securityGroup([world(5432)]) }],
});
