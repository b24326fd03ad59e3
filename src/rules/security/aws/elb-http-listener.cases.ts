// The cases AWS-ELB-001 is tested on (test/unit/rule-cases.test.ts); not shipped.

import { defineCases, resource } from '../../cases.js';

export const cases = defineCases({
  pass: [
    {
      resource: resource('aws.elbv2.load-balancer', {
        scheme: 'internet-facing',
        listeners: [{ protocol: 'HTTPS', port: 443, sslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06' }],
      }),
    },
  ],
  fail: [{ resource: resource('aws.elbv2.load-balancer', { scheme: 'internal', listeners: [{ protocol: 'HTTP', port: 80 }] }) }],
});
