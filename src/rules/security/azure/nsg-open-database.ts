// AZ-NET-003: Network security group allows database ports from the Internet.

import { DATABASE_PORTS, openPortRule } from '../../exposure.js';
import { mcsb } from '../../references.js';

export const rule = openPortRule(
  {
    id: 'AZ-NET-003',
    slug: 'nsg-open-database',
    title: 'Network security group allows database ports from the Internet',
    description:
      'An inbound Allow rule with source Internet, * or 0.0.0.0/0 reaches a database port (3306, 5432, 1433, 27017 or 6379). Databases belong behind private endpoints or application subnets.',
    severity: 'high',
    kinds: ['azure.network.nsg'],
    references: [mcsb('NS-2', 'Secure cloud native services with network controls')],
    remediation: 'az network nsg rule update --resource-group <rg> --nsg-name <nsg> --name <rule> --source-address-prefixes VirtualNetwork',
    tags: ['network', 'exposure', 'database-port'],
  },
  { ports: DATABASE_PORTS, service: 'database ports', family: 'any' },
);
