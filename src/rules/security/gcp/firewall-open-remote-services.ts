// GCP-NET-005: Firewall rule allows Telnet, FTP, VNC or WinRM from 0.0.0.0/0.

import { openPortRule } from '../../exposure.js';

export const rule = openPortRule(
  {
    id: 'GCP-NET-005',
    slug: 'firewall-open-remote-services',
    title: 'Firewall rule allows Telnet, FTP, VNC or WinRM from 0.0.0.0/0',
    description:
      'An enabled ingress firewall rule allows TCP 21 (FTP), 23 (Telnet), 5900 (VNC) or 5985/5986 (WinRM) from 0.0.0.0/0. These remote-access services send credentials in clear text or are common brute-force targets.',
    severity: 'high',
    kinds: ['gcp.compute.firewall'],
    references: [],
    remediation:
      'gcloud compute firewall-rules update <rule> --source-ranges=35.235.240.0/20 (or gcloud compute firewall-rules delete <rule>)',
    tags: ['network', 'exposure', 'admin-port'],
  },
  { ports: [21, 23, 5900, 5985, 5986], service: 'remote-access services', family: 'any' },
);
