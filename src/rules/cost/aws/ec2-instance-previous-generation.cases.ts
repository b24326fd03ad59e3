import { defineCostCases, ec2 } from '../../cases.js';

export const cases = defineCostCases({
  recommend: [{ name: 'an m4', resource: ec2('m4.xlarge'), action: 'modernize' }],
  leave: [{ name: 'a current-generation m6i', resource: ec2('m6i.xlarge') }],
});
