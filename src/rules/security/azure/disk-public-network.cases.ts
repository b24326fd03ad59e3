// The cases AZ-CMP-001 is tested on (test/unit/rule-cases.test.ts); not shipped.

import { defineCases, resource } from '../../cases.js';

export const cases = defineCases({
  pass: [{ resource: resource('azure.compute.disk', { networkAccessPolicy: 'DenyAll' }) }],
  fail: [{ resource: resource('azure.compute.disk', { networkAccessPolicy: 'AllowAll' }) }],
});
