// GCP-COST-003: GCE instance runs a previous-generation type.

import { defineCostRule } from '../../cost.js';
import { GCP_MACHINES, modernizeMachine } from '../../machines.js';

export const rule = defineCostRule({
  id: 'GCP-COST-003',
  slug: 'instance-previous-generation',
  title: 'GCE instance runs a previous-generation type',
  description:
    'The GCE instance runs a previous-generation machine type that has a cheaper current-generation equivalent of the same size (m4 to m6i, t2 to t3, Dv2/Dv3 to Dv5, n1 to e2/n2): the same capacity on newer hardware for less.',
  kinds: ['gcp.compute.instance'],
  action: 'modernize',
  metrics: [],
  remediation: 'Change the machine type to the current equivalent named in the recommendation; the machine restarts.',
  tags: ['modernize', 'compute'],
  recommend: (resource, context) => modernizeMachine(GCP_MACHINES, resource, context),
});
