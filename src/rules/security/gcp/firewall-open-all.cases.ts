// The cases GCP-NET-003 is tested on (test/unit/rule-cases.test.ts); not shipped.

import { defineCases, firewall, world } from '../../cases.js';

export const cases = defineCases({
  pass: [{ resource: firewall([world(443)]) }],
  fail: [{ resource: firewall([{ protocol: 'all', source: '0.0.0.0/0', action: 'allow' }]) }],
});
