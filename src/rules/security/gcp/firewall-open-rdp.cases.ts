// The cases GCP-NET-002 is tested on (test/unit/rule-cases.test.ts); not shipped.

import { defineCases, firewall, world } from '../../cases.js';

export const cases = defineCases({
  pass: [{ resource: firewall([world(3389)], { disabled: true }) }],
  fail: [{ resource: firewall([world(3389)]) }],
});
