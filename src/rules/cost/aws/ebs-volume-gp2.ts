// AWS-COST-006: EBS volume is gp2 where gp3 costs less.

import { defineCostRule, difference, fact, monthly, NONE, recommend } from '../../cost.js';
import { label } from '../../rule.js';

export const rule = defineCostRule({
  id: 'AWS-COST-006',
  slug: 'ebs-volume-gp2',
  title: 'EBS volume is gp2 where gp3 costs less',
  description:
    'gp3 costs 20 % less per GiB than gp2 and gives every volume a 3,000 IOPS baseline; the change is made in place with no detach and no downtime. Volumes whose gp2 IOPS exceed 3,000 are priced with those IOPS provisioned on gp3.',
  kinds: ['aws.ec2.volume'],
  action: 'change-volume-type',
  metrics: [],
  remediation: 'aws ec2 modify-volume --volume-id <volume-id> --volume-type gp3 (add --iops to keep a gp2 volume above 3,000 IOPS).',
  tags: ['gp3', 'storage'],
  recommend: (volume, context) => {
    if (volume.attributes.volumeType !== 'gp2') return NONE;
    const size = Number(volume.attributes.sizeGb ?? 0);
    // gp2 gives 3 IOPS per GiB (at least 100); gp3 includes 3,000, more are provisioned.
    const iops = typeof volume.attributes.iops === 'number' ? volume.attributes.iops : Math.max(100, 3 * size);
    const gp3Iops = Math.max(3000, iops);
    const where = `in ${volume.region}`;
    const saving = difference(
      monthly(context.pricing.ebsVolumeMonth('gp2', size, undefined, volume.region), `gp2 ${where}`),
      monthly(context.pricing.ebsVolumeMonth('gp3', size, gp3Iops, volume.region), `gp3 ${where}`),
    );
    if ('amount' in saving && saving.amount <= 0) return NONE;
    return recommend({
      summary: `Change ${label('EBS volume', volume)} from gp2 to gp3: the same size and at least the same IOPS cost less.`,
      saving,
      evidence: [fact(`gp2, ${size} GiB, ${iops} IOPS`)],
      risk: 'Done in place while the volume stays in use; gp3 starts at 125 MiB/s throughput, below what a large gp2 volume bursts to: add --throughput if the workload needs it. The volume cannot be modified again for 6 hours.',
      cli: [
        `aws ec2 modify-volume --region ${volume.region} --volume-id ${volume.id} --volume-type gp3${gp3Iops > 3000 ? ` --iops ${gp3Iops}` : ''}`,
      ],
    });
  },
});
