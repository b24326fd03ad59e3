import * as pricing from '../../../pricing/catalog.js';
import { attachedDisk, defineCostCases, ec2, minus, priced, resource } from '../../cases.js';

const gp2 = resource('aws.ec2.volume', { volumeType: 'gp2', sizeGb: 500, iops: 1500 }, { state: 'in-use' });

export const cases = defineCostCases({
  recommend: [
    {
      name: 'a 500 GB gp2 volume, priced against gp3 at its baseline',
      resource: gp2,
      action: 'change-volume-type',
      saving: minus(
        priced(pricing.ebsVolumeMonth('gp2', 500, undefined, gp2.region), 'month'),
        priced(pricing.ebsVolumeMonth('gp3', 500, 3000, gp2.region), 'month'),
      ),
    },
  ],
  leave: [
    { name: 'already gp3', resource: attachedDisk('aws.ec2.volume', { volumeType: 'gp3', sizeGb: 100, iops: 3000 }, ec2('m6i.large')) },
  ],
});
