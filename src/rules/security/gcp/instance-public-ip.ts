// GCP-CMP-004: Instance has an external IP address.

import { cis } from '../../references.js';
import { defineRule, fail, label, PASS, unknown, unknownAfterApply } from '../../rule.js';

export const rule = defineRule({
  id: 'GCP-CMP-004',
  slug: 'instance-public-ip',
  title: 'Instance has an external IP address',
  description:
    'An access config gives the instance an external IPv4 address, reachable from the Internet on every port the firewall allows. Use Cloud NAT for egress and a load balancer or IAP for ingress.',
  severity: 'medium',
  kinds: ['gcp.compute.instance'],
  references: [cis('cis-gcp', '4.9', 'Ensure That Compute Instances Do Not Have Public IP Addresses')],
  remediation: 'gcloud compute instances delete-access-config <instance> --zone=<zone> --access-config-name="External NAT"',
  tags: ['exposure', 'network'],
  check(resource) {
    const ip = resource.attributes.publicIp;
    if (typeof ip === 'string' && ip !== '') return fail(`${label('Instance', resource)} has external IP ${ip}.`);
    if (unknownAfterApply(resource).includes('publicIp'))
      return unknown(resource, label('instance', resource), ['publicIp'], 'gets an external IP');
    return PASS;
  },
});
