// AWS-COST-009: load balancer served no request over the window.

import { defineCostRule, fact, metricEvidence, monthlyFromHour, NONE, recommend } from '../../cost.js';
import { label } from '../../rule.js';

export const rule = defineCostRule({
  id: 'AWS-COST-009',
  slug: 'elb-idle',
  title: 'Load balancer served no request over the window',
  description:
    'The load balancer received no request (application) or new flow (network) in the whole window, yet every hour it exists is billed. A load balancer nobody calls is usually left over from a service that moved or was retired.',
  kinds: ['aws.elbv2.load-balancer'],
  action: 'delete-load-balancer',
  metrics: ['requests'],
  remediation: 'aws elbv2 delete-load-balancer --load-balancer-arn <arn> (after checking no DNS record still points at it).',
  tags: ['idle', 'network'],
  recommend: (lb, context) => {
    // No request from a load balancer younger than the window says nothing yet.
    if (lb.createdAt && lb.createdAt > context.windowStart) return NONE;
    const requests = context.metric(lb, 'requests');
    if (requests.status === 'missing') return { status: 'undecided', reason: `requests: ${requests.reason}` };
    // CloudWatch publishes no RequestCount point for a period without requests: no data is no traffic.
    if (requests.status === 'read' && requests.max > 0) return NONE;
    const type = typeof lb.attributes.lbType === 'string' ? lb.attributes.lbType : 'application';
    return recommend({
      summary: `Delete ${label('load balancer', lb)}: it served no request over the window.`,
      saving: monthlyFromHour(context.pricing.loadBalancerHour(type, lb.region), `a ${type} load balancer in ${lb.region}`),
      evidence: [
        requests.status === 'read'
          ? metricEvidence(requests, 'max', 0, 'at-most')
          : fact('CloudWatch published no request count for it in the window (no traffic)'),
      ],
      risk: 'Anything still resolving its DNS name fails; a deleted load balancer is not restorable: recreate it with its listeners and target groups. The hourly charge only: LCU usage is not counted.',
      cli: [`aws elbv2 delete-load-balancer --region ${lb.region} --load-balancer-arn ${lb.id}`],
    });
  },
});
