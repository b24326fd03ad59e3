// The AWS provider: scopes (each account's enabled regions, plus the account-wide scope the
// contract lists per account — every AWS kind, S3 included, is listed per region) and one KindSpec
// per AWS resource kind, over the official SDK v3 clients; its costs face reads Cost Explorer.

import type { AwsSettings } from '../../config/profile.js';
import { type CloudProvider, catalogOf, type PermissionCatalog } from '../types.js';
import { changePermissions, createEc2Changes } from './changes.js';
import { createCloudWatchReader, metricPermissions } from './cloudwatch.js';
import { COST_PERMISSIONS, createAwsCostReader } from './costs.js';
import { classifyAwsError } from './errors.js';
import { awsKinds } from './kinds.js';
import { awsScopePermissions, callerAccount, listAwsScopes } from './scopes.js';
import { AwsClients, type AwsProviderOptions, type AwsSession, baseSessions } from './session.js';

export { type AwsCredentialCheck, type AwsPermissionCheck, checkAwsCredentials } from './check.js';
export { classifyAwsError } from './errors.js';
export { awsKinds } from './kinds.js';
export type { AwsProviderOptions } from './session.js';

/** What the AWS provider needs to be allowed with these settings (no credentials, no network). */
export function awsPermissions(settings: AwsSettings, env: NodeJS.ProcessEnv): PermissionCatalog {
  return catalogOf('aws', awsKinds(new AwsClients(settings, env)), awsScopePermissions(settings), {
    costs: COST_PERMISSIONS,
    metrics: metricPermissions(settings),
    changes: changePermissions(settings),
  });
}

export function createAwsProvider(settings: AwsSettings, env: NodeJS.ProcessEnv, options: AwsProviderOptions = {}): CloudProvider {
  const clients = new AwsClients(settings, env, options);
  const sessions = baseSessions(settings, env);
  const costs = createAwsCostReader(settings, env, { callTimeoutMs: options.callTimeoutMs, cache: options.costCache });
  // Metrics are read in the account the batch names: with the identity that belongs to it, or a
  // role assumed into it as discovery does. No scope listing: each identity's account is asked
  // once (GetCallerIdentity), and a failed lookup is asked again by the next call.
  const owners = new Map<AwsSession, Promise<string>>();
  const assumed = new Map<string, AwsSession>();
  const sessionOf = async (account: string, signal: AbortSignal) => {
    for (const session of sessions) {
      let owner = owners.get(session);
      if (!owner) {
        owner = callerAccount(clients, session, signal).then((found) => found.account);
        owners.set(session, owner);
        owner.catch(() => owners.delete(session));
      }
      if ((await owner) === account) return session;
    }
    if (!settings.assumeRole || (settings.accounts?.length && !settings.accounts.includes(account))) return undefined;
    let session = assumed.get(account);
    if (!session) {
      session = clients.assumedSession(sessions[0], account, settings.assumeRole);
      assumed.set(account, session);
    }
    return session;
  };
  const metrics = createCloudWatchReader(clients, sessionOf);
  return {
    cloud: 'aws',
    kinds: awsKinds(clients),
    listScopes: (listOptions) => listAwsScopes(clients, settings, sessions, listOptions),
    classify: classifyAwsError,
    costs,
    resourceCosts: costs.resources,
    ...metrics,
    changes: createEc2Changes(clients, sessionOf),
    close: async () => {
      costs.close();
      clients.destroy();
    },
  };
}
