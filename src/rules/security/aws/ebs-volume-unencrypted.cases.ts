// The cases AWS-EC2-011 is tested on (test/unit/rule-cases.test.ts); not shipped.

import { defineCases, resource } from '../../cases.js';

export const cases = defineCases({
  pass: [{ resource: resource('aws.ec2.volume', { encrypted: true }) }],
  fail: [{ resource: resource('aws.ec2.volume', { encrypted: false }) }],
  unknown: [
    { name: 'a volume whose encryption was not reported', resource: resource('aws.ec2.volume', {}), missing: ['encrypted'] },
    {
      name: 'a planned volume whose encryption is known only after apply',
      resource: resource('aws.ec2.volume', { unknownAfterApply: ['encrypted'] }),
      missing: ['encrypted'],
    },
  ],
});
