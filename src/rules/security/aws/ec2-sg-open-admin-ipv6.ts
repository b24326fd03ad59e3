// AWS-EC2-003: Security group allows SSH or RDP from ::/0.

import { ADMIN_PORTS, openPortRule } from '../../exposure.js';
import { cis } from '../../references.js';

export const rule = openPortRule(
  {
    id: 'AWS-EC2-003',
    slug: 'ec2-sg-open-admin-ipv6',
    title: 'Security group allows SSH or RDP from ::/0',
    description:
      'An inbound rule lets any IPv6 address reach TCP port 22 or 3389. IPv6 exposure is as reachable as IPv4 exposure and is often forgotten when the IPv4 rule is tightened.',
    severity: 'critical',
    kinds: ['aws.ec2.security-group'],
    references: [cis('cis-aws', '5.3', 'Ensure no security groups allow ingress from ::/0 to remote server administration ports')],
    remediation:
      "aws ec2 revoke-security-group-ingress --group-id <group-id> --ip-permissions 'IpProtocol=tcp,FromPort=<port>,ToPort=<port>,Ipv6Ranges=[{CidrIpv6=::/0}]'",
    tags: ['network', 'exposure', 'admin-port', 'ipv6'],
  },
  { ports: ADMIN_PORTS, service: 'SSH/RDP', family: 'ipv6' },
);
