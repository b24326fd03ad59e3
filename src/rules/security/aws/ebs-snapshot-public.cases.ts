// The cases AWS-EC2-013 is tested on (test/unit/rule-cases.test.ts); not shipped.

import { defineCases, resource } from '../../cases.js';

export const cases = defineCases({
  pass: [{ resource: resource('aws.ec2.snapshot', { public: false }) }],
  fail: [{ resource: resource('aws.ec2.snapshot', { public: true }) }],
});
