// The cases AWS-EC2-004 is tested on (test/unit/rule-cases.test.ts); not shipped.

import { defineCases, internal, securityGroup, world } from '../../cases.js';

export const cases = defineCases({
  pass: [{ resource: securityGroup([internal(3306)]) }],
  fail: [{ resource: securityGroup([world(3306)]) }],
  unknown: [
    {
      name: 'a planned group with part of its ingress known only after apply',
      resource: securityGroup([world(22)], { unknownAfterApply: ['ingress'] }),
      missing: ['ingress'],
    },
  ],
});
