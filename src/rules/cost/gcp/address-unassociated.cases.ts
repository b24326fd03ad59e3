import * as pricing from '../../../pricing/catalog.js';
import { defineCostCases, priced, resource } from '../../cases.js';

const address = (addressType: string) =>
  resource('gcp.compute.address', { addressType, associated: false }, { state: 'RESERVED', region: 'europe-west1' });
const reserved = address('EXTERNAL');

export const cases = defineCostCases({
  recommend: [
    {
      name: 'an external address reserved for nothing',
      resource: reserved,
      action: 'release-address',
      saving: priced(pricing.gcpAddressHour(false, reserved.region), 'hour'),
      proposal: {
        cli: [`gcloud compute addresses delete ${reserved.name} --region ${reserved.region} --project ${reserved.account} --quiet`],
      },
    },
  ],
  leave: [{ name: 'an internal address (free)', resource: address('INTERNAL') }],
});
