// AWS-EC2-017: Security group allows database ports from ::/0.

import { DATABASE_PORTS, openPortRule } from '../../exposure.js';
import { fsbp } from '../../references.js';

export const rule = openPortRule(
  {
    id: 'AWS-EC2-017',
    slug: 'ec2-sg-open-database-ipv6',
    title: 'Security group allows database ports from ::/0',
    description: 'An inbound rule lets any IPv6 address reach a database port (3306, 5432, 1433, 27017 or 6379).',
    severity: 'high',
    kinds: ['aws.ec2.security-group'],
    references: [fsbp('EC2.19', 'Security groups should not allow unrestricted access to ports with high risk')],
    remediation:
      "aws ec2 revoke-security-group-ingress --group-id <group-id> --ip-permissions 'IpProtocol=tcp,FromPort=<port>,ToPort=<port>,Ipv6Ranges=[{CidrIpv6=::/0}]'",
    tags: ['network', 'exposure', 'database-port', 'ipv6'],
  },
  { ports: DATABASE_PORTS, service: 'database ports', family: 'ipv6' },
);
