// AZ-CMP-004: Virtual machine has a public IP address.

import type { Resource } from '../../../model/resource.js';
import { mcsb } from '../../references.js';
import { defineRule, fail, label, PASS, type RuleContext, unknown, unknownAfterApply } from '../../rule.js';

function publicAddress(resource: Resource, context: RuleContext): string | undefined {
  if (typeof resource.attributes.publicIp === 'string' && resource.attributes.publicIp !== '') return resource.attributes.publicIp;
  const linked = [...context.referrers(resource, 'associated-with'), ...context.related(resource, 'associated-with')].find(
    (other) => other.kind === 'azure.network.public-ip',
  );
  if (!linked) return undefined;
  return typeof linked.attributes.publicIp === 'string' ? linked.attributes.publicIp : linked.name;
}

export const rule = defineRule({
  id: 'AZ-CMP-004',
  slug: 'vm-public-ip',
  title: 'Virtual machine has a public IP address',
  description:
    'A public IP is attached to the VM network interface, so every port its NSG allows is reachable from the Internet. Publish services through a load balancer or Application Gateway and administer VMs through Azure Bastion.',
  severity: 'medium',
  kinds: ['azure.compute.vm'],
  references: [mcsb('NS-1', 'Establish network segmentation boundaries')],
  remediation:
    'az network nic ip-config update --resource-group <rg> --nic-name <nic> --name <ipconfig> --remove publicIpAddress; then az network public-ip delete --resource-group <rg> --name <public-ip>',
  tags: ['exposure', 'network'],
  check(resource, context) {
    const address = publicAddress(resource, context);
    if (address) return fail(`${label('Virtual machine', resource)} has public IP ${address}.`);
    if (unknownAfterApply(resource).includes('publicIp'))
      return unknown(resource, label('virtual machine', resource), ['publicIp'], 'gets a public IP');
    return PASS;
  },
});
