// AWS-EC2-004: Security group allows MySQL from 0.0.0.0/0.

import { openPortRule } from '../../exposure.js';
import { fsbp } from '../../references.js';

export const rule = openPortRule(
  {
    id: 'AWS-EC2-004',
    slug: 'ec2-sg-open-mysql',
    title: 'Security group allows MySQL from 0.0.0.0/0',
    description:
      'An inbound rule lets any IPv4 address reach TCP port 3306. Databases should be reachable only from the security group of the application tier, never from the Internet.',
    severity: 'high',
    kinds: ['aws.ec2.security-group'],
    references: [fsbp('EC2.19', 'Security groups should not allow unrestricted access to ports with high risk')],
    remediation:
      'aws ec2 revoke-security-group-ingress --group-id <group-id> --protocol tcp --port 3306 --cidr 0.0.0.0/0, then allow the application tier only: aws ec2 authorize-security-group-ingress --group-id <group-id> --protocol tcp --port 3306 --source-group <app-security-group-id>',
    tags: ['network', 'exposure', 'database-port'],
  },
  { ports: [3306], service: 'MySQL', family: 'ipv4' },
);
