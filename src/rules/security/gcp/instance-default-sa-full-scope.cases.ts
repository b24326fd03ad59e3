// The cases GCP-CMP-001 is tested on (test/unit/rule-cases.test.ts); not shipped.

import { defineCases, gceInstance, resource } from '../../cases.js';

export const cases = defineCases({
  pass: [{ resource: gceInstance({}) }],
  fail: [{ resource: gceInstance({ serviceAccount: '123456789012-compute@developer.gserviceaccount.com' }) }],
  unknown: [
    {
      name: 'an instance whose service account and scopes were not reported',
      resource: resource('gcp.compute.instance', {}),
      missing: ['serviceAccount', 'serviceAccountScopes'],
    },
  ],
});
