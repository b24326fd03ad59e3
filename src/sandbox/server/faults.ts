// Injected faults for the sandbox server, plugged in through SandboxServer.intercept: latency
// (fixed plus jitter), throttling as a token bucket per account × region the way EC2 meters
// its API (https://docs.aws.amazon.com/ec2/latest/devguide/ec2-api-throttling.html), a rate of
// 5xx answers, connection resets, and regions that never answer. Decisions come from a seeded
// generator in request order, so a run with the same seed and request sequence fails the same way.

import { Rng } from '../estate/rng.js';
import type { RequestInterceptor } from './server.js';
import type { FrontDoor, SandboxContext, SandboxRequest, SandboxResponse, SandboxService } from './types.js';

/**
 * One operation made to fail, by the name its cloud's permissions use (AWS `DeleteVolume`, Azure
 * `Microsoft.Compute/disks/delete`, GCP `compute.disks.delete`): every call, or only the Nth.
 */
export interface OperationFault {
  operation: string;
  /** 1-based: fail only this call of the operation; absent: every call. */
  nth?: number;
  /** 'server-error': the service's own 5xx; 'denied': the cloud's permission error (EC2 UnauthorizedOperation). */
  answer: 'server-error' | 'denied';
}

export interface ThrottleOptions {
  /** Bucket size: requests that may burst at once (EC2 non-mutating actions: 100). */
  capacity: number;
  /** Tokens added per second (EC2 non-mutating actions: 20). */
  refillPerSecond: number;
}

export interface FaultOptions {
  latencyMs?: number;
  /** Extra random delay, uniform in [0, jitterMs]. */
  jitterMs?: number;
  throttle?: ThrottleOptions;
  /** Share of requests (0..1) answered with the service's own 5xx error. */
  errorRate?: number;
  /** Share of requests (0..1) whose connection is reset without an answer. */
  resetRate?: number;
  /** Regions (or GCP regions covering their zones) whose requests are held until the client gives up. */
  outages?: string[];
  /** Operations (mutating calls mid-walk, typically) answered with an error. */
  failOperations?: OperationFault[];
  seed?: number;
}

/** EC2's bucket for non-mutating actions (Describe*, List*, Get*). */
export const EC2_THROTTLE: ThrottleOptions = { capacity: 100, refillPerSecond: 20 };

export interface FaultStats {
  requests: number;
  throttled: number;
  serverErrors: number;
  resets: number;
  /** Requests held by an outage (never answered). */
  outages: number;
  /** Requests failed because their operation was chosen to fail. */
  operationFaults: number;
  /** Total injected delay, ms. */
  delayedMs: number;
}

/** A token bucket that refills continuously; time is passed in so tests control it. */
export class TokenBucket {
  private tokens: number;
  private updatedMs: number;

  constructor(
    readonly capacity: number,
    readonly refillPerSecond: number,
    nowMs: number,
  ) {
    this.tokens = capacity;
    this.updatedMs = nowMs;
  }

  private refill(nowMs: number): void {
    if (nowMs > this.updatedMs) {
      this.tokens = Math.min(this.capacity, this.tokens + ((nowMs - this.updatedMs) / 1000) * this.refillPerSecond);
      this.updatedMs = nowMs;
    }
  }

  /** Takes a token; when none is left, says how long until one is (whole seconds, at least 1). */
  take(nowMs: number): { ok: true } | { ok: false; retryAfterSeconds: number } {
    this.refill(nowMs);
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return { ok: true };
    }
    const waitSeconds = (1 - this.tokens) / this.refillPerSecond;
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(waitSeconds)) };
  }

  available(nowMs: number): number {
    this.refill(nowMs);
    return this.tokens;
  }
}

/** Longest an outage holds a request; clients give up long before (and close() frees them). */
const OUTAGE_HOLD_MS = 10 * 60_000;

export class FaultInjector {
  readonly stats: FaultStats = { requests: 0, throttled: 0, serverErrors: 0, resets: 0, outages: 0, operationFaults: 0, delayedMs: 0 };
  /** Calls seen per operation named in failOperations. */
  private readonly operationCalls = new Map<string, number>();
  private readonly rng: Rng;
  private readonly buckets = new Map<string, TokenBucket>();
  private readonly held = new Set<() => void>();
  private closed = false;

  constructor(
    readonly options: FaultOptions,
    private readonly clock: () => number = () => performance.now(),
  ) {
    validateFaultOptions(options);
    this.rng = new Rng(options.seed ?? 0, 0xfa017);
  }

  /** Whether any fault is configured at all (the server skips the hook otherwise). */
  get active(): boolean {
    const o = this.options;
    return Boolean(o.latencyMs || o.jitterMs || o.throttle || o.errorRate || o.resetRate || o.outages?.length || o.failOperations?.length);
  }

  readonly intercept: RequestInterceptor = (req, service, ctx, door) => this.decide(req, service, ctx, door);

