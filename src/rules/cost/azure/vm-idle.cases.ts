import * as pricing from '../../../pricing/catalog.js';
import { azureVm, busy, defineCostCases, idle, priced } from '../../cases.js';

const idleVm = azureVm('Standard_D4s_v5');

export const cases = defineCostCases({
  recommend: [
    {
      name: 'running with CPU and network under the idle thresholds',
      resource: idleVm,
      readings: idle,
      action: 'stop',
      saving: priced(pricing.azureVmHour('Standard_D4s_v5', 'Linux', idleVm.region), 'hour'),
    },
  ],
  leave: [{ name: 'busy', resource: azureVm('Standard_D4s_v5'), readings: busy }],
  unjudged: [{ name: 'with its metrics missing', resource: azureVm('Standard_D4s_v5'), reason: 'CPU: offline' }],
});
