// The Azure provider: one 'account' scope per subscription (ARM lists are subscription-wide, so the
// region is 'global'), and one KindSpec per resource kind that fetches a single page through the
// SDK's own pager (`byPage({continuationToken})`, the token being ARM's nextLink).

import type { Disk, Snapshot, VirtualMachine } from '@azure/arm-compute';
import type { NetworkSecurityGroup, PublicIPAddress } from '@azure/arm-network';
import type { AzureSettings } from '../../config/profile.js';
import type { Resource, ResourceKind } from '../../model/resource.js';
import type { CloudProvider, KindSpec, ListOptions, Page, Scope, ScopeFailure, ScopeListing } from '../types.js';
import { type AzureConnection, connectAzure, resolveAzureSettings } from './connection.js';
import { createAzureCostReader } from './costs.js';
import { classifyAzureError } from './errors.js';
import { createMonitorReader } from './monitor.js';
import { type SubscriptionNetwork, subscriptionNetwork } from './network-links.js';
import { normalizeDisk, normalizeNsg, normalizePublicIp, normalizeSnapshot, normalizeVm } from './normalize.js';

export { type AzureCheck, type AzureCredentialCheck, checkAzureCredentials } from './credentials-check.js';

/** What a scope carries for its listers. */
interface AzureScopeHandle {
  subscriptionId: string;
  /** Locations to keep (--region); undefined keeps all. */
  regions?: string[];
}

/** A page as both SDK generations return it: modular pages carry `continuationToken`. */
type SdkPage<T> = T[] & { continuationToken?: string };

async function firstPage<T>(pages: AsyncIterableIterator<T[]>): Promise<SdkPage<T>> {
  const { value } = await pages.next();
  return (value ?? []) as SdkPage<T>;
}

const pageSettings = (token: string | undefined) => (token ? { continuationToken: token } : undefined);

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
  const networks = new Map<string, SubscriptionNetwork>();
  const networkOf = async (subscriptionId: string) => {
    let network = networks.get(subscriptionId);
    if (!network) {
      network = subscriptionNetwork(await connection(), subscriptionId);
      networks.set(subscriptionId, network);
    }
    return network;
  };

  const handleOf = (scope: Scope) => scope.handle as AzureScopeHandle;
  const keep = (scope: Scope, resources: Resource[]) => {
    const regions = handleOf(scope).regions;
    return regions ? resources.filter((resource) => regions.includes(resource.region)) : resources;
  };

  /** A KindSpec whose page comes from one SDK pager and needs nothing else. */
  function kind<T>(
    kindName: ResourceKind,
    service: 'compute' | 'network',
    list: (conn: AzureConnection, subscriptionId: string, signal: AbortSignal, token: string | undefined) => Promise<SdkPage<T>>,
    normalize: (item: T, subscriptionId: string, options: ListOptions) => Promise<Resource> | Resource,
    nextOf: (page: SdkPage<T>) => Promise<string | undefined> | string | undefined,
  ): KindSpec {
    return {
      cloud: 'azure',
      kind: kindName,
      scopeType: 'account',
      async listPage(scope, token, options): Promise<Page> {
        const conn = await connection();
        const { subscriptionId } = handleOf(scope);
        options.onRequest?.(service);
        const page = await conn.withSignal(options.signal, () => list(conn, subscriptionId, options.signal, token));
        const resources = await Promise.all(page.map((item) => normalize(item, subscriptionId, options)));
        const next = await nextOf(page);
        return { resources: keep(scope, resources), ...(next ? { next } : {}) };
      },
    };
  }

  const modularNext = <T>(page: SdkPage<T>) => page.continuationToken;
  const classicNext = async <T>(page: SdkPage<T>) => (await import('@azure/arm-network')).getContinuationToken(page);

  const vmSpec: KindSpec = {
    cloud: 'azure',
    kind: 'azure.compute.vm',
    scopeType: 'account',
    async listPage(scope, token, options) {
      const conn = await connection();
      const { subscriptionId } = handleOf(scope);
      const network = await networkOf(subscriptionId);
      const account = () => options.onRequest?.('network');
      options.onRequest?.('compute');
      // The NIC and public-IP lookups load (once per subscription) while the VM page is fetched.
      const [page, nics, publicIps] = await Promise.all([
        conn.withSignal(options.signal, async () => {
          const client = await conn.compute(subscriptionId);
          // statusOnly=true is how ARM includes each VM's power state in a subscription-wide list.
          return firstPage<VirtualMachine>(
            client.virtualMachines.listAll({ statusOnly: 'true', abortSignal: options.signal }).byPage(pageSettings(token)),
          );
        }),
        network.nics(options.signal, account),
        network.publicIps(options.signal, account),
      ]);
      const resources = page.map((vm) => normalizeVm(vm, subscriptionId, { nics, publicIps }, options.raw));
      return { resources: keep(scope, resources), ...(page.continuationToken ? { next: page.continuationToken } : {}) };
    },
  };

  const kinds: KindSpec[] = [
    vmSpec,
    kind<Disk>(
      'azure.compute.disk',
      'compute',
      async (conn, sub, signal, token) =>
        firstPage((await conn.compute(sub)).disks.list({ abortSignal: signal }).byPage(pageSettings(token))),
      (disk, sub, options) => normalizeDisk(disk, sub, options.raw),
      modularNext,
    ),
    kind<Snapshot>(
      'azure.compute.snapshot',
      'compute',
      async (conn, sub, signal, token) =>
        firstPage((await conn.compute(sub)).snapshots.list({ abortSignal: signal }).byPage(pageSettings(token))),
      (snapshot, sub, options) => normalizeSnapshot(snapshot, sub, options.raw),
      modularNext,
    ),
    kind<NetworkSecurityGroup>(
      'azure.network.nsg',
      'network',
      async (conn, sub, signal, token) =>
        firstPage((await conn.network(sub)).networkSecurityGroups.listAll({ abortSignal: signal }).byPage(pageSettings(token))),
      (nsg, sub, options) => normalizeNsg(nsg, sub, options.raw),
      classicNext,
    ),
    {
      cloud: 'azure',
      kind: 'azure.network.public-ip',
      scopeType: 'account',
      async listPage(scope, token, options) {
        const conn = await connection();
        const { subscriptionId } = handleOf(scope);
        const network = await networkOf(subscriptionId);
        options.onRequest?.('network');
        const [page, nics] = await Promise.all([
          conn.withSignal(options.signal, async () =>
            firstPage<PublicIPAddress>(
              (await conn.network(subscriptionId)).publicIPAddresses.listAll({ abortSignal: options.signal }).byPage(pageSettings(token)),
            ),
          ),
          network.nics(options.signal, () => options.onRequest?.('network')),
        ]);
        const resources = page.map((ip) => normalizePublicIp(ip, subscriptionId, nics, options.raw));
        const next = await classicNext(page);
        return { resources: keep(scope, resources), ...(next ? { next } : {}) };
      },
    },
  ];

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
  };
}
