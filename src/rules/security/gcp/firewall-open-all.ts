// GCP-NET-003: Firewall rule allows all traffic from 0.0.0.0/0.

import { exposureCheck, openEverything } from '../../exposure.js';
import { cis } from '../../references.js';
import { defineRule } from '../../rule.js';

export const rule = defineRule({
  id: 'GCP-NET-003',
  slug: 'firewall-open-all',
  title: 'Firewall rule allows all traffic from 0.0.0.0/0',
  description:
    'An enabled ingress firewall rule allows every protocol (or every port) from 0.0.0.0/0 or ::/0, so every service on the targeted instances is reachable from anywhere.',
  severity: 'critical',
  kinds: ['gcp.compute.firewall'],
  references: [
    cis('cis-gcp', '3.6', 'Ensure that SSH access is restricted from the internet'),
    cis('cis-gcp', '3.7', 'Ensure that RDP access is restricted from the Internet'),
  ],
  remediation:
    'gcloud compute firewall-rules update <rule> --allow=tcp:443 --source-ranges=<trusted-cidr> (or gcloud compute firewall-rules delete <rule>)',
  tags: ['network', 'exposure'],
  check: (resource) => exposureCheck(resource, (ingress) => openEverything(ingress, 'any'), 'all traffic'),
});
