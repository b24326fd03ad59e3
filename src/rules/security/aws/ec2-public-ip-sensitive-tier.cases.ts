// The cases AWS-EC2-016 is tested on (test/unit/rule-cases.test.ts); not shipped.

import { defineCases, resource } from '../../cases.js';

const sensitiveDb = resource('aws.ec2.instance', { imdsV1Allowed: false }, { id: 'i-0db', name: 'orders-db', tags: { tier: 'db' } });
const eip = resource('aws.ec2.address', { publicIp: '54.1.2.3' }, { relations: [{ type: 'associated-with', target: sensitiveDb.id }] });

export const cases = defineCases({
  pass: [{ resource: resource('aws.ec2.instance', { publicIp: '54.9.9.9' }, { tags: { tier: 'web' } }), others: [eip] }],
  fail: [
    {
      name: 'a db-tier instance reachable through its Elastic IP',
      resource: sensitiveDb,
      others: [eip],
      finding: { message: 'EC2 instance "orders-db" (i-0db) in tier db has public IP 54.1.2.3.' },
    },
  ],
});
