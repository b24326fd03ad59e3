// GCP-NET-001: Firewall rule allows SSH from 0.0.0.0/0.

import { openPortRule } from '../../exposure.js';
import { cis } from '../../references.js';

export const rule = openPortRule(
  {
    id: 'GCP-NET-001',
    slug: 'firewall-open-ssh',
    title: 'Firewall rule allows SSH from 0.0.0.0/0',
    description:
      'An enabled ingress firewall rule allows TCP port 22 from 0.0.0.0/0. Use Identity-Aware Proxy TCP forwarding (35.235.240.0/20) or a VPN range instead.',
    severity: 'critical',
    kinds: ['gcp.compute.firewall'],
    references: [cis('cis-gcp', '3.6', 'Ensure that SSH access is restricted from the internet')],
    remediation:
      'gcloud compute firewall-rules update <rule> --source-ranges=35.235.240.0/20 (or gcloud compute firewall-rules delete <rule>)',
    tags: ['network', 'exposure', 'admin-port'],
  },
  { ports: [22], service: 'SSH', family: 'any' },
);
