// AWS-EC2-001: Security group allows SSH from 0.0.0.0/0.

import { openPortRule } from '../../exposure.js';
import { cis, fsbp } from '../../references.js';

export const rule = openPortRule(
  {
    id: 'AWS-EC2-001',
    slug: 'ec2-sg-open-ssh',
    title: 'Security group allows SSH from 0.0.0.0/0',
    description:
      'An inbound rule lets any IPv4 address reach TCP port 22. SSH exposed to the whole Internet is brute-forced within minutes of launch; administrative access should come from a bastion, a VPN range or AWS Systems Manager Session Manager.',
    severity: 'critical',
    kinds: ['aws.ec2.security-group'],
    references: [
      cis('cis-aws', '5.2', 'Ensure no security groups allow ingress from 0.0.0.0/0 to remote server administration ports'),
      fsbp('EC2.13', 'Security groups should not allow ingress from 0.0.0.0/0 or ::/0 to port 22'),
    ],
    remediation:
      'Revoke the rule and allow only a trusted range: aws ec2 revoke-security-group-ingress --group-id <group-id> --protocol tcp --port 22 --cidr 0.0.0.0/0 && aws ec2 authorize-security-group-ingress --group-id <group-id> --protocol tcp --port 22 --cidr <trusted-cidr>',
    tags: ['network', 'exposure', 'admin-port'],
  },
  { ports: [22], service: 'SSH', family: 'ipv4' },
);
