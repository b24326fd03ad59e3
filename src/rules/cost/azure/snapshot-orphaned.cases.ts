import * as pricing from '../../../pricing/catalog.js';
import { daysAgo, defineCostCases, priced, snapshotOf } from '../../cases.js';

const gone = '/subscriptions/s/disks/gone';
const orphan = snapshotOf('azure.compute.snapshot', 500, gone);

export const cases = defineCostCases({
  recommend: [
    {
      name: '500 days old, its disk gone',
      resource: orphan,
      action: 'delete-snapshot',
      saving: priced(pricing.azureSnapshotMonth(100, orphan.region), 'month'),
    },
  ],
  leave: [
    { name: 'younger than the age threshold', resource: snapshotOf('azure.compute.snapshot', 20, gone) },
    { name: 'judged 30 days after it was taken', resource: orphan, now: new Date(Date.parse(daysAgo(500)) + 30 * 86_400_000) },
  ],
  unjudged: [
    {
      name: 'when the listing of disks failed',
      resource: snapshotOf('azure.compute.snapshot', 500, gone),
      listed: false,
      reason: `the azure.compute.disk listing of ${orphan.account} failed: cannot tell whether ${gone} is gone`,
    },
  ],
});
