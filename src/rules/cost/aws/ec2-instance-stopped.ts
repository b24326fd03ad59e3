// AWS-COST-004: EC2 instance stopped for weeks still pays for its disks.

import { defineCostRule } from '../../cost.js';
import { AWS_MACHINES, stoppedMachine } from '../../machines.js';

export const rule = defineCostRule({
  id: 'AWS-COST-004',
  slug: 'ec2-instance-stopped',
  title: 'EC2 instance stopped for weeks still pays for its disks',
  description:
    'The EC2 instance has been stopped for longer than the threshold (default 30 days). Its compute is not billed while it is stopped, but every disk attached to it is. A snapshot of each disk keeps what is needed to bring it back at a fraction of the price.',
  kinds: ['aws.ec2.instance'],
  reads: ['aws.ec2.volume'],
  action: 'delete-stopped',
  metrics: [],
  remediation: 'Snapshot its disks, then delete the machine and its disks (the commands in the recommendation).',
  tags: ['stopped', 'storage'],
  recommend: (resource, context) => stoppedMachine(AWS_MACHINES, resource, context),
});
