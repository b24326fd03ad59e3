// The cases AZ-NET-002 is tested on (test/unit/rule-cases.test.ts); not shipped.

import { defineCases, nsg, world } from '../../cases.js';

export const cases = defineCases({
  pass: [{ resource: nsg([{ ...world(3389, 'VirtualNetwork'), priority: 100 }]) }],
  fail: [{ resource: nsg([{ ...world(3389, 'Internet'), priority: 300 }]) }],
});
