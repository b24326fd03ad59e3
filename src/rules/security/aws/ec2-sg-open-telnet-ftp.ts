// AWS-EC2-018: Security group allows Telnet or FTP from the Internet.

import { openPortRule } from '../../exposure.js';
import { fsbp } from '../../references.js';

export const rule = openPortRule(
  {
    id: 'AWS-EC2-018',
    slug: 'ec2-sg-open-telnet-ftp',
    title: 'Security group allows Telnet or FTP from the Internet',
    description: 'An inbound rule lets any address reach TCP port 21 (FTP) or 23 (Telnet). Both protocols send credentials in clear text.',
    severity: 'high',
    kinds: ['aws.ec2.security-group'],
    references: [fsbp('EC2.19', 'Security groups should not allow unrestricted access to ports with high risk')],
    remediation:
      'aws ec2 revoke-security-group-ingress --group-id <group-id> --protocol tcp --port <21|23> --cidr 0.0.0.0/0 (and the ::/0 permission with --ip-permissions)',
    tags: ['network', 'exposure', 'admin-port'],
  },
  { ports: [21, 23], service: 'Telnet/FTP', family: 'any' },
);
