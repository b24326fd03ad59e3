// The cases GCP-NET-004 is tested on (test/unit/rule-cases.test.ts); not shipped.

import { defineCases, firewall, internal, world } from '../../cases.js';

export const cases = defineCases({
  pass: [{ resource: firewall([internal(5432)]) }],
  fail: [{ resource: firewall([world(27017)]) }],
});
