// AWS-COST-007: Elastic IP is associated with nothing.

import { defineCostRule, fact, monthlyFromHour, NONE, recommend } from '../../cost.js';
import { label } from '../../rule.js';

export const rule = defineCostRule({
  id: 'AWS-COST-007',
  slug: 'eip-unassociated',
  title: 'Elastic IP is associated with nothing',
  description:
    'Every public IPv4 address is billed by the hour, and an Elastic IP that is associated with no instance or network interface serves nothing for it. Releasing it gives the address back to AWS.',
  kinds: ['aws.ec2.address'],
  action: 'release-address',
  metrics: [],
  remediation: 'aws ec2 release-address --allocation-id <allocation-id>',
  tags: ['unassociated', 'network'],
  recommend: (address, context) => {
    if (address.attributes.associationId || address.attributes.networkInterfaceId || address.attributes.instanceId) return NONE;
    return recommend({
      summary: `Release ${label('Elastic IP', address)}: it is associated with no instance or network interface.`,
      saving: monthlyFromHour(context.pricing.publicIpv4Hour(address.region), `a public IPv4 address in ${address.region}`),
      evidence: [fact(`${String(address.attributes.publicIp ?? address.id)} has no association`)],
      risk: 'A released address is gone: it can be recovered only if nobody else was given it meanwhile (aws ec2 allocate-address --address). Check that no DNS record or allow-list names it.',
      cli: [`aws ec2 release-address --region ${address.region} --allocation-id ${address.id}`],
    });
  },
});
