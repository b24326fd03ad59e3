// The cases AZ-CMP-003 is tested on (test/unit/rule-cases.test.ts); not shipped.

import { defineCases, resource } from '../../cases.js';

export const cases = defineCases({
  pass: [{ resource: resource('azure.compute.vm', { managedDisks: true }) }],
  fail: [{ resource: resource('azure.compute.vm', { managedDisks: false }) }],
});
