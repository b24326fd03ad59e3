import * as pricing from '../../../pricing/catalog.js';
import { attachedDisk, azureVm, defineCostCases, priced, stoppedFor } from '../../cases.js';

const deallocated = stoppedFor(azureVm('Standard_D2s_v5', 'deallocated'), 60);
const running = azureVm('Standard_D2s_v5');

export const cases = defineCostCases({
  recommend: [
    {
      name: 'deallocated for 60 days, its disk still billed',
      resource: deallocated,
      others: [attachedDisk('azure.compute.disk', { volumeType: 'Premium_LRS', sizeGb: 128 }, deallocated)],
      action: 'delete-stopped',
      saving: priced(pricing.azureDiskMonth('Premium_LRS', 128, deallocated.region), 'month'),
    },
  ],
  leave: [
    {
      name: 'running',
      resource: running,
      others: [attachedDisk('azure.compute.disk', { volumeType: 'Premium_LRS', sizeGb: 128 }, running)],
    },
  ],
  unjudged: [
    {
      name: 'deallocated at a time the cloud did not report',
      resource: azureVm('Standard_D2s_v5', 'deallocated'),
      reason: 'the cloud did not say when the machine stopped',
    },
  ],
});
