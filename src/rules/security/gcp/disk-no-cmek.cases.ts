// The cases GCP-CMP-005 is tested on (test/unit/rule-cases.test.ts); not shipped.

import { defineCases, resource } from '../../cases.js';

export const cases = defineCases({
  pass: [{ resource: resource('gcp.compute.disk', { cmek: true }) }],
  fail: [{ resource: resource('gcp.compute.disk', { cmek: false }) }],
});
