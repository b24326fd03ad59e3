// The cases AWS-EC2-002 is tested on (test/unit/rule-cases.test.ts); not shipped.

import { defineCases, internal, securityGroup } from '../../cases.js';

export const cases = defineCases({
  pass: [{ resource: securityGroup([internal(3389)]) }],
  fail: [
    {
      name: 'a port range from 0.0.0.0/0 that covers 3389',
      resource: securityGroup(
        [{ protocol: 'tcp', fromPort: 3000, toPort: 4000, source: '0.0.0.0/0' }],
        {},
        { id: 'sg-0range', name: 'apps' },
      ),
      finding: { message: 'Security group "apps" (sg-0range) allows RDP (tcp/3389) from 0.0.0.0/0.' },
    },
  ],
});
