// AWS-COST-001: EC2 instance is idle.

import { defineCostRule } from '../../cost.js';
import { AWS_MACHINES, idleMachine } from '../../machines.js';

export const rule = defineCostRule({
  id: 'AWS-COST-001',
  slug: 'ec2-instance-idle',
  title: 'EC2 instance is idle',
  description:
    'The EC2 instance ran for the whole window with its p95 CPU and network below the idle thresholds (defaults: 5 % CPU, 10 KiB/s network): it is paid for by the hour and does nothing. Stopping it saves its compute; its disks are still billed.',
  kinds: ['aws.ec2.instance'],
  action: 'stop',
  metrics: ['cpu', 'network'],
  remediation: 'Stop it (the command in the recommendation), or delete it once its owner confirms nothing needs it.',
  tags: ['idle', 'compute'],
  recommend: (resource, context) => idleMachine(AWS_MACHINES, resource, context),
});
