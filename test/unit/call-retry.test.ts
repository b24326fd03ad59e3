// callWithRetry: the one retry/timeout/cancellation path that discovery's page calls and every
// provider face (costs, metrics) take.

import { describe, expect, it } from 'vitest';
import { CallFailed, callWithRetry } from '../../src/discovery/call.js';
import type { ClassifiedError } from '../../src/providers/types.js';

class Scripted extends Error {
  constructor(readonly classified: ClassifiedError) {
    super(classified.message);
  }
}
const provider = {
  classify: (error: unknown): ClassifiedError =>
    error instanceof Scripted ? error.classified : { class: 'fatal', code: 'Error', message: String(error) },
};
const fast = { maxAttempts: 4, maxTimeoutAttempts: 2, baseDelayMs: 1, maxDelayMs: 2 };
const never = (): Promise<string> => new Promise<string>(() => {});

describe('callWithRetry', () => {
  it('retries throttling until the call answers and reports each retry', async () => {
    let calls = 0;
    const retries: string[] = [];
    const value = await callWithRetry(
      provider,
      async () => {
        calls += 1;
        if (calls < 3) throw new Scripted({ class: 'throttle', code: 'Throttling', message: 'slow down' });
        return 'ok';
      },
      { signal: new AbortController().signal, callTimeoutMs: 1000, retry: fast, onRetry: (error) => retries.push(error.code) },
    );
    expect(value).toBe('ok');
    expect(calls).toBe(3);
    expect(retries).toEqual(['Throttling', 'Throttling']);
  });

  it('does not retry a denied call and says how many attempts it made', async () => {
    const failure = await callWithRetry(
      provider,
      async () => {
        throw new Scripted({ class: 'denied', code: 'AccessDenied', message: 'no' });
      },
      { signal: new AbortController().signal, callTimeoutMs: 1000, retry: fast },
    ).catch((error) => error);
    expect(failure).toBeInstanceOf(CallFailed);
    expect(failure.classified.code).toBe('AccessDenied');
    expect(failure.attempts).toBe(1);
  });

  it('gives up on a call that never answers after the call timeout, twice, even when it ignores its signal', async () => {
    let calls = 0;
    const failure = await callWithRetry(
      provider,
      () => {
        calls += 1;
        return never();
      },
      { signal: new AbortController().signal, callTimeoutMs: 20, retry: fast },
    ).catch((error) => error);
    expect(failure).toBeInstanceOf(CallFailed);
    expect(failure.classified).toMatchObject({ class: 'timeout', code: 'CallTimeout' });
    expect(calls).toBe(2);
  });

  it("stops at once when the run's signal aborts, naming the run timeout", async () => {
    const run = AbortSignal.timeout(20);
    const failure = await callWithRetry(provider, () => never(), { signal: run, callTimeoutMs: 60_000, retry: fast }).catch(
      (error) => error,
    );
    expect(failure.classified).toMatchObject({ class: 'timeout', code: 'RunTimeout' });
    expect(failure.attempts).toBe(1);
  });
});
