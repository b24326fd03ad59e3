// The cases AWS-EC2-009 is tested on (test/unit/rule-cases.test.ts); not shipped.

import { defineCases, securityGroup, world } from '../../cases.js';

export const cases = defineCases({
  pass: [{ resource: securityGroup([world(443), world(80, '::/0')]) }],
  fail: [{ resource: securityGroup([{ protocol: 'all', source: '0.0.0.0/0', action: 'allow' }]) }],
});
