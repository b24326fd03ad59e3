// The cases GCP-CMP-003 is tested on (test/unit/rule-cases.test.ts); not shipped.

import { defineCases, gceInstance } from '../../cases.js';

export const cases = defineCases({
  pass: [{ resource: gceInstance({}) }],
  fail: [{ resource: gceInstance({ projectSshKeysBlocked: false }) }],
});
