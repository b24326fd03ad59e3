// AWS-ELB-001: Load balancer serves plain HTTP.

import { fsbp } from '../../references.js';
import { defineRule, fail, label, PASS, unknown, unknownAfterApply } from '../../rule.js';

export const rule = defineRule({
  id: 'AWS-ELB-001',
  slug: 'elb-http-listener',
  title: 'Load balancer has a plain-HTTP listener',
  description:
    'A load balancer accepts unencrypted HTTP. Credentials, cookies and data travel in clear text (across the Internet for internet-facing ones, across the VPC for internal ones) unless the listener only redirects to HTTPS; serve HTTPS and redirect port 80.',
  severity: 'medium',
  kinds: ['aws.elbv2.load-balancer'],
  references: [fsbp('ELB.1', 'Application Load Balancer should be configured to redirect all HTTP requests to HTTPS')],
  remediation:
    "aws elbv2 modify-listener --listener-arn <http-listener-arn> --default-actions 'Type=redirect,RedirectConfig={Protocol=HTTPS,Port=443,StatusCode=HTTP_301}' (after creating an HTTPS listener with aws elbv2 create-listener --protocol HTTPS --port 443 --certificates CertificateArn=<cert-arn> ...)",
  tags: ['encryption', 'data-in-transit', 'exposure'],
  check(resource) {
    const { scheme, listeners } = resource.attributes;
    if (!listeners) return unknown(resource, label('load balancer', resource), ['listeners'], 'serves plain HTTP');
    const http = listeners.filter((listener) => listener.protocol.toUpperCase() === 'HTTP');
    if (http.length === 0) {
      return unknownAfterApply(resource).includes('listeners')
        ? unknown(resource, label('load balancer', resource), ['listeners'], 'serves plain HTTP')
        : PASS;
    }
    const where = scheme ? ` (${scheme})` : '';
    return fail(`${label('Load balancer', resource)}${where} has a plain-HTTP listener on port ${http.map((l) => l.port).join(', ')}.`);
  },
});
