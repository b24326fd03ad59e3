// AZ-COST-003: Azure VM runs a previous-generation type.

import { defineCostRule } from '../../cost.js';
import { AZURE_MACHINES, modernizeMachine } from '../../machines.js';

export const rule = defineCostRule({
  id: 'AZ-COST-003',
  slug: 'vm-previous-generation',
  title: 'Azure VM runs a previous-generation type',
  description:
    'The Azure VM runs a previous-generation machine type that has a cheaper current-generation equivalent of the same size (m4 to m6i, t2 to t3, Dv2/Dv3 to Dv5, n1 to e2/n2): the same capacity on newer hardware for less.',
  kinds: ['azure.compute.vm'],
  action: 'modernize',
  metrics: [],
  remediation: 'Change the machine type to the current equivalent named in the recommendation; the machine restarts.',
  tags: ['modernize', 'compute'],
  recommend: (resource, context) => modernizeMachine(AZURE_MACHINES, resource, context),
});
