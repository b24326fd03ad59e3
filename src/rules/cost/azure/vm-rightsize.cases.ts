import * as pricing from '../../../pricing/catalog.js';
import { azureVm, defineCostCases, idle, minus, priced, underused } from '../../cases.js';

const large = azureVm('Standard_D8s_v5');

export const cases = defineCostCases({
  recommend: [
    {
      name: 'under the rightsizing threshold, priced at the target size one down',
      resource: large,
      readings: underused,
      action: 'resize',
      saving: minus(
        priced(pricing.azureVmHour('Standard_D8s_v5', 'Linux', large.region), 'hour'),
        priced(pricing.azureVmHour('Standard_D4s_v5', 'Linux', large.region), 'hour'),
      ),
    },
  ],
  // An idle machine is the idle rule's: stopping it saves more than a size down.
  leave: [{ name: 'idle', resource: azureVm('Standard_D8s_v5'), readings: idle }],
  unjudged: [{ name: 'with its metrics missing', resource: azureVm('Standard_D8s_v5'), reason: 'CPU: offline' }],
});
