// The cases AWS-EC2-012 is tested on (test/unit/rule-cases.test.ts); not shipped.

import { defineCases, resource } from '../../cases.js';

export const cases = defineCases({
  pass: [{ resource: resource('aws.ec2.snapshot', { encrypted: true }) }],
  fail: [{ resource: resource('aws.ec2.snapshot', { encrypted: false }) }],
});
