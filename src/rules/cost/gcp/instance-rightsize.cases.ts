import * as pricing from '../../../pricing/catalog.js';
import { busy, defineCostCases, gce, minus, priced, underused } from '../../cases.js';

const large = gce('n2-standard-8');

export const cases = defineCostCases({
  recommend: [
    {
      name: 'under the rightsizing threshold, priced at the target type one size down',
      resource: large,
      readings: underused,
      action: 'resize',
      saving: minus(
        priced(pricing.gcpMachineHour('n2-standard-8', large.region), 'hour'),
        priced(pricing.gcpMachineHour('n2-standard-4', large.region), 'hour'),
      ),
    },
  ],
  leave: [{ name: 'busy', resource: gce('n2-standard-8'), readings: busy }],
  unjudged: [{ name: 'with its metrics missing', resource: gce('n2-standard-8'), reason: 'CPU: offline' }],
});
