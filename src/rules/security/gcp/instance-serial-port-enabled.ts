// GCP-CMP-002: Instance has the interactive serial console enabled.

import { flagCheck } from '../../attributes.js';
import { cis } from '../../references.js';
import { defineRule } from '../../rule.js';

export const rule = defineRule({
  id: 'GCP-CMP-002',
  slug: 'instance-serial-port-enabled',
  title: 'Instance has the interactive serial console enabled',
  description:
    'serial-port-enable=true lets anyone with the right IAM role reach the serial console from any IP address; firewall rules do not apply to it.',
  severity: 'medium',
  kinds: ['gcp.compute.instance'],
  references: [cis('cis-gcp', '4.5', "Ensure 'Enable Connecting to Serial Ports' Is Not Enabled for VM Instance")],
  remediation: 'gcloud compute instances add-metadata <instance> --zone=<zone> --metadata=serial-port-enable=false',
  tags: ['access', 'compute'],
  check: (resource) =>
    flagCheck(resource, {
      attribute: 'serialPortEnabled',
      bad: true,
      noun: 'Instance',
      failure: 'has the interactive serial console enabled',
      question: 'has the serial console disabled',
    }),
});
