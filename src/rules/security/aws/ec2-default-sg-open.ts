// AWS-EC2-010: Default security group does not restrict all traffic.

import { cis, fsbp } from '../../references.js';
import { defineRule, fail, label, PASS, unknown, unknownAfterApply } from '../../rule.js';

export const rule = defineRule({
  id: 'AWS-EC2-010',
  slug: 'ec2-default-sg-open',
  title: 'Default security group does not restrict all inbound traffic',
  description:
    'The default security group of a VPC has inbound rules. Every instance launched without an explicit group lands in it, so its rules silently apply to resources nobody reviewed; CIS asks for it to have no rules at all.',
  severity: 'medium',
  kinds: ['aws.ec2.security-group'],
  references: [
    cis('cis-aws', '5.4', 'Ensure the default security group of every VPC restricts all traffic'),
    fsbp('EC2.2', 'VPC default security groups should not allow inbound or outbound traffic'),
  ],
  remediation:
    'Remove every inbound rule: aws ec2 revoke-security-group-ingress --group-id <default-group-id> --ip-permissions "$(aws ec2 describe-security-groups --group-ids <default-group-id> --query SecurityGroups[0].IpPermissions)"; move workloads to purpose-made groups first.',
  tags: ['network', 'default-resources'],
  check(resource, context) {
    if (!context.isDefaultSecurityGroup(resource)) {
      if (resource.attributes.isDefault === undefined && unknownAfterApply(resource).includes('isDefault')) {
        return unknown(resource, label('security group', resource), ['isDefault'], 'is a default group with open rules');
      }
      return PASS;
    }
    const ingress = resource.attributes.ingress;
    if (ingress && ingress.length > 0) {
      const sources = [...new Set(ingress.map((rule) => rule.source))].slice(0, 3).join(', ');
      return fail(`${label('Default security group', resource)} has ${ingress.length} inbound rule(s) (from ${sources}) instead of none.`);
    }
    if (!ingress || unknownAfterApply(resource).includes('ingress')) {
      return unknown(resource, label('default security group', resource), ['ingress'], 'restricts all inbound traffic');
    }
    return PASS;
  },
});
