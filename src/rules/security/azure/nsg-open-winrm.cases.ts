// The cases AZ-NET-005 is tested on (test/unit/rule-cases.test.ts); not shipped.

import { defineCases, nsg, world } from '../../cases.js';

export const cases = defineCases({
  pass: [{ resource: nsg([{ ...world(5986, '10.0.0.0/8'), priority: 100 }]) }],
  fail: [{ resource: nsg([{ ...world(5985, '0.0.0.0/0'), priority: 100 }]) }],
});
