import * as pricing from '../../../pricing/catalog.js';
import { daysAgo, defineCostCases, priced, read, resource } from '../../cases.js';

const alb = (createdAt?: string) => resource('aws.elbv2.load-balancer', { lbType: 'application' }, { state: 'active', createdAt });
const quiet = alb();

export const cases = defineCostCases({
  recommend: [
    {
      name: 'no request in the window',
      resource: quiet,
      readings: { requests: { status: 'no-data' } },
      action: 'delete-load-balancer',
      saving: priced(pricing.loadBalancerHour('application', quiet.region), 'hour'),
    },
  ],
  leave: [
    { name: 'serving requests', resource: alb(), readings: { requests: read('requests', 40, 90) } },
    { name: 'younger than the window', resource: alb(daysAgo(3)), readings: { requests: { status: 'no-data' } } },
  ],
});
