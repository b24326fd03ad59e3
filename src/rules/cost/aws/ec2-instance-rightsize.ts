// AWS-COST-002: EC2 instance is larger than its load needs.

import { defineCostRule } from '../../cost.js';
import { AWS_MACHINES, rightsizeMachine } from '../../machines.js';

export const rule = defineCostRule({
  id: 'AWS-COST-002',
  slug: 'ec2-instance-rightsize',
  title: 'EC2 instance is larger than its load needs',
  description:
    'The p95 CPU of the EC2 instance (and its memory where the cloud publishes it) stayed under the rightsizing threshold (default 40 %) for the whole window. One size down in its family halves its capacity and roughly halves its price; the saving is priced at the target type.',
  kinds: ['aws.ec2.instance'],
  action: 'resize',
  metrics: ['cpu', 'network', 'memory'],
  remediation: 'Resize it one size down in its family (the commands in the recommendation); the machine restarts.',
  tags: ['rightsizing', 'compute'],
  recommend: (resource, context) => rightsizeMachine(AWS_MACHINES, resource, context),
});