  /** The chosen failure for this call of its operation, if any (counting every call of a named operation). */
  private operationFault(req: SandboxRequest, service: SandboxService, door: FrontDoor | undefined): SandboxResponse | undefined {
    const faults = this.options.failOperations;
    const operation = faults?.length ? door?.operation?.(req) : undefined;
    if (!faults || operation === undefined) return undefined;
    const mine = faults.filter((fault) => fault.operation === operation);
    if (mine.length === 0) return undefined;
    const call = (this.operationCalls.get(operation) ?? 0) + 1;
    this.operationCalls.set(operation, call);
    const fault = mine.find((candidate) => candidate.nth === undefined || candidate.nth === call);
    if (!fault) return undefined;
    this.stats.operationFaults += 1;
    if (fault.answer === 'denied' && door?.denied) return door.denied(req, operation);
    return service.faultResponse(req, 'server-error');
  }

  private async decide(
    req: SandboxRequest,
    service: SandboxService,
    ctx: SandboxContext,
    door?: FrontDoor,
  ): Promise<SandboxResponse | 'reset' | undefined> {
    this.stats.requests += 1;
    const o = this.options;
    const scope = service.scope(req, ctx);
    // Draw every random number up front, in request order, so later delays cannot reorder them.
    const jitter = o.jitterMs ? this.rng.float() * o.jitterMs : 0;
    const errorRoll = this.rng.float();
    const resetRoll = this.rng.float();
    if (scope && o.outages?.some((region) => scope.region === region || scope.region.startsWith(`${region}-`))) {
      this.stats.outages += 1;
      return this.hold();
    }
    let answer: SandboxResponse | 'reset' | undefined = this.operationFault(req, service, door);
    if (!answer && o.throttle && scope) {
      const key = `${scope.account}|${scope.region}`;
      let bucket = this.buckets.get(key);
      if (!bucket) {
        bucket = new TokenBucket(o.throttle.capacity, o.throttle.refillPerSecond, this.clock());
        this.buckets.set(key, bucket);
      }
      const taken = bucket.take(this.clock());
      if (!taken.ok) {
        this.stats.throttled += 1;
        answer = service.faultResponse(req, 'throttle', taken.retryAfterSeconds);
      }
    }
    if (!answer && o.errorRate && errorRoll < o.errorRate) {
      this.stats.serverErrors += 1;
      answer = service.faultResponse(req, 'server-error');
    }
    if (!answer && o.resetRate && resetRoll < o.resetRate) {
      this.stats.resets += 1;
      answer = 'reset';
    }
    const delay = (o.latencyMs ?? 0) + jitter;
    if (delay > 0) {
      this.stats.delayedMs += delay;
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
    return answer;
  }

  /** Never answers until the injector is released (then the connection is reset). */
  private hold(): Promise<'reset'> {
    if (this.closed) return Promise.resolve('reset');
    return new Promise((resolve) => {
      const release = () => {
        clearTimeout(timer);
        this.held.delete(release);
        resolve('reset');
      };
      const timer = setTimeout(release, OUTAGE_HOLD_MS);
      timer.unref();
      this.held.add(release);
    });
  }

  /** Frees every held request (called before the server closes). */
  release(): void {
    this.closed = true;
    for (const release of [...this.held]) release();
  }
}

/** Throws a RangeError naming the bad option (callers turn flags into options and report it). */
export function validateFaultOptions(o: FaultOptions): void {
  const nonNegative = (name: string, value: number | undefined) => {
    if (value !== undefined && !(Number.isFinite(value) && value >= 0)) throw new RangeError(`${name} must be a number ≥ 0 (got ${value})`);
  };
  const rate = (name: string, value: number | undefined) => {
    if (value !== undefined && !(Number.isFinite(value) && value >= 0 && value <= 1))
      throw new RangeError(`${name} must be from 0 to 1 (got ${value})`);
  };
  nonNegative('latency', o.latencyMs);
  nonNegative('jitter', o.jitterMs);
  rate('error rate', o.errorRate);
  rate('reset rate', o.resetRate);
  for (const fault of o.failOperations ?? []) {
    if (!fault.operation) throw new RangeError('a failed operation needs a name');
    if (fault.nth !== undefined && !(Number.isInteger(fault.nth) && fault.nth >= 1)) {
      throw new RangeError(`the call to fail must be a whole number ≥ 1 (got ${fault.nth})`);
    }
  }
  if (o.throttle) {
    if (!(Number.isFinite(o.throttle.capacity) && o.throttle.capacity >= 1))
      throw new RangeError(`throttle capacity must be ≥ 1 (got ${o.throttle.capacity})`);
    if (!(Number.isFinite(o.throttle.refillPerSecond) && o.throttle.refillPerSecond > 0)) {
      throw new RangeError(`throttle refill rate must be > 0 (got ${o.throttle.refillPerSecond})`);
    }
  }
}
