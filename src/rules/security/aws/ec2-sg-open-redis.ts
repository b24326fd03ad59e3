// AWS-EC2-008: Security group allows Redis from 0.0.0.0/0.

import { openPortRule } from '../../exposure.js';
import { fsbp } from '../../references.js';

export const rule = openPortRule(
  {
    id: 'AWS-EC2-008',
    slug: 'ec2-sg-open-redis',
    title: 'Security group allows Redis from 0.0.0.0/0',
    description:
      'An inbound rule lets any IPv4 address reach TCP port 6379. Redis has no authentication by default and an exposed instance can be turned into remote code execution.',
    severity: 'high',
    kinds: ['aws.ec2.security-group'],
    references: [fsbp('EC2.19', 'Security groups should not allow unrestricted access to ports with high risk')],
    remediation:
      'aws ec2 revoke-security-group-ingress --group-id <group-id> --protocol tcp --port 6379 --cidr 0.0.0.0/0, then allow the application tier only: aws ec2 authorize-security-group-ingress --group-id <group-id> --protocol tcp --port 6379 --source-group <app-security-group-id>',
    tags: ['network', 'exposure', 'database-port'],
  },
  { ports: [6379], service: 'Redis', family: 'ipv4' },
);
