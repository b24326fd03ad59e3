// The cases AZ-NET-003 is tested on (test/unit/rule-cases.test.ts); not shipped.

import { defineCases, nsg, world } from '../../cases.js';

export const cases = defineCases({
  pass: [{ resource: nsg([{ ...world(1433, '10.1.0.0/16'), priority: 100 }]) }],
  fail: [{ resource: nsg([{ ...world(1433, 'Internet'), priority: 300 }]) }],
});
