// The cases AWS-EC2-003 is tested on (test/unit/rule-cases.test.ts); not shipped.

import { defineCases, securityGroup, world } from '../../cases.js';

export const cases = defineCases({
  pass: [{ resource: securityGroup([world(22, '10.0.0.0/8'), world(443, '::/0')]) }],
  fail: [{ resource: securityGroup([world(3389, '::/0')]) }],
});
