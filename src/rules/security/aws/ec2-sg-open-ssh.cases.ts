// The cases AWS-EC2-001 is tested on (test/unit/rule-cases.test.ts); not shipped.

import { defineCases, internal, resource, securityGroup, world } from '../../cases.js';

export const cases = defineCases({
  pass: [{ resource: securityGroup([internal(22), world(443)]) }],
  fail: [
    { name: 'SSH open to 0.0.0.0/0', resource: securityGroup([world(22)]) },
    {
      name: 'SSH open to 0.0.0.0/0 among planned ingress partly known only after apply',
      resource: securityGroup([world(22)], { unknownAfterApply: ['ingress'] }),
    },
  ],
  unknown: [{ name: 'a group whose ingress was not reported', resource: resource('aws.ec2.security-group', {}), missing: ['ingress'] }],
});
