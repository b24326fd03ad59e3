// AZ-COST-001: Azure VM is idle.

import { defineCostRule } from '../../cost.js';
import { AZURE_MACHINES, idleMachine } from '../../machines.js';

export const rule = defineCostRule({
  id: 'AZ-COST-001',
  slug: 'vm-idle',
  title: 'Azure VM is idle',
  description:
    'The Azure VM ran for the whole window with its p95 CPU and network below the idle thresholds (defaults: 5 % CPU, 10 KiB/s network): it is paid for by the hour and does nothing. Stopping it saves its compute; its disks are still billed.',
  kinds: ['azure.compute.vm'],
  action: 'stop',
  metrics: ['cpu', 'network'],
  remediation: 'Stop it (the command in the recommendation), or delete it once its owner confirms nothing needs it.',
  tags: ['idle', 'compute'],
  recommend: (resource, context) => idleMachine(AZURE_MACHINES, resource, context),
});
