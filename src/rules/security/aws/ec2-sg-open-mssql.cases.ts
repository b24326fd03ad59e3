// The cases AWS-EC2-006 is tested on (test/unit/rule-cases.test.ts); not shipped.

import { defineCases, internal, securityGroup, world } from '../../cases.js';

export const cases = defineCases({
  pass: [{ resource: securityGroup([internal(1433)]) }],
  fail: [{ resource: securityGroup([world(1433)]) }],
});
