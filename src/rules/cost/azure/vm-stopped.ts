// AZ-COST-004: Azure VM stopped for weeks still pays for its disks.

import { defineCostRule } from '../../cost.js';
import { AZURE_MACHINES, stoppedMachine } from '../../machines.js';

export const rule = defineCostRule({
  id: 'AZ-COST-004',
  slug: 'vm-stopped',
  title: 'Azure VM stopped for weeks still pays for its disks',
  description:
    'The Azure VM has been stopped for longer than the threshold (default 30 days). Its compute is not billed while it is stopped, but every disk attached to it is. A snapshot of each disk keeps what is needed to bring it back at a fraction of the price.',
  kinds: ['azure.compute.vm'],
  reads: ['azure.compute.disk'],
  action: 'delete-stopped',
  metrics: [],
  remediation: 'Snapshot its disks, then delete the machine and its disks (the commands in the recommendation).',
  tags: ['stopped', 'storage'],
  recommend: (resource, context) => stoppedMachine(AZURE_MACHINES, resource, context),
});
