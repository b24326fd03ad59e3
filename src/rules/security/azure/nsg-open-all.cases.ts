// The cases AZ-NET-004 is tested on (test/unit/rule-cases.test.ts); not shipped.

import { defineCases, nsg } from '../../cases.js';

export const cases = defineCases({
  pass: [{ resource: nsg([{ protocol: 'all', source: 'Internet', action: 'deny', priority: 4000 }]) }],
  fail: [{ resource: nsg([{ protocol: 'all', source: 'Internet', action: 'allow', priority: 100 }]) }],
});
