// A VM's NSG and public IP are not on the VM: ARM links VM → NIC → (NSG, public IP), and a public
// IP names only the NIC ip-configuration that holds it. To draw those relations Guardian lists each
// subscription's NICs and public IPs once and keeps a compact lookup, shared by the VM and
// public-IP kinds. The listings resume from their last page after a failure (a throttled page
// does not restart them) and are cancelled only when every caller waiting on them has gone.

import type { NetworkManagementClient } from '@azure/arm-network';
import type { AzureConnection } from './connection.js';

export interface NicLink {
  vmId?: string;
  nsgId?: string;
  publicIpIds: string[];
  privateIp?: string;
}

interface PageResult<T> {
  items: T[];
  next?: string;
}

/** A paged listing loaded to the end once, by whoever needs it first, resumable after errors. */
export class ResumableListing<T> {
  private readonly items: T[] = [];
  private next: string | undefined;
  private done = false;
  private inflight: Promise<void> | undefined;
  private controller: AbortController | undefined;
  private waiters = 0;

  constructor(private readonly fetchPage: (token: string | undefined, signal: AbortSignal) => Promise<PageResult<T>>) {}

  async load(signal: AbortSignal): Promise<readonly T[]> {
    if (this.done) return this.items;
    signal.throwIfAborted();
    if (!this.inflight) {
      const controller = new AbortController();
      this.controller = controller;
      this.inflight = this.run(controller.signal).finally(() => {
        this.inflight = undefined;
      });
    }
    const inflight = this.inflight;
    this.waiters += 1;
    try {
      await new Promise<void>((resolve, reject) => {
        const onAbort = () => reject(signal.reason ?? new DOMException('aborted', 'AbortError'));
        signal.addEventListener('abort', onAbort, { once: true });
        inflight.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
      });
    } finally {
      this.waiters -= 1;
      if (this.waiters === 0 && signal.aborted) this.controller?.abort();
    }
    return this.items;
  }

  private async run(signal: AbortSignal): Promise<void> {
    while (!this.done) {
      const page = await this.fetchPage(this.next, signal);
      for (const item of page.items) this.items.push(item);
      this.next = page.next;
      if (!page.next) this.done = true;
    }
  }
}

/** Lowercased: ARM compares resource ids case-insensitively and references differ in case. */
export const idKey = (id: string) => id.toLowerCase();

/** `…/networkInterfaces/{nic}/ipConfigurations/{name}` → the NIC's id. */
export function nicOfIpConfiguration(id: string): string {
  const at = id.toLowerCase().indexOf('/ipconfigurations/');
  return at === -1 ? id : id.slice(0, at);
}

export interface SubscriptionNetwork {
  nics(signal: AbortSignal, onRequest?: () => void): Promise<Map<string, NicLink>>;
  publicIps(signal: AbortSignal, onRequest?: () => void): Promise<Map<string, string | undefined>>;
}

async function firstPage<T>(pages: AsyncIterableIterator<T[]>): Promise<T[]> {
  const { value } = await pages.next();
  return value ?? [];
}

export function subscriptionNetwork(connection: AzureConnection, subscriptionId: string): SubscriptionNetwork {
  // The listing is shared, so its requests are accounted to whichever caller asked last.
  let account: (() => void) | undefined;
  const page = async <T>(
    list: (client: NetworkManagementClient, signal: AbortSignal) => AsyncIterableIterator<T[]>,
    signal: AbortSignal,
  ) => {
    const client = await connection.network(subscriptionId);
    account?.();
    const { getContinuationToken: tokenOf } = await import('@azure/arm-network');
    const items = await connection.withSignal(signal, () => firstPage(list(client, signal)));
    return { items, next: tokenOf(items) };
  };
  const nicListing = new ResumableListing<[string, NicLink]>(async (token, signal) => {
    const result = await page(
      (client) => client.networkInterfaces.listAll({ abortSignal: signal }).byPage(token ? { continuationToken: token } : undefined),
      signal,
    );
    return {
      next: result.next,
      items: result.items.map((nic): [string, NicLink] => {
        const configs = nic.ipConfigurations ?? [];
        const primary = configs.find((c) => c.primary) ?? configs[0];
        return [
          idKey(nic.id ?? ''),
          {
            vmId: nic.virtualMachine?.id,
            nsgId: nic.networkSecurityGroup?.id,
            publicIpIds: configs.flatMap((c) => (c.publicIPAddress?.id ? [c.publicIPAddress.id] : [])),
            privateIp: primary?.privateIPAddress,
          },
        ];
      }),
    };
  });
  const ipListing = new ResumableListing<[string, string | undefined]>(async (token, signal) => {
    const result = await page(
      (client) => client.publicIPAddresses.listAll({ abortSignal: signal }).byPage(token ? { continuationToken: token } : undefined),
      signal,
    );
    return { next: result.next, items: result.items.map((ip): [string, string | undefined] => [idKey(ip.id ?? ''), ip.ipAddress]) };
  });
  let nics: Map<string, NicLink> | undefined;
  let ips: Map<string, string | undefined> | undefined;
  return {
    async nics(signal, onRequest) {
      account = onRequest ?? account;
      if (!nics) nics = new Map(await nicListing.load(signal));
      return nics;
    },
    async publicIps(signal, onRequest) {
      account = onRequest ?? account;
      if (!ips) ips = new Map(await ipListing.load(signal));
      return ips;
    },
  };
}
