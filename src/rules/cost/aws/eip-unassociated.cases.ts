import * as pricing from '../../../pricing/catalog.js';
import { defineCostCases, priced, resource } from '../../cases.js';

const loose = resource('aws.ec2.address', { publicIp: '54.1.2.3' });

export const cases = defineCostCases({
  recommend: [
    {
      name: 'associated with nothing',
      resource: loose,
      action: 'release-address',
      saving: priced(pricing.publicIpv4Hour(loose.region), 'hour'),
      proposal: {
        evidence: [{ type: 'fact', fact: '54.1.2.3 has no association' }],
        cli: [`aws ec2 release-address --region ${loose.region} --allocation-id ${loose.id}`],
      },
    },
  ],
  leave: [
    {
      name: 'associated with an instance',
      resource: resource('aws.ec2.address', { publicIp: '54.1.2.3', associationId: 'eipassoc-1', instanceId: 'i-1' }),
    },
  ],
});
