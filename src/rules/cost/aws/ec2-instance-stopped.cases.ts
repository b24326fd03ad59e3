import * as pricing from '../../../pricing/catalog.js';
import { attachedDisk, defineCostCases, ec2, priced, stoppedFor } from '../../cases.js';

const longStopped = stoppedFor(ec2('m6i.large', 'stopped'), 45);
const longStoppedDisk = attachedDisk('aws.ec2.volume', { volumeType: 'gp3', sizeGb: 100, iops: 3000 }, longStopped);
const recentlyStopped = stoppedFor(ec2('m6i.large', 'stopped'), 10);

export const cases = defineCostCases({
  recommend: [
    {
      name: 'stopped for 45 days, its disk still billed',
      resource: longStopped,
      others: [longStoppedDisk],
      action: 'delete-stopped',
      saving: priced(pricing.ebsVolumeMonth('gp3', 100, 3000, longStopped.region), 'month'),
    },
  ],
  leave: [
    {
      name: 'stopped for 45 days, under a 60-day threshold',
      resource: longStopped,
      others: [longStoppedDisk],
      thresholds: { stoppedDays: 60 },
    },
    {
      name: 'stopped for 10 days',
      resource: recentlyStopped,
      others: [attachedDisk('aws.ec2.volume', { volumeType: 'gp3', sizeGb: 100, iops: 3000 }, recentlyStopped)],
    },
  ],
  unjudged: [
    {
      name: 'stopped at a time the cloud did not report',
      resource: ec2('m6i.large', 'stopped'),
      reason: 'the cloud did not say when the machine stopped',
    },
  ],
});
