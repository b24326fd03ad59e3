// GCP-COST-006: static external address is reserved and unused.

import { defineCostRule, fact, monthlyFromHour, NONE, recommend, shellWord } from '../../cost.js';
import { label } from '../../rule.js';

export const rule = defineCostRule({
  id: 'GCP-COST-006',
  slug: 'address-unassociated',
  title: 'Static external address is reserved and unused',
  description:
    'The static external IP address is RESERVED with no user: Compute Engine bills an unused static address at a higher hourly rate than one in use. Internal addresses are free and never recommended.',
  kinds: ['gcp.compute.address'],
  action: 'release-address',
  metrics: [],
  remediation: 'gcloud compute addresses delete <name> --region <region>',
  tags: ['unassociated', 'network'],
  recommend: (address, context) => {
    if (address.attributes.addressType !== 'EXTERNAL' || address.attributes.associated !== false || address.state !== 'RESERVED')
      return NONE;
    const scope = address.region === 'global' ? '--global' : `--region ${shellWord(address.region)}`;
    return recommend({
      summary: `Release ${label('static address', address)}: it is reserved and no resource uses it.`,
      saving: monthlyFromHour(context.pricing.gcpAddressHour(false, address.region), `a reserved address in ${address.region}`),
      evidence: [fact(`${String(address.attributes.publicIp ?? address.id)} is RESERVED with no users`)],
      risk: 'A released address is gone for good; check that no DNS record or allow-list names it.',
      cli: [`gcloud compute addresses delete ${shellWord(address.name)} ${scope} --project ${shellWord(address.account)} --quiet`],
    });
  },
});
