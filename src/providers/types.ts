// The contract between the discovery engine and the cloud providers. A provider lists its
// scopes and declares one KindSpec per resource kind; the engine drives pagination, retries
// and concurrency, so each spec only knows how to fetch and normalize one page.

import type { ErrorClass } from '../model/discovery.js';
import type { Cloud, Resource, ResourceKind } from '../model/resource.js';

export type { ErrorClass };

export interface Scope {
  cloud: Cloud;
  /** 'region': one region/location/zone of an account; 'account': the whole account (region 'global'). */
  type: 'region' | 'account';
  /** AWS account id / Azure subscription id / GCP project id. */
  account: string;
  /** Region / location / 'global' (S3, GCP aggregatedList, Azure subscription-wide lists). */
  region: string;
  /** Human label for progress and errors, e.g. "aws 123456789012 eu-west-1". */
  label: string;
  /** Opaque provider data for the scope (credentials, client cache key…). */
  handle: unknown;
}

export interface Page {
  resources: Resource[];
  /** Continuation token for the next page; undefined when this was the last. */
  next?: string;
}

export interface ListOptions {
  signal: AbortSignal;
  /** Keep the SDK object on each Resource (`--raw`). */
  raw: boolean;
  /** Called once per API request the spec makes, for accounting (`--verbose`, paid calls). */
  onRequest?: (service: string) => void;
}

export interface KindSpec {
  cloud: Cloud;
  kind: ResourceKind;
  /** Which scopes this kind is listed in: one call chain per regional scope or one per account. */
  scopeType: 'region' | 'account';
  /** Fetch one page. `token` is undefined for the first page. */
  listPage(scope: Scope, token: string | undefined, options: ListOptions): Promise<Page>;
}

export interface ScopeFailure {
  cloud: Cloud;
  account: string;
  region?: string;
  error: ClassifiedError;
}

export interface ScopeListing {
  /** Every scope found: the regional ones and one 'account' scope per reachable account. */
  scopes: Scope[];
  failures: ScopeFailure[];
}

export interface ClassifiedError {
  class: ErrorClass;
  /** The cloud's error code (RequestLimitExceeded, AuthorizationFailed, PERMISSION_DENIED…). */
  code: string;
  message: string;
  /** From Retry-After or an equivalent, when the cloud said how long to wait. */
  retryAfterMs?: number;
}

export interface CloudProvider {
  cloud: Cloud;
  kinds: KindSpec[];
  /** Resolve accounts and regions; a scope that cannot authenticate is a failure, not a throw. */
  listScopes(options: { regions?: string[]; signal: AbortSignal }): Promise<ScopeListing>;
  /** Map any error the provider's SDK throws into a class the engine can act on. */
  classify(error: unknown): ClassifiedError;
  /** Release SDK clients (sockets, timers) when the run is over. Optional. */
  close?(): Promise<void>;
}
