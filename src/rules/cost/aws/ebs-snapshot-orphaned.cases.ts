import * as pricing from '../../../pricing/catalog.js';
import { attachedDisk, defineCostCases, ec2, priced, snapshotOf } from '../../cases.js';

const orphan = snapshotOf('aws.ec2.snapshot', 400, 'vol-gone');
const volume = attachedDisk('aws.ec2.volume', { volumeType: 'gp3', sizeGb: 100, iops: 3000 }, ec2('m6i.large'));

export const cases = defineCostCases({
  recommend: [
    {
      name: '400 days old, its volume gone',
      resource: orphan,
      action: 'delete-snapshot',
      saving: priced(pricing.ebsSnapshotMonth(100, orphan.region), 'month'),
    },
  ],
  leave: [
    { name: 'of a volume that still exists', resource: snapshotOf('aws.ec2.snapshot', 400, volume.id), others: [volume] },
    { name: 'an image is built on it', resource: orphan, snapshotsInUse: [orphan.id] },
  ],
  unjudged: [
    {
      name: 'when the listing of volumes failed',
      resource: snapshotOf('aws.ec2.snapshot', 400, 'vol-gone'),
      listed: false,
      reason: `the aws.ec2.volume listing of ${orphan.account} failed: cannot tell whether vol-gone is gone`,
    },
  ],
});
