// The Azure provider: one 'account' scope per subscription (ARM lists are subscription-wide, so the
// region is 'global'), and the KindSpecs of its service files (compute.ts, network.ts), each
// fetching a single page through the SDK's own pager; its faces read Cost Management and Monitor.

import type { AzureSettings } from '../../config/profile.js';
import { type CloudProvider, catalogOf, type PermissionCatalog, type Scope, type ScopeFailure, type ScopeListing } from '../types.js';
import { CHANGE_PERMISSIONS, createAzureChanges } from './changes.js';
import { type AzureConnection, connectAzure, resolveAzureSettings } from './connection.js';
import { COST_PERMISSIONS, createAzureCostReader } from './costs.js';
import { classifyAzureError } from './errors.js';
import { azureKindContext, azureKinds } from './kinds.js';
import { createMonitorReader, METRIC_PERMISSIONS } from './monitor.js';
import type { AzureScopeHandle } from './pages.js';

export { type AzureCheck, type AzureCredentialCheck, checkAzureCredentials } from './credentials-check.js';
export { azureKindContext, azureKinds } from './kinds.js';

/** Listing subscriptions (or reading the named ones). */
const SCOPE_PERMISSIONS = ['Microsoft.Resources/subscriptions/read'];

/** What the Azure provider needs to be allowed (no credentials, no network: the context is never called). */
export function azurePermissions(): PermissionCatalog {
  const unused = azureKindContext(() => Promise.reject(new Error('the permission catalog makes no calls')));
  return catalogOf('azure', azureKinds(unused), SCOPE_PERMISSIONS, {
    costs: COST_PERMISSIONS,
    metrics: METRIC_PERMISSIONS,
    changes: CHANGE_PERMISSIONS,
  });
}

/**
 * `options.callTimeoutMs` is accepted for symmetry with the other clouds; the engine enforces it by
 * aborting the signal each call receives, which every Azure request here honours.
 */
export function createAzureProvider(
  settings: AzureSettings,
  env: NodeJS.ProcessEnv,
  _options: { callTimeoutMs?: number } = {},
): CloudProvider {
  const resolved = resolveAzureSettings(settings, env);
  let connecting: Promise<AzureConnection> | undefined;
  const connection = () => {
    connecting ??= connectAzure(resolved);
    return connecting;
  };
  const kinds = azureKinds(azureKindContext(connection));

  async function listScopes({ regions, signal }: { regions?: string[]; signal: AbortSignal }): Promise<ScopeListing> {
    const scopes: Scope[] = [];
    const failures: ScopeFailure[] = [];
    const conn = await connection();
    const client = await conn.subscriptions();
    const scopeOf = (subscriptionId: string, displayName: string | undefined): Scope => ({
      cloud: 'azure',
      type: 'account',
      account: subscriptionId,
      region: 'global',
      label: displayName ? `azure ${subscriptionId} (${displayName})` : `azure ${subscriptionId}`,
      handle: { subscriptionId, ...(regions?.length ? { regions } : {}) } satisfies AzureScopeHandle,
    });
    if (conn.subscriptionIds) {
      // Named subscriptions: each must exist and be readable; one missing never hides the others.
      await conn.withSignal(signal, () =>
        Promise.all(
          conn.subscriptionIds!.map(async (id) => {
            try {
              const subscription = await client.subscriptions.get(id, { abortSignal: signal });
              scopes.push(scopeOf(subscription.subscriptionId ?? id, subscription.displayName));
            } catch (error) {
              failures.push({ cloud: 'azure', account: id, error: classifyAzureError(error) });
            }
          }),
        ),
      );
      const order = new Map(conn.subscriptionIds.map((id, i) => [id.toLowerCase(), i]));
      scopes.sort((a, b) => (order.get(a.account.toLowerCase()) ?? 0) - (order.get(b.account.toLowerCase()) ?? 0));
      return { scopes, failures };
    }
    try {
      await conn.withSignal(signal, async () => {
        for await (const subscription of client.subscriptions.list({ abortSignal: signal })) {
          // Disabled and deleted subscriptions refuse reads; Warned and PastDue still answer.
          if (subscription.subscriptionId && subscription.state !== 'Disabled' && subscription.state !== 'Deleted') {
            scopes.push(scopeOf(subscription.subscriptionId, subscription.displayName));
          }
        }
      });
    } catch (error) {
      failures.push({ cloud: 'azure', account: conn.tenantId ?? '*', error: classifyAzureError(error) });
    }
    if (scopes.length === 0 && failures.length === 0) {
      failures.push({
        cloud: 'azure',
        account: conn.tenantId ?? '*',
        error: {
          class: 'denied',
          code: 'NoSubscriptions',
          message: 'the credential can see no enabled subscription (grant it Reader on one, or name them in azure.subscriptions)',
        },
      });
    }
    return { scopes, failures };
  }

  return {
    cloud: 'azure',
    kinds,
    listScopes,
    classify: classifyAzureError,
    costs: createAzureCostReader(settings, env),
    ...createMonitorReader(connection),
    changes: createAzureChanges(connection),
  };
}
