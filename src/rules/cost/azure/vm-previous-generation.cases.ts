import { azureVm, defineCostCases } from '../../cases.js';

export const cases = defineCostCases({
  recommend: [{ name: 'a Dv2', resource: azureVm('Standard_D2_v2'), action: 'modernize' }],
  leave: [{ name: 'a current-generation Dsv5', resource: azureVm('Standard_D2s_v5') }],
});
