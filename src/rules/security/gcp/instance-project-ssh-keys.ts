// GCP-CMP-003: Instance accepts project-wide SSH keys.

import { flagCheck } from '../../attributes.js';
import { cis } from '../../references.js';
import { defineRule } from '../../rule.js';

export const rule = defineRule({
  id: 'GCP-CMP-003',
  slug: 'instance-project-ssh-keys',
  title: 'Instance accepts project-wide SSH keys',
  description:
    'block-project-ssh-keys is not set, so every SSH key in the project metadata opens this instance too; one leaked project key opens every instance.',
  severity: 'medium',
  kinds: ['gcp.compute.instance'],
  references: [cis('cis-gcp', '4.3', "Ensure 'Block Project-Wide SSH Keys' Is Enabled for VM Instances")],
  remediation: 'gcloud compute instances add-metadata <instance> --zone=<zone> --metadata=block-project-ssh-keys=TRUE',
  tags: ['access', 'compute'],
  check: (resource) =>
    flagCheck(resource, {
      attribute: 'projectSshKeysBlocked',
      bad: false,
      noun: 'Instance',
      failure: 'accepts project-wide SSH keys',
      question: 'blocks project-wide SSH keys',
    }),
});
