// GCP-NET-002: Firewall rule allows RDP from 0.0.0.0/0.

import { openPortRule } from '../../exposure.js';
import { cis } from '../../references.js';

export const rule = openPortRule(
  {
    id: 'GCP-NET-002',
    slug: 'firewall-open-rdp',
    title: 'Firewall rule allows RDP from 0.0.0.0/0',
    description:
      'An enabled ingress firewall rule allows TCP port 3389 from 0.0.0.0/0. Use Identity-Aware Proxy TCP forwarding (35.235.240.0/20) or a VPN range instead.',
    severity: 'critical',
    kinds: ['gcp.compute.firewall'],
    references: [cis('cis-gcp', '3.7', 'Ensure that RDP access is restricted from the Internet')],
    remediation:
      'gcloud compute firewall-rules update <rule> --source-ranges=35.235.240.0/20 (or gcloud compute firewall-rules delete <rule>)',
    tags: ['network', 'exposure', 'admin-port'],
  },
  { ports: [3389], service: 'RDP', family: 'any' },
);
