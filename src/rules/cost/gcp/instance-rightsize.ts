// GCP-COST-002: GCE instance is larger than its load needs.

import { defineCostRule } from '../../cost.js';
import { GCP_MACHINES, rightsizeMachine } from '../../machines.js';

export const rule = defineCostRule({
  id: 'GCP-COST-002',
  slug: 'instance-rightsize',
  title: 'GCE instance is larger than its load needs',
  description:
    'The p95 CPU of the GCE instance (and its memory where the cloud publishes it) stayed under the rightsizing threshold (default 40 %) for the whole window. One size down in its family halves its capacity and roughly halves its price; the saving is priced at the target type.',
  kinds: ['gcp.compute.instance'],
  action: 'resize',
  metrics: ['cpu', 'network', 'memory'],
  remediation: 'Resize it one size down in its family (the commands in the recommendation); the machine restarts.',
  tags: ['rightsizing', 'compute'],
  recommend: (resource, context) => rightsizeMachine(GCP_MACHINES, resource, context),
});
