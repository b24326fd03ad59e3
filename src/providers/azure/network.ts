// Network kinds: network security groups and public IP addresses (with the NIC lookup that names
// what each IP is attached to), one KindSpec each, over @azure/arm-network's pagers.

import type { NetworkSecurityGroup, PublicIPAddress } from '@azure/arm-network';
import { defineKind, type KindSpec } from '../types.js';
import { normalizeNsg, normalizePublicIp } from './normalize.js';
import { type AzureKindContext, classicNext, firstPage, handleOf, keep, pageSettings } from './pages.js';

export function networkKinds(context: AzureKindContext): KindSpec[] {
  const nsg = defineKind({
    cloud: 'azure',
    kind: 'azure.network.nsg',
    scopeType: 'account',
    permissions: ['Microsoft.Network/networkSecurityGroups/read'],
    async listPage(scope, token, options) {
      const conn = await context.connection();
      const { subscriptionId } = handleOf(scope);
      options.onRequest?.('network');
      const page = await conn.withSignal(options.signal, async () =>
        firstPage<NetworkSecurityGroup>(
          (await conn.network(subscriptionId)).networkSecurityGroups.listAll({ abortSignal: options.signal }).byPage(pageSettings(token)),
        ),
      );
      const next = await classicNext(page);
      return {
        resources: keep(
          scope,
          page.map((item) => normalizeNsg(item, subscriptionId, options.raw)),
        ),
        ...(next ? { next } : {}),
      };
    },
  });

  const publicIp = defineKind({
    cloud: 'azure',
    kind: 'azure.network.public-ip',
    scopeType: 'account',
    permissions: ['Microsoft.Network/publicIPAddresses/read', 'Microsoft.Network/networkInterfaces/read'],
    async listPage(scope, token, options) {
      const conn = await context.connection();
      const { subscriptionId } = handleOf(scope);
      const network = await context.networkOf(subscriptionId);
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
  });

  return [nsg, publicIp];
}
