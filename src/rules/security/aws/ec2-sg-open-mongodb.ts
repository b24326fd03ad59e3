// AWS-EC2-007: Security group allows MongoDB from 0.0.0.0/0.

import { openPortRule } from '../../exposure.js';
import { fsbp } from '../../references.js';

export const rule = openPortRule(
  {
    id: 'AWS-EC2-007',
    slug: 'ec2-sg-open-mongodb',
    title: 'Security group allows MongoDB from 0.0.0.0/0',
    description:
      'An inbound rule lets any IPv4 address reach TCP port 27017. Exposed MongoDB instances are a classic source of mass data theft and ransom.',
    severity: 'high',
    kinds: ['aws.ec2.security-group'],
    references: [fsbp('EC2.19', 'Security groups should not allow unrestricted access to ports with high risk')],
    remediation:
      'aws ec2 revoke-security-group-ingress --group-id <group-id> --protocol tcp --port 27017 --cidr 0.0.0.0/0, then allow the application tier only: aws ec2 authorize-security-group-ingress --group-id <group-id> --protocol tcp --port 27017 --source-group <app-security-group-id>',
    tags: ['network', 'exposure', 'database-port'],
  },
  { ports: [27017], service: 'MongoDB', family: 'ipv4' },
);
