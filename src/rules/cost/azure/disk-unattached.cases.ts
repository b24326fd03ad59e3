import * as pricing from '../../../pricing/catalog.js';
import { attachedDisk, azureVm, defineCostCases, priced, resource } from '../../cases.js';

const unattached = resource('azure.compute.disk', { volumeType: 'Premium_LRS', sizeGb: 128 }, { state: 'Unattached' });

export const cases = defineCostCases({
  recommend: [
    {
      name: 'unattached',
      resource: unattached,
      action: 'delete-volume',
      saving: priced(pricing.azureDiskMonth('Premium_LRS', 128, unattached.region), 'month'),
    },
  ],
  leave: [
    {
      name: 'attached to a VM',
      resource: attachedDisk('azure.compute.disk', { volumeType: 'Premium_LRS', sizeGb: 128 }, azureVm('Standard_D2s_v5'), {
        state: 'Attached',
      }),
    },
  ],
});
