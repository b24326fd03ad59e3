// Every Azure kind, one service file each (compute.ts, network.ts), and the context they read
// through: what the provider lists and `config test` probes.

import type { KindSpec } from '../types.js';
import { computeKinds } from './compute.js';
import type { AzureConnection } from './connection.js';
import { networkKinds } from './network.js';
import { type SubscriptionNetwork, subscriptionNetwork } from './network-links.js';
import type { AzureKindContext } from './pages.js';

/** Every Azure kind, one service file each. */
export function azureKinds(context: AzureKindContext): KindSpec[] {
  return [...computeKinds(context), ...networkKinds(context)];
}

/** The context the specs read through: one lazy connection, one network lookup per subscription. */
export function azureKindContext(connection: () => Promise<AzureConnection>): AzureKindContext {
  const networks = new Map<string, SubscriptionNetwork>();
  return {
    connection,
    async networkOf(subscriptionId) {
      let network = networks.get(subscriptionId);
      if (!network) {
        network = subscriptionNetwork(await connection(), subscriptionId);
        networks.set(subscriptionId, network);
      }
      return network;
    },
  };
}
