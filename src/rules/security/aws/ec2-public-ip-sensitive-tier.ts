// AWS-EC2-016: Instance in a sensitive tier has a public IP address.

import type { Resource } from '../../../model/resource.js';
import { fsbp } from '../../references.js';
import { defineRule, fail, label, PASS, type RuleContext, unknown, unknownAfterApply } from '../../rule.js';

/** The instance's own public IP, or an Elastic IP associated with it. */
function publicAddress(resource: Resource, context: RuleContext): string | undefined {
  if (typeof resource.attributes.publicIp === 'string' && resource.attributes.publicIp !== '') return resource.attributes.publicIp;
  const eip = context.referrers(resource, 'associated-with').find((address) => typeof address.attributes.publicIp === 'string');
  return eip?.attributes.publicIp as string | undefined;
}

export const rule = defineRule({
  id: 'AWS-EC2-016',
  slug: 'ec2-public-ip-sensitive-tier',
  title: 'Instance in a data or database tier has a public IP address',
  description:
    'An instance tagged tier=data or tier=db has a public IPv4 address (its own or an Elastic IP). Data-tier hosts should sit in private subnets and be reached through the application tier, a load balancer or Session Manager.',
  severity: 'high',
  kinds: ['aws.ec2.instance'],
  references: [fsbp('EC2.9', 'Amazon EC2 instances should not have a public IPv4 address')],
  remediation:
    'Release or disassociate the address (aws ec2 disassociate-address --association-id <association-id>), and for an auto-assigned IP move the instance to a private subnet: launch a replacement with --network-interfaces AssociatePublicIpAddress=false,SubnetId=<private-subnet-id>.',
  tags: ['exposure', 'network', 'data-tier'],
  check(resource, context) {
    if (!context.isSensitiveTier(resource)) return PASS;
    const address = publicAddress(resource, context);
    if (address)
      return fail(`${label('EC2 instance', resource)} in tier ${resource.tags.tier ?? resource.tags.Tier} has public IP ${address}.`);
    if (unknownAfterApply(resource).includes('publicIp')) {
      return unknown(resource, label('EC2 instance', resource), ['publicIp'], 'gets a public IP');
    }
    return PASS;
  },
});
