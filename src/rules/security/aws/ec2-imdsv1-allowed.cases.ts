// The cases AWS-EC2-015 is tested on (test/unit/rule-cases.test.ts); not shipped.

import { defineCases, resource } from '../../cases.js';

export const cases = defineCases({
  pass: [{ resource: resource('aws.ec2.instance', { imdsV1Allowed: false }) }],
  fail: [{ resource: resource('aws.ec2.instance', { imdsV1Allowed: true }) }],
  unknown: [
    {
      name: 'an instance whose metadata options were not reported',
      resource: resource('aws.ec2.instance', {}),
      missing: ['imdsV1Allowed'],
    },
  ],
});
