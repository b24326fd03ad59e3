// Retry policy for cloud calls: capped exponential backoff with full jitter, honouring the
// cloud's Retry-After when it gives one. https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/

import type { ErrorClass } from '../providers/types.js';

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  /** Attempts for calls that timed out: a region that hangs should fail fast, not six times over. */
  maxTimeoutAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 8, maxTimeoutAttempts: 2, baseDelayMs: 100, maxDelayMs: 20_000 };

const RETRYABLE: ReadonlySet<ErrorClass> = new Set(['throttle', 'transient', 'timeout']);

export function isRetryable(errorClass: ErrorClass): boolean {
  return RETRYABLE.has(errorClass);
}

/** Whether attempt number `attempt` (1-based, just failed with `errorClass`) may be followed by another. */
export function mayRetry(policy: RetryPolicy, errorClass: ErrorClass, attempt: number): boolean {
  if (!isRetryable(errorClass)) return false;
  return attempt < (errorClass === 'timeout' ? policy.maxTimeoutAttempts : policy.maxAttempts);
}

/**
 * Delay before the next attempt after `attempt` failures: full jitter over a capped exponential,
 * never less than what the server asked for.
 */
export function backoffDelay(policy: RetryPolicy, attempt: number, random: () => number, retryAfterMs?: number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  const jittered = Math.floor(random() * ceiling);
  return retryAfterMs !== undefined ? Math.max(retryAfterMs, jittered) : jittered;
}

/** Sleep that ends early (rejecting) when the signal aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
