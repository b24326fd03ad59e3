// The AWS provider: scopes (each account's enabled regions, plus the account-wide scope the
// contract lists per account — every AWS kind, S3 included, is listed per region) and one KindSpec
// per AWS resource kind, over the official SDK v3 clients.

import type { AwsSettings } from '../../config/profile.js';
import type { CloudProvider } from '../types.js';
import { createCloudWatchReader } from './cloudwatch.js';
import { ec2Kinds } from './ec2.js';
import { elbv2Kinds } from './elbv2.js';
import { classifyAwsError } from './errors.js';
import { rdsKinds } from './rds.js';
import { s3Kinds } from './s3.js';
import { listAwsScopes } from './scopes.js';
import { AwsClients, type AwsProviderOptions, baseSessions } from './session.js';

export { type AwsCredentialCheck, type AwsPermissionCheck, checkAwsCredentials } from './check.js';
export { classifyAwsError } from './errors.js';
export type { AwsProviderOptions } from './session.js';

export function createAwsProvider(settings: AwsSettings, env: NodeJS.ProcessEnv, options: AwsProviderOptions = {}): CloudProvider {
  const clients = new AwsClients(settings, env, options);
  const sessions = baseSessions(settings, env);
  return {
    cloud: 'aws',
    kinds: [...ec2Kinds(clients), ...rdsKinds(clients), ...elbv2Kinds(clients), ...s3Kinds(clients)],
    listScopes: (listOptions) => listAwsScopes(clients, settings, sessions, listOptions),
    classify: classifyAwsError,
    metrics: createCloudWatchReader(clients),
  };
}
