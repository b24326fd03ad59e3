// Compute kinds: virtual machines (with the NIC and public-IP lookups that give their network
// relations), managed disks and snapshots, one KindSpec each. ARM has no page size, so a probe
// (`config test`) is the first page as ARM serves it.

import type { Disk, Snapshot, VirtualMachine } from '@azure/arm-compute';
import { defineKind, type KindSpec, type Page } from '../types.js';
import { normalizeDisk, normalizeSnapshot, normalizeVm } from './normalize.js';
import { type AzureKindContext, firstPage, handleOf, keep, modularNext, pageSettings } from './pages.js';

export function computeKinds(context: AzureKindContext): KindSpec[] {
  const vm = defineKind({
    cloud: 'azure',
    kind: 'azure.compute.vm',
    scopeType: 'account',
    // statusOnly=true returns each VM's instance view (power state) inside the list.
    permissions: [
      'Microsoft.Compute/virtualMachines/read',
      'Microsoft.Compute/virtualMachines/instanceView/read',
      'Microsoft.Network/networkInterfaces/read',
      'Microsoft.Network/publicIPAddresses/read',
    ],
    async listPage(scope, token, options): Promise<Page> {
      const conn = await context.connection();
      const { subscriptionId } = handleOf(scope);
      const network = await context.networkOf(subscriptionId);
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
      const resources = page.map((item) => normalizeVm(item, subscriptionId, { nics, publicIps }, options.raw));
      return { resources: keep(scope, resources), ...(page.continuationToken ? { next: page.continuationToken } : {}) };
    },
  });

  const disk = defineKind({
    cloud: 'azure',
    kind: 'azure.compute.disk',
    scopeType: 'account',
    permissions: ['Microsoft.Compute/disks/read'],
    async listPage(scope, token, options) {
      const conn = await context.connection();
      const { subscriptionId } = handleOf(scope);
      options.onRequest?.('compute');
      const page = await conn.withSignal(options.signal, async () =>
        firstPage<Disk>((await conn.compute(subscriptionId)).disks.list({ abortSignal: options.signal }).byPage(pageSettings(token))),
      );
      const next = modularNext(page);
      return {
        resources: keep(
          scope,
          page.map((item) => normalizeDisk(item, subscriptionId, options.raw)),
        ),
        ...(next ? { next } : {}),
      };
    },
  });

  const snapshot = defineKind({
    cloud: 'azure',
    kind: 'azure.compute.snapshot',
    scopeType: 'account',
    permissions: ['Microsoft.Compute/snapshots/read'],
    async listPage(scope, token, options) {
      const conn = await context.connection();
      const { subscriptionId } = handleOf(scope);
      options.onRequest?.('compute');
      const page = await conn.withSignal(options.signal, async () =>
        firstPage<Snapshot>(
          (await conn.compute(subscriptionId)).snapshots.list({ abortSignal: options.signal }).byPage(pageSettings(token)),
        ),
      );
      const next = modularNext(page);
      return {
        resources: keep(
          scope,
          page.map((item) => normalizeSnapshot(item, subscriptionId, options.raw)),
        ),
        ...(next ? { next } : {}),
      };
    },
  });

  return [vm, disk, snapshot];
}
