// The cases AZ-CMP-004 is tested on (test/unit/rule-cases.test.ts); not shipped.

import { defineCases, resource } from '../../cases.js';

const azVm = resource('azure.compute.vm', { managedDisks: true }, { id: 'vm-web', name: 'web' });
const azPip = resource('azure.network.public-ip', { publicIp: '20.1.2.3' }, { relations: [{ type: 'associated-with', target: azVm.id }] });

export const cases = defineCases({
  pass: [{ resource: resource('azure.compute.vm', { managedDisks: true }), others: [azPip] }],
  fail: [
    {
      name: 'a VM a public IP address is associated with',
      resource: azVm,
      others: [azPip],
      finding: { message: 'Virtual machine "web" (vm-web) has public IP 20.1.2.3.' },
    },
  ],
});
