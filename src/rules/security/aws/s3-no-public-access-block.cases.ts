// The cases AWS-S3-001 is tested on (test/unit/rule-cases.test.ts); not shipped.

import { defineCases, resource } from '../../cases.js';

export const cases = defineCases({
  pass: [{ resource: resource('aws.s3.bucket', { publicAccessBlock: true }) }],
  fail: [{ resource: resource('aws.s3.bucket', { publicAccessBlock: false }) }],
});
