import * as pricing from '../../../pricing/catalog.js';
import { defineCostCases, priced, resource } from '../../cases.js';

const loose = resource('azure.network.public-ip', { sku: 'Standard', addressType: 'Static' }, { state: 'unassociated' });

export const cases = defineCostCases({
  recommend: [
    {
      name: 'a static address associated with nothing',
      resource: loose,
      action: 'release-address',
      saving: priced(pricing.azurePublicIpHour('Standard', loose.region), 'hour'),
    },
  ],
  leave: [
    {
      name: 'on a NIC',
      resource: resource('azure.network.public-ip', { sku: 'Standard', ipConfigurationId: 'x' }, { state: 'associated' }),
    },
  ],
});
