// One cloud call with Guardian's retry, timeout and cancellation: the discovery engine's page
// calls and every provider face (costs, metrics…) go through `callWithRetry`, so a throttled,
// hung or interrupted call behaves the same whatever asked for it.

import type { ClassifiedError, CloudProvider } from '../providers/types.js';
import { backoffDelay, DEFAULT_RETRY, mayRetry, type RetryPolicy, sleep } from './retry.js';

/** A call that gave up: the last attempt's classified error and how many attempts were made. */
export class CallFailed extends Error {
  constructor(
    readonly classified: ClassifiedError,
    readonly attempts: number,
    options?: { cause?: unknown },
  ) {
    super(classified.message, options);
    this.name = 'CallFailed';
  }
}

/** What an aborted run signal means for the call it cut short: Ctrl-C, or the overall --timeout. */
export function abortedError(signal: AbortSignal): ClassifiedError {
  const reason = signal.reason;
  const timedOut = reason instanceof DOMException && reason.name === 'TimeoutError';
  return {
    class: 'timeout',
    code: timedOut ? 'RunTimeout' : 'Interrupted',
    message: timedOut ? 'the run timed out before this call finished' : 'interrupted',
  };
}

/**
 * The call's promise, or a rejection as soon as its signal aborts: an SDK that does not honour
 * the signal (or settles late after cancelling) must not hold the run open after Ctrl-C or a timeout.
 */
export function settleOnAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    promise.catch(() => {});
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      promise.catch(() => {});
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

export interface CallOptions {
  /** The run's signal (Ctrl-C, --timeout): aborting it stops the call and every retry. */
  signal: AbortSignal;
  /** Abort one attempt that takes longer than this (--call-timeout). */
  callTimeoutMs: number;
  retry?: RetryPolicy;
  random?: () => number;
  /**
   * Runs each attempt, e.g. through p-limit pools; the attempt's own clock starts when the
   * scheduler starts it, not when it is queued. Default: run it at once.
   */
  schedule?: <T>(attempt: () => Promise<T>) => Promise<T>;
  /** Every attempt, before it is scheduled (call accounting). */
  onAttempt?: () => void;
  /** Every failed attempt, classified (throttle accounting). */
  onFailure?: (error: ClassifiedError) => void;
  /** A retry is about to wait `delayMs` after attempt number `attempt` failed. */
  onRetry?: (error: ClassifiedError, attempt: number, delayMs: number) => void;
}

/**
 * Calls `fn` with a signal that aborts on the run's signal or after the call timeout, retries
 * throttling, transient failures and timeouts with backoff (never holding a scheduler slot while
 * it sleeps), and throws `CallFailed` when it gives up. Errors are classified by the provider.
 */
export async function callWithRetry<T>(
  provider: Pick<CloudProvider, 'classify'>,
  fn: (signal: AbortSignal) => Promise<T>,
  options: CallOptions,
): Promise<T> {
  const policy = options.retry ?? DEFAULT_RETRY;
  const random = options.random ?? Math.random;
  const schedule = options.schedule ?? (<U>(attempt: () => Promise<U>) => attempt());
  for (let attempt = 1; ; attempt++) {
    if (options.signal.aborted) throw new CallFailed(abortedError(options.signal), attempt - 1);
    let callSignal: AbortSignal | undefined;
    try {
      options.onAttempt?.();
      return await schedule(() => {
        callSignal = AbortSignal.any([options.signal, AbortSignal.timeout(options.callTimeoutMs)]);
        return settleOnAbort(fn(callSignal), callSignal);
      });
    } catch (error) {
      const classified: ClassifiedError = options.signal.aborted
        ? abortedError(options.signal)
        : callSignal?.aborted
          ? { class: 'timeout', code: 'CallTimeout', message: `no answer within ${options.callTimeoutMs} ms` }
          : provider.classify(error);
      options.onFailure?.(classified);
      if (options.signal.aborted || !mayRetry(policy, classified.class, attempt)) {
        throw new CallFailed(classified, attempt, { cause: error });
      }
      const delayMs = backoffDelay(policy, attempt, random, classified.retryAfterMs);
      options.onRetry?.(classified, attempt, delayMs);
      try {
        await sleep(delayMs, options.signal);
      } catch {
        throw new CallFailed(abortedError(options.signal), attempt);
      }
    }
  }
}
