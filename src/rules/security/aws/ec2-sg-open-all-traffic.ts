// AWS-EC2-009: Security group allows all traffic from the Internet.

import { exposureCheck, openEverything } from '../../exposure.js';
import { cis, fsbp } from '../../references.js';
import { defineRule } from '../../rule.js';

export const rule = defineRule({
  id: 'AWS-EC2-009',
  slug: 'ec2-sg-open-all-traffic',
  title: 'Security group allows all traffic from the Internet',
  description:
    'An inbound rule allows every protocol and port (or the whole 0-65535 range) from 0.0.0.0/0 or ::/0, so every listening service on the attached instances, SSH and RDP included, is reachable from anywhere. Port-specific rules leave such a rule to this one.',
  severity: 'critical',
  kinds: ['aws.ec2.security-group'],
  references: [
    cis('cis-aws', '5.2', 'Ensure no security groups allow ingress from 0.0.0.0/0 to remote server administration ports'),
    cis('cis-aws', '5.3', 'Ensure no security groups allow ingress from ::/0 to remote server administration ports'),
    fsbp('EC2.18', 'Security groups should only allow unrestricted incoming traffic for authorized ports'),
  ],
  remediation:
    "aws ec2 revoke-security-group-ingress --group-id <group-id> --ip-permissions 'IpProtocol=-1,IpRanges=[{CidrIp=0.0.0.0/0}]' (and the Ipv6Ranges=[{CidrIpv6=::/0}] permission), then authorize only the ports the workload serves.",
  tags: ['network', 'exposure'],
  check: (resource) => exposureCheck(resource, (ingress) => openEverything(ingress, 'any'), 'all traffic'),
});
