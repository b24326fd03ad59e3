// The cases AZ-CMP-005 is tested on (test/unit/rule-cases.test.ts); not shipped.

import { defineCases, resource } from '../../cases.js';

export const cases = defineCases({
  pass: [{ resource: resource('azure.compute.snapshot', { networkAccessPolicy: 'AllowPrivate' }) }],
  fail: [{ resource: resource('azure.compute.snapshot', { networkAccessPolicy: 'AllowAll' }) }],
});
