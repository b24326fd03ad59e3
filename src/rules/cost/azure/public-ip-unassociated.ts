// AZ-COST-006: public IP address is associated with nothing.

import { defineCostRule, fact, monthlyFromHour, NONE, recommend, shellWord } from '../../cost.js';
import { label } from '../../rule.js';

export const rule = defineCostRule({
  id: 'AZ-COST-006',
  slug: 'public-ip-unassociated',
  title: 'Public IP address is associated with nothing',
  description:
    'The public IP address has no IP configuration: no network interface, load balancer or gateway uses it, and a static address is billed by the hour whether or not it is used.',
  kinds: ['azure.network.public-ip'],
  action: 'release-address',
  metrics: [],
  remediation: 'az network public-ip delete --ids <public-ip-id>',
  tags: ['unassociated', 'network'],
  recommend: (ip, context) => {
    if (ip.state !== 'unassociated' || ip.attributes.ipConfigurationId) return NONE;
    const sku = typeof ip.attributes.sku === 'string' ? ip.attributes.sku : 'Basic';
    return recommend({
      summary: `Delete ${label('public IP', ip)}: no network interface, load balancer or gateway uses it.`,
      saving: monthlyFromHour(context.pricing.azurePublicIpHour(sku, ip.region), `a ${sku} public IP in ${ip.region}`),
      evidence: [
        fact(`${String(ip.attributes.publicIp ?? 'no address')} (${sku}, ${String(ip.attributes.addressType)}) has no IP configuration`),
      ],
      risk: 'A deleted static address is gone for good; check that no DNS record or allow-list names it.',
      cli: [`az network public-ip delete --ids ${shellWord(ip.id)}`],
    });
  },
});
