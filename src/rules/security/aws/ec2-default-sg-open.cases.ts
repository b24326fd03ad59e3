// The cases AWS-EC2-010 is tested on (test/unit/rule-cases.test.ts); not shipped.

import { defineCases, resource, securityGroup } from '../../cases.js';

export const cases = defineCases({
  pass: [{ resource: securityGroup([], { isDefault: true }) }],
  fail: [
    {
      resource: resource(
        'aws.ec2.security-group',
        { ingress: [{ protocol: 'all', source: 'sg-self' }], isDefault: true },
        { id: 'sg-0default', name: 'default' },
      ),
      finding: { message: 'Default security group "default" (sg-0default) has 1 inbound rule(s) (from sg-self) instead of none.' },
    },
  ],
});
