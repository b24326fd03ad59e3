import * as pricing from '../../../pricing/catalog.js';
import { defineCostCases, priced, resource, snapshotOf } from '../../cases.js';

const storage = { storageBytes: 20 * 1024 ** 3 };
const orphan = snapshotOf('gcp.compute.snapshot', 400, '999', storage);
const disk = resource('gcp.compute.disk', { volumeType: 'pd-balanced', sizeGb: 50, attached: true });

export const cases = defineCostCases({
  recommend: [
    {
      name: '400 days old, its disk gone',
      resource: orphan,
      action: 'delete-snapshot',
      saving: priced(pricing.gcpSnapshotMonth(20, orphan.region), 'month'),
    },
  ],
  leave: [{ name: 'of a disk that still exists', resource: snapshotOf('gcp.compute.snapshot', 400, disk.id, storage), others: [disk] }],
  unjudged: [
    {
      name: 'when the listing of disks failed',
      resource: snapshotOf('gcp.compute.snapshot', 400, '999', storage),
      listed: false,
      reason: `the gcp.compute.disk listing of ${orphan.account} failed: cannot tell whether 999 is gone`,
    },
  ],
});
