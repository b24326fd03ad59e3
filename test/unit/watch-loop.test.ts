// The refresh loop: one refresh at a time, the next an interval after the last ended, progress
// passed on a few times a second, a failure keeping the last good data, and stop() letting go.

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { WatchData } from '../../src/watch/estate.js';
import { createRefreshLoop, describeFailure, type LoopState, PROGRESS_EVERY_MS } from '../../src/watch/loop.js';
import { emptyData } from './watch-fixture.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((ok, fail) => {
    resolve = ok;
    reject = fail;
  });
  return { promise, resolve, reject };
}

describe('watch refresh loop', () => {
  it('refreshes again an interval after the last refresh ended, never two at once', async () => {
    const runs: ReturnType<typeof deferred<WatchData>>[] = [];
    const loop = createRefreshLoop({
      refresh: () => {
        const run = deferred<WatchData>();
        runs.push(run);
        return run.promise;
      },
      intervalMs: 10_000,
      now: () => new Date(Date.now()),
    });
    loop.start();
    loop.refreshNow();
    expect(runs).toHaveLength(1);
    expect(loop.state().status.running).toBe(true);
    runs[0].resolve(emptyData());
    await vi.advanceTimersByTimeAsync(0);
    expect(loop.state().status).toMatchObject({ running: false });
    expect(loop.state().status.nextAt?.getTime()).toBe(Date.now() + 10_000);
    await vi.advanceTimersByTimeAsync(9_999);
    expect(runs).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(runs).toHaveLength(2);
    runs[1].resolve(emptyData());
    await loop.stop();
  });

  it('keeps the last good data and says why when a refresh fails, and clears the error on the next good one', async () => {
    let call = 0;
    const loop = createRefreshLoop({
      refresh: async () => {
        call += 1;
        if (call === 2) throw new Error('no scope could authenticate: aws AuthFailure\nstack line');
        return { ...emptyData(), profile: `run-${call}` };
      },
      intervalMs: 1000,
      now: () => new Date(Date.now()),
    });
    const seen: LoopState[] = [];
    loop.subscribe((state) => seen.push(state));
    loop.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(loop.state().data?.profile).toBe('run-1');
    await vi.advanceTimersByTimeAsync(1000);
    expect(loop.state().data?.profile).toBe('run-1');
    expect(loop.state().status.error).toBe('no scope could authenticate: aws AuthFailure');
    await vi.advanceTimersByTimeAsync(1000);
    expect(loop.state().data?.profile).toBe('run-3');
    expect(loop.state().status.error).toBeUndefined();
    expect(seen.length).toBeGreaterThan(3);
    await loop.stop();
  });

  it('passes progress on at most every PROGRESS_EVERY_MS, the latest line only', async () => {
    const run = deferred<WatchData>();
    const loop = createRefreshLoop({
      refresh: (_signal, onProgress) => {
        for (let i = 1; i <= 50; i++) onProgress(`page ${i}`);
        return run.promise;
      },
      now: () => new Date(Date.now()),
    });
    const lines: (string | undefined)[] = [];
    loop.subscribe((state) => lines.push(state.status.progress));
    loop.start();
    expect(lines).toEqual(['starting…']);
    await vi.advanceTimersByTimeAsync(PROGRESS_EVERY_MS);
    expect(lines).toEqual(['starting…', 'page 50']);
    run.resolve(emptyData());
    await vi.advanceTimersByTimeAsync(0);
    // Once (--input): nothing is scheduled after it.
    expect(loop.state().status.nextAt).toBeUndefined();
    await loop.stop();
  });

  it('aborts a running refresh on stop and waits for it to let go', async () => {
    let aborted = false;
    const loop = createRefreshLoop({
      refresh: (signal) =>
        new Promise((_, reject) => {
          signal.addEventListener('abort', () => {
            aborted = true;
            reject(new Error('aborted'));
          });
        }),
      intervalMs: 1000,
      now: () => new Date(Date.now()),
    });
    loop.start();
    await loop.stop();
    expect(aborted).toBe(true);
    await vi.advanceTimersByTimeAsync(5000);
    expect(loop.state().status.running).toBe(true);
  });

  it('reports a failure as one line with control characters escaped', () => {
    expect(describeFailure(new Error('bad \u001b[2J name\nat stack'))).toBe('bad \\x1b[2J name');
  });
});
