// The contract between the discovery engine and the cloud providers. A provider lists its
// scopes and declares one KindSpec per resource kind; the engine drives pagination, retries
// and concurrency, so each spec only knows how to fetch and normalize one page.

import type { MetricGap, MetricName, MetricQuery, MetricSeries, MetricStat, ResourceRef } from '../model/metric.js';
import type { Cloud, Resource, ResourceKind } from '../model/resource.js';

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

export type ErrorClass = 'throttle' | 'transient' | 'auth' | 'denied' | 'not-found' | 'timeout' | 'fatal';

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
  /** Utilisation metrics of the provider's machines, when the cloud has them. */
  metrics?: MetricsReader;
  /** Release SDK clients (sockets, timers) when the run is over. Optional. */
  close?(): Promise<void>;
}

/**
 * One call chain of a metrics read: the resources × metrics one request (and its pages) carries,
 * in the scope (account × region) it is read in. Plain data: it crosses to provider threads.
 */
export interface MetricBatch {
  account: string;
  region: string;
  items: { resource: ResourceRef; metric: MetricName }[];
  start: string;
  end: string;
  periodSeconds: number;
  stat: MetricStat;
}

export interface MetricPage {
  /** Series with the points of this page; a series may continue on the next page. */
  series: MetricSeries[];
  next?: string;
}

export interface MetricPlan {
  batches: MetricBatch[];
  /** Metrics asked for that a resource does not have (EC2 memory, Azure percentiles…). */
  gaps: MetricGap[];
}

/** The metrics face of a provider: it splits a query into batches and reads them page by page. */
export interface MetricsReader {
  plan(query: MetricQuery): Promise<MetricPlan>;
  readPage(scope: Scope, batch: MetricBatch, token: string | undefined, options: { signal: AbortSignal }): Promise<MetricPage>;
}
