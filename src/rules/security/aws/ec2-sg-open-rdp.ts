// AWS-EC2-002: Security group allows RDP from 0.0.0.0/0.

import { openPortRule } from '../../exposure.js';
import { cis, fsbp } from '../../references.js';

export const rule = openPortRule(
  {
    id: 'AWS-EC2-002',
    slug: 'ec2-sg-open-rdp',
    title: 'Security group allows RDP from 0.0.0.0/0',
    description:
      'An inbound rule lets any IPv4 address reach TCP port 3389. Remote Desktop exposed to the Internet is a leading ransomware entry point; restrict it to a VPN or bastion range or use Session Manager / Fleet Manager.',
    severity: 'critical',
    kinds: ['aws.ec2.security-group'],
    references: [
      cis('cis-aws', '5.2', 'Ensure no security groups allow ingress from 0.0.0.0/0 to remote server administration ports'),
      fsbp('EC2.14', 'Security groups should not allow ingress from 0.0.0.0/0 or ::/0 to port 3389'),
    ],
    remediation:
      'aws ec2 revoke-security-group-ingress --group-id <group-id> --protocol tcp --port 3389 --cidr 0.0.0.0/0, then authorize only a trusted range: aws ec2 authorize-security-group-ingress --group-id <group-id> --protocol tcp --port 3389 --cidr <trusted-cidr>',
    tags: ['network', 'exposure', 'admin-port'],
  },
  { ports: [3389], service: 'RDP', family: 'ipv4' },
);
