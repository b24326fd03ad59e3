import * as pricing from '../../../pricing/catalog.js';
import { busy, defineCostCases, ec2, idle, priced, underused } from '../../cases.js';
import { DEFAULT_THRESHOLDS } from '../../cost.js';

const idleMachine = ec2('m6i.large');

export const cases = defineCostCases({
  recommend: [
    {
      name: 'running with CPU and network under the idle thresholds',
      resource: idleMachine,
      readings: idle,
      action: 'stop',
      saving: priced(pricing.ec2InstanceHour('m6i.large', idleMachine.region), 'hour'),
      proposal: {
        evidence: [
          { type: 'metric', metric: 'cpu', stat: 'p95', value: 1, threshold: DEFAULT_THRESHOLDS.idleCpuPercent, comparison: 'below' },
          {
            type: 'metric',
            metric: 'network',
            stat: 'p95',
            value: 200,
            threshold: DEFAULT_THRESHOLDS.idleNetworkBytesPerSecond,
            comparison: 'below',
          },
        ],
        cli: [`aws ec2 stop-instances --region ${idleMachine.region} --instance-ids ${idleMachine.id}`],
      },
    },
  ],
  leave: [
    { name: 'above idle, if under the rightsizing threshold', resource: ec2('m6i.large'), readings: underused },
    { name: 'busy', resource: ec2('m6i.large'), readings: busy },
  ],
  unjudged: [{ name: 'with its metrics missing', resource: ec2('m6i.large'), reason: 'CPU: offline' }],
});
