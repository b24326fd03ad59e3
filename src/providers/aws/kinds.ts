// Every AWS kind, one service file each: what the provider lists and `config test` probes.

import type { KindSpec } from '../types.js';
import { ec2Kinds } from './ec2.js';
import { elbv2Kinds } from './elbv2.js';
import { rdsKinds } from './rds.js';
import { s3Kinds } from './s3.js';
import type { AwsClients } from './session.js';

export function awsKinds(clients: AwsClients): KindSpec[] {
  return [...ec2Kinds(clients), ...rdsKinds(clients), ...elbv2Kinds(clients), ...s3Kinds(clients)];
}
