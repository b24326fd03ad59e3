// GCP-COST-007: old snapshot whose source disk is gone.

import { defineCostRule, monthly, shellWord } from '../../cost.js';
import { orphanedSnapshot } from '../../storage.js';

export const rule = defineCostRule({
  id: 'GCP-COST-007',
  slug: 'snapshot-orphaned',
  title: 'Old snapshot whose source disk is gone',
  description:
    'The snapshot is older than the threshold (default 90 days) and the persistent disk it was taken from no longer exists, so it backs up nothing that runs: it is kept, and billed per GiB-month of storage, only if someone still needs that old data.',
  kinds: ['gcp.compute.snapshot'],
  reads: ['gcp.compute.disk'],
  action: 'delete-snapshot',
  metrics: [],
  remediation: 'gcloud compute snapshots delete <name> (after checking nobody needs the data).',
  tags: ['snapshot', 'storage'],
  recommend: (snapshot, context) => {
    const bytes = typeof snapshot.attributes.storageBytes === 'number' ? snapshot.attributes.storageBytes : undefined;
    return orphanedSnapshot(snapshot, context, {
      noun: 'snapshot',
      sourceKind: 'gcp.compute.disk',
      saving:
        bytes === undefined
          ? { unpriced: 'the snapshot did not report its storage size' }
          : monthly(context.pricing.gcpSnapshotMonth(bytes / 1024 ** 3, snapshot.region), 'snapshot storage'),
      cli: [`gcloud compute snapshots delete ${shellWord(snapshot.name)} --project ${shellWord(snapshot.account)} --quiet`],
    });
  },
});
