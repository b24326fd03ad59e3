import * as pricing from '../../../pricing/catalog.js';
import { defineCostCases, priced, resource } from '../../cases.js';

const loose = resource('gcp.compute.disk', { volumeType: 'pd-ssd', sizeGb: 200, attached: false });

export const cases = defineCostCases({
  recommend: [
    {
      name: 'attached to nothing',
      resource: loose,
      action: 'delete-volume',
      saving: priced(pricing.gcpDiskMonth('pd-ssd', 200, loose.region), 'month'),
    },
  ],
  leave: [{ name: 'attached', resource: resource('gcp.compute.disk', { volumeType: 'pd-balanced', sizeGb: 50, attached: true }) }],
});
