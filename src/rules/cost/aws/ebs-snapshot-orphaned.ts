// AWS-COST-008: old EBS snapshot whose source volume is gone.

import { defineCostRule, monthly } from '../../cost.js';
import { orphanedSnapshot } from '../../storage.js';

export const rule = defineCostRule({
  id: 'AWS-COST-008',
  slug: 'ebs-snapshot-orphaned',
  title: 'Old EBS snapshot whose source volume is gone',
  description:
    'The snapshot is older than the threshold (default 90 days) and the volume it was taken from no longer exists, so it backs up nothing that runs: it is kept, and billed per GiB-month, only if someone still needs that old data.',
  kinds: ['aws.ec2.snapshot'],
  reads: ['aws.ec2.volume', 'aws.ec2.image'],
  action: 'delete-snapshot',
  metrics: [],
  remediation: 'aws ec2 delete-snapshot --snapshot-id <snapshot-id> (after checking nobody needs the data).',
  tags: ['snapshot', 'storage'],
  recommend: (snapshot, context) =>
    orphanedSnapshot(snapshot, context, {
      noun: 'EBS snapshot',
      sourceKind: 'aws.ec2.volume',
      saving: monthly(
        context.pricing.ebsSnapshotMonth(Number(snapshot.attributes.sizeGb ?? 0), snapshot.region),
        `EBS snapshots in ${snapshot.region}`,
      ),
      cli: [`aws ec2 delete-snapshot --region ${snapshot.region} --snapshot-id ${snapshot.id}`],
    }),
});
