import { defineCostCases, gce } from '../../cases.js';

export const cases = defineCostCases({
  recommend: [{ name: 'an n1', resource: gce('n1-standard-4'), action: 'modernize' }],
  leave: [{ name: 'a current-generation e2', resource: gce('e2-standard-4') }],
});
