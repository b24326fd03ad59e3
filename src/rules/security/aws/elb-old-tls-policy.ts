// AWS-ELB-002: Load balancer listener allows TLS 1.0 or 1.1.

import { fsbp } from '../../references.js';
import { defineRule, fail, label, PASS, unknown } from '../../rule.js';

/**
 * ELBv2 predefined policies that still negotiate TLS 1.0 or 1.1, from the Elastic Load Balancing
 * "Security policies for your Application Load Balancer" table. Every other predefined policy
 * (ELBSecurityPolicy-TLS13-*, -TLS-1-2-*, -FS-1-2-*) requires TLS 1.2 or later.
 */
export const LEGACY_TLS_POLICIES = new Set([
  'ELBSecurityPolicy-2016-08',
  'ELBSecurityPolicy-2015-05',
  'ELBSecurityPolicy-TLS-1-0-2015-04',
  'ELBSecurityPolicy-TLS-1-1-2017-01',
  'ELBSecurityPolicy-FS-2018-06',
  'ELBSecurityPolicy-FS-1-1-2019-08',
  'ELBSecurityPolicy-TLS13-1-0-2021-06',
  'ELBSecurityPolicy-TLS13-1-1-2021-06',
  'ELBSecurityPolicy-TLS13-1-0-PQ-2025-09',
  'ELBSecurityPolicy-TLS13-1-1-PQ-2025-09',
]);

export const rule = defineRule({
  id: 'AWS-ELB-002',
  slug: 'elb-old-tls-policy',
  title: 'Load balancer listener allows TLS 1.0 or 1.1',
  description:
    'A TLS or HTTPS listener uses a security policy that still negotiates TLS 1.0 or 1.1, protocol versions deprecated by RFC 8996 and rejected by PCI DSS.',
  severity: 'medium',
  kinds: ['aws.elbv2.load-balancer'],
  references: [fsbp('ELB.17', 'Application and Network Load Balancers with listeners should use recommended security policies')],
  remediation: 'aws elbv2 modify-listener --listener-arn <listener-arn> --ssl-policy ELBSecurityPolicy-TLS13-1-2-2021-06',
  tags: ['encryption', 'data-in-transit', 'tls'],
  check(resource) {
    const listeners = resource.attributes.listeners;
    if (!listeners) return unknown(resource, label('load balancer', resource), ['listeners'], 'uses a current TLS policy');
    const secure = listeners.filter((listener) => ['HTTPS', 'TLS'].includes(listener.protocol.toUpperCase()));
    const legacy = secure.filter((listener) => listener.sslPolicy !== undefined && LEGACY_TLS_POLICIES.has(listener.sslPolicy));
    if (legacy.length > 0) {
      const detail = legacy.map((l) => `${l.sslPolicy} on port ${l.port}`).join(', ');
      return fail(`${label('Load balancer', resource)} allows TLS 1.0/1.1 through ${detail}.`);
    }
    if (secure.some((listener) => listener.sslPolicy === undefined)) {
      return unknown(resource, label('load balancer', resource), ['listeners.sslPolicy'], 'uses a current TLS policy');
    }
    return PASS;
  },
});
