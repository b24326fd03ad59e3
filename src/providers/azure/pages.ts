// What every Azure service file's specs share: the scope they are listed in (one per subscription),
// the connection and NIC/public-IP lookups they read through, and one page of an ARM pager
// (`byPage({continuationToken})`, the token being ARM's nextLink).

import type { Resource } from '../../model/resource.js';
import type { Scope } from '../types.js';
import type { AzureConnection } from './connection.js';
import type { SubscriptionNetwork } from './network-links.js';

/** What a scope carries for its listers. */
export interface AzureScopeHandle {
  subscriptionId: string;
  /** Locations to keep (--region); undefined keeps all. */
  regions?: string[];
}

/** What a spec reads through: one connection per provider, one network lookup per subscription. */
export interface AzureKindContext {
  connection(): Promise<AzureConnection>;
  networkOf(subscriptionId: string): Promise<SubscriptionNetwork>;
}

/** A page as both SDK generations return it: modular pages carry `continuationToken`. */
export type SdkPage<T> = T[] & { continuationToken?: string };

export async function firstPage<T>(pages: AsyncIterableIterator<T[]>): Promise<SdkPage<T>> {
  const { value } = await pages.next();
  return (value ?? []) as SdkPage<T>;
}

export const pageSettings = (token: string | undefined) => (token ? { continuationToken: token } : undefined);

export const handleOf = (scope: Scope) => scope.handle as AzureScopeHandle;

/** The resources of the scope's --region locations (ARM lists are subscription-wide). */
export function keep(scope: Scope, resources: Resource[]): Resource[] {
  const regions = handleOf(scope).regions;
  return regions ? resources.filter((resource) => regions.includes(resource.region)) : resources;
}

export const modularNext = <T>(page: SdkPage<T>) => page.continuationToken;
export const classicNext = async <T>(page: SdkPage<T>) => (await import('@azure/arm-network')).getContinuationToken(page);
