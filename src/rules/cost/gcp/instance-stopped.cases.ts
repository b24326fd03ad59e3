import * as pricing from '../../../pricing/catalog.js';
import { attachedDisk, defineCostCases, gce, priced, stoppedFor } from '../../cases.js';

const longStopped = stoppedFor(gce('e2-medium', 'TERMINATED'), 90);
const recentlyStopped = stoppedFor(gce('e2-medium', 'TERMINATED'), 3);
const pd = (machine: typeof longStopped) => attachedDisk('gcp.compute.disk', { volumeType: 'pd-balanced', sizeGb: 50 }, machine);

export const cases = defineCostCases({
  recommend: [
    {
      name: 'stopped for 90 days, its disk still billed',
      resource: longStopped,
      others: [pd(longStopped)],
      action: 'delete-stopped',
      saving: priced(pricing.gcpDiskMonth('pd-balanced', 50, longStopped.region), 'month'),
    },
  ],
  leave: [{ name: 'stopped for 3 days', resource: recentlyStopped, others: [pd(recentlyStopped)] }],
  unjudged: [
    {
      name: 'stopped at a time the cloud did not report',
      resource: gce('e2-medium', 'TERMINATED'),
      reason: 'the cloud did not say when the machine stopped',
    },
  ],
});
