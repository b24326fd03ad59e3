// The contract between Guardian and the cloud providers. A provider lists its scopes and
// declares one KindSpec per resource kind; the engine drives pagination, retries and
// concurrency, so each spec only knows how to fetch and normalize one page. Beside discovery a
// provider may offer faces (costs, metrics…): readers the capabilities call the same way.

import type { ChangeAnswer, ChangeRequest } from '../model/change.js';
import type { CostQuery, CostReading, ResourceCostQuery, ResourceCostReading } from '../model/cost.js';
import type { ErrorClass } from '../model/discovery.js';
import type { MetricPage, MetricPageQuery, MetricPlan, MetricQuery } from '../model/metric.js';
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
  /** Ask for the smallest first page the API allows: `config test` probes a spec's permissions this way. */
  probe?: boolean;
}

export interface KindSpec {
  cloud: Cloud;
  kind: ResourceKind;
  /** Which scopes this kind is listed in: one call chain per regional scope or one per account. */
  scopeType: 'region' | 'account';
  /**
   * Every permission a page needs, in the cloud's own names (AWS IAM actions, Azure RBAC
   * operations, GCP IAM permissions): the listing call and each sub-call it makes. `config policy`
   * prints them and `config test` names them beside the spec's probe.
   */
  permissions: readonly string[];
  /** Fetch one page. `token` is undefined for the first page. */
  listPage(scope: Scope, token: string | undefined, options: ListOptions): Promise<Page>;
}

/** Every service file declares its kinds through this, so a spec without permissions fails at load. */
export function defineKind(spec: KindSpec): KindSpec {
  if (spec.permissions.length === 0) throw new Error(`${spec.kind} declares no permissions`);
  return spec;
}

/** The faces whose permissions `config policy --with` chooses: metrics covers metricPlan and metrics. */
export const PERMISSION_FACES = ['costs', 'metrics', 'changes'] as const;
export type PermissionFace = (typeof PERMISSION_FACES)[number];

/**
 * What a provider needs to be allowed, taken from its specs and faces: the scope listing's calls,
 * each kind's, and each face's. Plain data, built without credentials or network.
 */
export interface PermissionCatalog {
  cloud: Cloud;
  scopes: readonly string[];
  kinds: { kind: ResourceKind; permissions: readonly string[] }[];
  faces: Record<PermissionFace, readonly string[]>;
}

export function catalogOf(
  cloud: Cloud,
  kinds: KindSpec[],
  scopes: readonly string[],
  faces: Record<PermissionFace, readonly string[]>,
): PermissionCatalog {
  return { cloud, scopes, kinds: kinds.map(({ kind, permissions }) => ({ kind, permissions })), faces };
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

/** What a face reader is given besides its query. */
export interface FaceCallOptions {
  /** Aborts on Ctrl-C, the run's --timeout or the call's --call-timeout; readers pass it to every request. */
  signal: AbortSignal;
}

/** A face reader: one query in, one answer out, with no state the caller has to keep between calls. */
export type FaceReader<Query, Answer> = (query: Query, options: FaceCallOptions) => Promise<Answer>;

/**
 * The faces a provider may offer beyond discovery. A face is a provider-side async function
 * called with a query and an AbortSignal; it is answered through the provider thread like
 * `listPage` (thread.ts and remote.ts forward every face in FACES, queries and answers as plain
 * data), its errors are classified by the provider's `classify`, and callers run it through
 * `callWithRetry` (src/discovery/call.ts) for the same retries, timeouts and cancellation as
 * discovery. To add a face:
 *   1. add `name: FaceReader<YourQuery, YourAnswer>` here (the types in src/model) and the name
 *      to FACE_NAMES below (the compiler insists);
 *   2. set it in each cloud's `create<Cloud>Provider` (a cloud without one leaves it undefined),
 *      and declare what it calls in that cloud's PermissionCatalog (a new PERMISSION_FACES entry,
 *      or the one it belongs to), so `config policy` grants it and `config test` probes it;
 *   3. call it as `callWithRetry(provider, (signal) => provider.name!(query, { signal }), …)`.
 */
export interface ProviderFaces {
  /** Spend from the cloud's billing API for one query (Cost Explorer, Cost Management, the BigQuery export). */
  costs: FaceReader<CostQuery, CostReading>;
  /** What each resource was billed over a few recent days (Cost Explorer's resource-level data); AWS only. */
  resourceCosts: FaceReader<ResourceCostQuery, ResourceCostReading>;
  /** Splits a metrics query into the batches (one call chain each) the cloud's monitoring API takes, and names what it lacks. */
  metricPlan: FaceReader<MetricQuery, MetricPlan>;
  /** One page of one batch (CloudWatch GetMetricData, Azure Monitor metrics.list, Cloud Monitoring timeSeries.list). */
  metrics: FaceReader<MetricPageQuery, MetricPage>;
  /** One change to one resource (optimize --apply and undo): release, snapshot, delete, stop, start, modify. */
  changes: FaceReader<ChangeRequest, ChangeAnswer>;
}

export type FaceName = keyof ProviderFaces;

const FACE_NAMES: Record<FaceName, true> = { costs: true, resourceCosts: true, metricPlan: true, metrics: true, changes: true };
export const FACES = Object.keys(FACE_NAMES) as FaceName[];

export interface CloudProvider extends Partial<ProviderFaces> {
  cloud: Cloud;
  kinds: KindSpec[];
  /** Resolve accounts and regions; a scope that cannot authenticate is a failure, not a throw. */
  listScopes(options: { regions?: string[]; signal: AbortSignal }): Promise<ScopeListing>;
  /** Map any error the provider's SDK throws into a class the engine can act on. */
  classify(error: unknown): ClassifiedError;
  /** Release SDK clients (sockets, timers) when the run is over. Optional. */
  close?(): Promise<void>;
}
