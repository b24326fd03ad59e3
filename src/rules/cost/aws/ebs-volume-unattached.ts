// AWS-COST-005: EBS volume is attached to nothing.

import { defineCostRule, fact, NONE, recommend, shellWord } from '../../cost.js';
import { AWS_MACHINES } from '../../machines.js';
import { label } from '../../rule.js';

export const rule = defineCostRule({
  id: 'AWS-COST-005',
  slug: 'ebs-volume-unattached',
  title: 'EBS volume is attached to nothing',
  description:
    'The volume is in the available state: no instance uses it, and EBS bills every provisioned GiB whether or not it is attached. A snapshot keeps its data for a fraction of the price.',
  kinds: ['aws.ec2.volume'],
  action: 'delete-volume',
  metrics: [],
  remediation: 'Snapshot the volume, wait for the snapshot to complete, then delete the volume (the commands in the recommendation).',
  tags: ['unattached', 'storage'],
  recommend: (volume, context) => {
    if (volume.state !== 'available' || volume.relations.some((r) => r.type === 'attached-to')) return NONE;
    return recommend({
      summary: `Delete ${label('EBS volume', volume)} after a snapshot: it is attached to no instance.`,
      saving: AWS_MACHINES.disk(volume, context),
      evidence: [
        fact(`state available, attached to no instance (${String(volume.attributes.volumeType)}, ${String(volume.attributes.sizeGb)} GiB)`),
      ],
      risk: 'Whoever detached it may mean to attach it again; the snapshot taken first restores it (create-volume --snapshot-id).',
      cli: [
        `aws ec2 create-snapshot --region ${volume.region} --volume-id ${volume.id} --description ${shellWord(`before deleting ${volume.id}`)}`,
        `aws ec2 wait snapshot-completed --region ${volume.region} --filters Name=volume-id,Values=${volume.id}`,
        `aws ec2 delete-volume --region ${volume.region} --volume-id ${volume.id}`,
      ],
    });
  },
});
