// GCP-COST-001: GCE instance is idle.

import { defineCostRule } from '../../cost.js';
import { GCP_MACHINES, idleMachine } from '../../machines.js';

export const rule = defineCostRule({
  id: 'GCP-COST-001',
  slug: 'instance-idle',
  title: 'GCE instance is idle',
  description:
    'The GCE instance ran for the whole window with its p95 CPU and network below the idle thresholds (defaults: 5 % CPU, 10 KiB/s network): it is paid for by the hour and does nothing. Stopping it saves its compute; its disks are still billed.',
  kinds: ['gcp.compute.instance'],
  action: 'stop',
  metrics: ['cpu', 'network'],
  remediation: 'Stop it (the command in the recommendation), or delete it once its owner confirms nothing needs it.',
  tags: ['idle', 'compute'],
  recommend: (resource, context) => idleMachine(GCP_MACHINES, resource, context),
});
