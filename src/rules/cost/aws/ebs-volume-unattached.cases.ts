import * as pricing from '../../../pricing/catalog.js';
import { attachedDisk, defineCostCases, ec2, priced, resource } from '../../cases.js';

const available = resource('aws.ec2.volume', { volumeType: 'gp3', sizeGb: 100 }, { state: 'available' });

export const cases = defineCostCases({
  recommend: [
    {
      name: 'available (attached to nothing)',
      resource: available,
      action: 'delete-volume',
      saving: priced(pricing.ebsVolumeMonth('gp3', 100, undefined, available.region), 'month'),
    },
  ],
  leave: [
    {
      name: 'attached to an instance',
      resource: attachedDisk('aws.ec2.volume', { volumeType: 'gp3', sizeGb: 100, iops: 3000 }, ec2('m6i.large')),
    },
  ],
});
