// The contract between the sandbox's HTTP core and the per-service wire modules.
// The core parses the request, applies injected faults, and dispatches to the first service
// whose `matches` accepts it. Adding a cloud service is adding one module that implements this.

import type { Estate } from '../estate/types.js';
import type { EstateIndex } from './index-estate.js';
import type { SandboxState } from './state.js';
import type { EstateStore } from './store.js';

export type { EstateIndex } from './index-estate.js';

export interface SandboxRequest {
  method: string;
  url: URL;
  headers: Record<string, string | undefined>;
  body: Buffer;
  /** The request-target exactly as sent (path and query, still percent-encoded), which SigV4 signs. */
  rawTarget?: string;
  /** For AWS SigV4 requests: the credential scope's service and region, and the access key id. */
  aws?: { service: string; region: string; accessKeyId: string };
}

export interface SandboxResponse {
  status: number;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

/** Where a request's throttling bucket and outages apply: account × region. */
export interface FaultScope {
  account: string;
  region: string;
}

export interface SandboxContext {
  estate: Estate;
  /** Base URL of the listener that took the request, e.g. https://127.0.0.1:4567. */
  origin: string;
  /** Per-estate lookup tables (by kind, by account/region, by id), kept current by the store. */
  index: EstateIndex;
  /** The estate as something that changes: mutating calls go through it (estate/store.ts). */
  store: EstateStore;
  /** Service-owned state in typed slots (state.ts): server-lived (issued tokens…) or derived from the estate. */
  state: SandboxState;
}

/**
 * What every request to one cloud passes before any service module sees it, whatever its route
 * (modules added later included): the cloud's own authentication checks, and its own error for a
 * request no module serves, so a client never meets a shape its cloud would not send.
 */
export interface FrontDoor {
  cloud: 'aws' | 'azure' | 'gcp';
  /** Whether the request is addressed to this cloud (AWS: SigV4-signed; Azure: the HTTPS listener). */
  claims(req: SandboxRequest, ctx: SandboxContext): boolean;
  /** Checks made before dispatch; a response refuses the request. */
  admit?(req: SandboxRequest, ctx: SandboxContext): SandboxResponse | undefined | Promise<SandboxResponse | undefined>;
  /** The cloud's own error for a request no service module serves. */
  unrouted(req: SandboxRequest, ctx: SandboxContext): SandboxResponse;
  /**
   * The operation a request calls, by the name the cloud's permissions use (AWS: the action,
   * `DeleteVolume`); what an injected per-operation fault is aimed at. Undefined when unknown.
   */
  operation?(req: SandboxRequest): string | undefined;
  /** The cloud's own permission error for the request (EC2: UnauthorizedOperation), in its protocol. */
  denied?(req: SandboxRequest, operation: string): SandboxResponse;
}

export type FaultKind = 'throttle' | 'server-error' | 'outage';

export interface SandboxService {
  /** Short name used in logs and fault stats: 'aws.ec2', 'azure.arm', 'gcp.compute'… */
  name: string;
  /** Whether this module serves the request (by SigV4 service, host path, target header…). */
  matches(req: SandboxRequest): boolean;
  /** The account × region a request counts against, for throttling buckets and outages. */
  scope(req: SandboxRequest, ctx: SandboxContext): FaultScope | undefined;
  handle(req: SandboxRequest, ctx: SandboxContext): SandboxResponse | Promise<SandboxResponse>;
  /** The cloud's own error shape for an injected fault (EC2 RequestLimitExceeded, ARM 429 + Retry-After…). */
  faultResponse(req: SandboxRequest, fault: FaultKind, retryAfterSeconds?: number): SandboxResponse;
}
