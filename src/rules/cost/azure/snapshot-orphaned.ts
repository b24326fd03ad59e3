// AZ-COST-007: old snapshot whose source disk is gone.

import { defineCostRule, monthly, shellWord } from '../../cost.js';
import { orphanedSnapshot } from '../../storage.js';

export const rule = defineCostRule({
  id: 'AZ-COST-007',
  slug: 'snapshot-orphaned',
  title: 'Old snapshot whose source disk is gone',
  description:
    'The snapshot is older than the threshold (default 90 days) and the managed disk it was taken from no longer exists, so it backs up nothing that runs: it is kept, and billed per GiB-month, only if someone still needs that old data.',
  kinds: ['azure.compute.snapshot'],
  reads: ['azure.compute.disk'],
  action: 'delete-snapshot',
  metrics: [],
  remediation: 'az snapshot delete --ids <snapshot-id> (after checking nobody needs the data).',
  tags: ['snapshot', 'storage'],
  recommend: (snapshot, context) =>
    orphanedSnapshot(snapshot, context, {
      noun: 'snapshot',
      sourceKind: 'azure.compute.disk',
      saving: monthly(
        context.pricing.azureSnapshotMonth(Number(snapshot.attributes.sizeGb ?? 0), snapshot.region),
        `snapshots in ${snapshot.region}`,
      ),
      cli: [`az snapshot delete --ids ${shellWord(snapshot.id)}`],
    }),
});
