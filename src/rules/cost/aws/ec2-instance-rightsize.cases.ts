import * as pricing from '../../../pricing/catalog.js';
import { busy, defineCostCases, ec2, minus, priced, underused } from '../../cases.js';

const large = ec2('m6i.2xlarge');

export const cases = defineCostCases({
  recommend: [
    {
      name: 'under the rightsizing threshold, priced at the target type one size down',
      resource: large,
      readings: underused,
      action: 'resize',
      saving: minus(
        priced(pricing.ec2InstanceHour('m6i.2xlarge', large.region), 'hour'),
        priced(pricing.ec2InstanceHour('m6i.xlarge', large.region), 'hour'),
      ),
    },
  ],
  leave: [{ name: 'busy', resource: ec2('m6i.2xlarge'), readings: busy }],
  unjudged: [{ name: 'with its metrics missing', resource: ec2('m6i.2xlarge'), reason: 'CPU: offline' }],
});
