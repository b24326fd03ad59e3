// The cases AZ-CMP-002 is tested on (test/unit/rule-cases.test.ts); not shipped.

import { defineCases, resource } from '../../cases.js';

export const cases = defineCases({
  pass: [{ resource: resource('azure.compute.disk', { cmek: true }) }],
  fail: [{ resource: resource('azure.compute.disk', { cmek: false }) }],
  unknown: [{ name: 'a disk whose encryption was not reported', resource: resource('azure.compute.disk', {}), missing: ['cmek'] }],
});
