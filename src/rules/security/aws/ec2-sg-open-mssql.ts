// AWS-EC2-006: Security group allows SQL Server from 0.0.0.0/0.

import { openPortRule } from '../../exposure.js';
import { fsbp } from '../../references.js';

export const rule = openPortRule(
  {
    id: 'AWS-EC2-006',
    slug: 'ec2-sg-open-mssql',
    title: 'Security group allows SQL Server from 0.0.0.0/0',
    description:
      'An inbound rule lets any IPv4 address reach TCP port 1433. SQL Server endpoints on the Internet are scanned and brute-forced continuously.',
    severity: 'high',
    kinds: ['aws.ec2.security-group'],
    references: [fsbp('EC2.19', 'Security groups should not allow unrestricted access to ports with high risk')],
    remediation:
      'aws ec2 revoke-security-group-ingress --group-id <group-id> --protocol tcp --port 1433 --cidr 0.0.0.0/0, then allow the application tier only: aws ec2 authorize-security-group-ingress --group-id <group-id> --protocol tcp --port 1433 --source-group <app-security-group-id>',
    tags: ['network', 'exposure', 'database-port'],
  },
  { ports: [1433], service: 'SQL Server', family: 'ipv4' },
);
