// The cases AZ-NET-001 is tested on (test/unit/rule-cases.test.ts); not shipped.

import { defineCases, nsg, world } from '../../cases.js';

export const cases = defineCases({
  pass: [
    {
      name: 'an allow from Internet shadowed by an earlier deny',
      resource: nsg([
        { ...world(22, 'Internet'), priority: 200 },
        { protocol: 'all', source: '*', action: 'deny', priority: 100 },
      ]),
    },
  ],
  fail: [{ resource: nsg([{ ...world(22, '*'), priority: 200 }]) }],
});
