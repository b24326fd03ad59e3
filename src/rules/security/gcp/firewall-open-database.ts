// GCP-NET-004: Firewall rule allows database ports from 0.0.0.0/0.

import { DATABASE_PORTS, openPortRule } from '../../exposure.js';

export const rule = openPortRule(
  {
    id: 'GCP-NET-004',
    slug: 'firewall-open-database',
    title: 'Firewall rule allows database ports from 0.0.0.0/0',
    description:
      'An enabled ingress firewall rule allows a database port (3306, 5432, 1433, 27017 or 6379) from 0.0.0.0/0. Cloud SQL and self-managed databases should be reached over private IPs.',
    severity: 'high',
    kinds: ['gcp.compute.firewall'],
    references: [],
    remediation: 'gcloud compute firewall-rules update <rule> --source-ranges=<internal-cidr>',
    tags: ['network', 'exposure', 'database-port'],
  },
  { ports: DATABASE_PORTS, service: 'database ports', family: 'any' },
);
