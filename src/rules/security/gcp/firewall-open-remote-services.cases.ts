// The cases GCP-NET-005 is tested on (test/unit/rule-cases.test.ts); not shipped.

import { defineCases, firewall, world } from '../../cases.js';

export const cases = defineCases({
  pass: [{ resource: firewall([world(8443)]) }],
  fail: [{ resource: firewall([world(5900)]) }],
});
