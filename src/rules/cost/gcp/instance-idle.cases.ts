import * as pricing from '../../../pricing/catalog.js';
import { defineCostCases, gce, idle, priced, underused } from '../../cases.js';

const idleInstance = gce('n2-standard-4');

export const cases = defineCostCases({
  recommend: [
    {
      name: 'running with CPU and network under the idle thresholds',
      resource: idleInstance,
      readings: idle,
      action: 'stop',
      saving: priced(pricing.gcpMachineHour('n2-standard-4', idleInstance.region), 'hour'),
    },
  ],
  leave: [{ name: 'above idle', resource: gce('n2-standard-4'), readings: underused }],
  unjudged: [{ name: 'with its metrics missing', resource: gce('n2-standard-4'), reason: 'CPU: offline' }],
});
