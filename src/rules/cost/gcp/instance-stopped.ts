// GCP-COST-004: GCE instance stopped for weeks still pays for its disks.

import { defineCostRule } from '../../cost.js';
import { GCP_MACHINES, stoppedMachine } from '../../machines.js';

export const rule = defineCostRule({
  id: 'GCP-COST-004',
  slug: 'instance-stopped',
  title: 'GCE instance stopped for weeks still pays for its disks',
  description:
    'The GCE instance has been stopped for longer than the threshold (default 30 days). Its compute is not billed while it is stopped, but every disk attached to it is. A snapshot of each disk keeps what is needed to bring it back at a fraction of the price.',
  kinds: ['gcp.compute.instance'],
  reads: ['gcp.compute.disk'],
  action: 'delete-stopped',
  metrics: [],
  remediation: 'Snapshot its disks, then delete the machine and its disks (the commands in the recommendation).',
  tags: ['stopped', 'storage'],
  recommend: (resource, context) => stoppedMachine(GCP_MACHINES, resource, context),
});
