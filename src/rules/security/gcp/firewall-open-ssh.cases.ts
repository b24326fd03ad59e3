// The cases GCP-NET-001 is tested on (test/unit/rule-cases.test.ts); not shipped.

import { defineCases, firewall, internal, world } from '../../cases.js';

export const cases = defineCases({
  pass: [{ resource: firewall([internal(22)]) }],
  fail: [{ resource: firewall([world(22)]) }],
});
