// The calls a page makes beside its listing call — S3's four posture reads per bucket, ELBv2's
// listeners and tags, the snapshot public check — retry on their own. The engine retries whole
// pages, but a page of 100 buckets makes 400 such calls: under 5 % injected errors it would almost
// never succeed as a whole (0.95^400), so each sub-call gets its own capped, fully jittered backoff.

import { classifyAwsError } from './errors.js';

const ATTEMPTS = 8;
const BASE_MS = 100;
const CAP_MS = 5_000;

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', abort);
      resolve();
    }, ms);
    const abort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', abort, { once: true });
  });
}

export async function subCall<T>(signal: AbortSignal, call: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (signal.aborted || attempt >= ATTEMPTS) throw error;
      const classified = classifyAwsError(error);
      if (classified.class !== 'throttle' && classified.class !== 'transient' && classified.class !== 'timeout') throw error;
      const backoff = Math.random() * Math.min(CAP_MS, BASE_MS * 2 ** attempt);
      await sleep(Math.max(backoff, classified.retryAfterMs ?? 0), signal);
    }
  }
}

/**
 * What a page already learned about its resources (a bucket's posture, a load balancer's
 * listeners), kept briefly so that when the engine retries a failed page it resumes instead of
 * redoing every sub-call — under heavy throttling a page would otherwise never complete.
 */
export class ResumeCache<T> {
  private readonly entries = new Map<string, { at: number; value: T }>();

  constructor(private readonly ttlMs = 120_000) {}

  get(key: string): T | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (Date.now() - entry.at > this.ttlMs) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  set(key: string, value: T): void {
    this.entries.set(key, { at: Date.now(), value });
  }
}
