// The engine's scheduling, retry and failure semantics, driven by a scripted in-memory provider
// (the providers themselves are tested through the sandbox's wire protocols elsewhere).

import { describe, expect, it } from 'vitest';
import { discover } from '../../src/discovery/engine.js';
import { backoffDelay, DEFAULT_RETRY, mayRetry } from '../../src/discovery/retry.js';
import type { Resource, ResourceKind } from '../../src/model/resource.js';
import type { ClassifiedError, CloudProvider, KindSpec, Scope } from '../../src/providers/types.js';

class ScriptedError extends Error {
  constructor(readonly classified: ClassifiedError) {
    super(classified.message);
  }
}

function resource(scope: Scope, kind: ResourceKind, n: number): Resource {
  return {
    cloud: 'aws',
    kind,
    id: `${scope.region}-${kind}-${n}`,
    name: `r${n}`,
    account: scope.account,
    region: scope.region,
    tags: {},
    attributes: {},
    relations: [],
  };
}

interface Script {
  regions: string[];
  pages: number;
  perPage: number;
  /** Fail the given call numbers (1-based, per scope+kind chain) with this error. */
  failures?: (region: string, call: number) => ClassifiedError | undefined;
  delayMs?: (region: string) => number;
}

function scriptedProvider(script: Script): CloudProvider & { inFlight: { max: number; now: number } } {
  const inFlight = { max: 0, now: 0 };
  const calls = new Map<string, number>();
  const spec = (kind: ResourceKind): KindSpec => ({
    cloud: 'aws',
    kind,
    scopeType: 'region',
    permissions: ['ec2:DescribeInstances'],
    async listPage(scope, token, { signal }) {
      const key = `${scope.region}|${kind}`;
      const call = (calls.get(key) ?? 0) + 1;
      calls.set(key, call);
      inFlight.now += 1;
      inFlight.max = Math.max(inFlight.max, inFlight.now);
      try {
        const delay = script.delayMs?.(scope.region) ?? 1;
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(resolve, delay);
          signal.addEventListener('abort', () => {
            clearTimeout(timer);
            reject(signal.reason);
          });
        });
        const failure = script.failures?.(scope.region, call);
        if (failure) throw new ScriptedError(failure);
        const page = token === undefined ? 0 : Number(token);
        const resources = Array.from({ length: script.perPage }, (_, i) => resource(scope, kind, page * script.perPage + i));
        return { resources, next: page + 1 < script.pages ? String(page + 1) : undefined };
      } finally {
        inFlight.now -= 1;
      }
    },
  });
  return {
    cloud: 'aws',
    inFlight,
    kinds: [spec('aws.ec2.instance'), spec('aws.ec2.volume')],
    async listScopes() {
      return {
        scopes: script.regions.map((region) => ({
          cloud: 'aws' as const,
          type: 'region' as const,
          account: '111111111111',
          region,
          label: `aws 111111111111 ${region}`,
          handle: null,
        })),
        failures: [],
      };
    },
    classify(error) {
      if (error instanceof ScriptedError) return error.classified;
      return { class: 'fatal', code: 'Unknown', message: String(error) };
    },
  };
}

const base = { concurrency: 8, scopeConcurrency: 4, callTimeoutMs: 1000, random: () => 0 };

describe('discovery engine', () => {
  it('lists every page of every kind in every scope exactly once', async () => {
    const provider = scriptedProvider({ regions: ['us-east-1', 'eu-west-1', 'ap-south-1'], pages: 3, perPage: 5 });
    const result = await discover({ ...base, providers: [provider], signal: new AbortController().signal });
    expect(result.resources).toHaveLength(3 * 2 * 3 * 5);
    expect(result.stats.pages).toBe(3 * 2 * 3);
    expect(result.stats.duplicates).toBe(0);
    expect(result.complete).toBe(true);
    expect(result.scopes.every((s) => s.status === 'ok' && s.resources === 30)).toBe(true);
  });

  it('streams every resource without keeping them when asked, still dropping duplicates', async () => {
    // Two providers listing the same account and region: every resource arrives twice.
    const script = { regions: ['us-east-1'], pages: 2, perPage: 3 };
    const streamed: Resource[] = [];
    const result = await discover({
      ...base,
      providers: [scriptedProvider(script), scriptedProvider(script)],
      signal: new AbortController().signal,
      keep: false,
      onResources: (page) => streamed.push(...page),
    });
    expect(result.resources).toEqual([]);
    expect(streamed).toHaveLength(2 * 2 * 3);
    expect(new Set(streamed.map((r) => `${r.kind}|${r.id}`)).size).toBe(streamed.length);
    expect(result.stats.duplicates).toBe(2 * 2 * 3);
    expect(result.scopes.reduce((sum, s) => sum + s.resources, 0)).toBe(streamed.length);
  });

  it('never runs more calls at once than the global cap', async () => {
    const provider = scriptedProvider({
      regions: ['us-east-1', 'eu-west-1', 'ap-south-1', 'eu-central-1'],
      pages: 2,
      perPage: 1,
      delayMs: () => 5,
    });
    await discover({ ...base, concurrency: 3, scopeConcurrency: 3, providers: [provider], signal: new AbortController().signal });
    expect(provider.inFlight.max).toBeLessThanOrEqual(3);
    expect(provider.inFlight.max).toBeGreaterThan(1);
  });

  it('retries throttling and transient errors and loses nothing', async () => {
    const provider = scriptedProvider({
      regions: ['us-east-1', 'eu-west-1'],
      pages: 2,
      perPage: 3,
      failures: (_region, call) =>
        call % 2 === 1
          ? { class: call % 4 === 1 ? 'throttle' : 'transient', code: 'RequestLimitExceeded', message: 'slow down' }
          : undefined,
    });
    const result = await discover({ ...base, providers: [provider], signal: new AbortController().signal });
    expect(result.resources).toHaveLength(2 * 2 * 2 * 3);
    expect(result.errors).toEqual([]);
    expect(result.stats.retries).toBeGreaterThan(0);
    expect(result.stats.throttled).toBeGreaterThan(0);
  });

  it('records a failing region as a failed scope and still lists the others', async () => {
    const provider = scriptedProvider({
      regions: ['us-east-1', 'eu-west-1'],
      pages: 1,
      perPage: 2,
      failures: (region) => (region === 'eu-west-1' ? { class: 'denied', code: 'UnauthorizedOperation', message: 'no' } : undefined),
    });
    const result = await discover({ ...base, providers: [provider], signal: new AbortController().signal });
    expect(result.resources).toHaveLength(2 * 2);
    expect(result.complete).toBe(false);
    expect(result.scopes.find((s) => s.region === 'eu-west-1')?.status).toBe('failed');
    expect(result.scopes.find((s) => s.region === 'us-east-1')?.status).toBe('ok');
    expect(result.errors.map((e) => e.code)).toEqual(['UnauthorizedOperation', 'UnauthorizedOperation']);
  });

  it('gives up on a hanging region after the per-call timeout and its timeout attempts', async () => {
    const provider = scriptedProvider({
      regions: ['us-east-1', 'sa-east-1'],
      pages: 1,
      perPage: 1,
      delayMs: (r) => (r === 'sa-east-1' ? 60_000 : 1),
    });
    const result = await discover({ ...base, callTimeoutMs: 50, providers: [provider], signal: new AbortController().signal });
    expect(result.resources).toHaveLength(2);
    const failed = result.errors.filter((e) => e.region === 'sa-east-1');
    expect(failed).toHaveLength(2);
    expect(failed.every((e) => e.code === 'CallTimeout' && e.attempts === DEFAULT_RETRY.maxTimeoutAttempts)).toBe(true);
  });

  it('stops every call when aborted and returns what it found, marked incomplete', async () => {
    const controller = new AbortController();
    const provider = scriptedProvider({ regions: ['us-east-1'], pages: 1000, perPage: 1, delayMs: () => 2 });
    setTimeout(() => controller.abort(new Error('interrupted')), 30);
    const result = await discover({ ...base, providers: [provider], signal: controller.signal });
    expect(result.aborted).toBe(true);
    expect(result.complete).toBe(false);
    expect(result.resources.length).toBeGreaterThan(0);
    expect(result.resources.length).toBeLessThan(2000);
  });

  it('counts listings stopped by the abort as not finished, apart from failures', async () => {
    const controller = new AbortController();
    const provider = scriptedProvider({
      regions: ['us-east-1', 'eu-west-1'],
      pages: 1000,
      perPage: 1,
      delayMs: () => 2,
      failures: (region) => (region === 'eu-west-1' ? { class: 'denied', code: 'UnauthorizedOperation', message: 'no' } : undefined),
    });
    setTimeout(() => controller.abort(new Error('interrupted')), 30);
    const result = await discover({ ...base, providers: [provider], signal: controller.signal });
    const east = result.scopes.find((s) => s.region === 'us-east-1');
    const west = result.scopes.find((s) => s.region === 'eu-west-1');
    expect([east?.status, east?.failedTasks, east?.unfinishedTasks]).toEqual(['unfinished', 0, 2]);
    expect([west?.status, west?.failedTasks, west?.unfinishedTasks]).toEqual(['failed', 2, 0]);
    expect([result.stats.failedTasks, result.stats.unfinishedTasks]).toEqual([2, 2]);
    expect(result.errors.filter((e) => e.region === 'us-east-1').map((e) => e.code)).toEqual(['Interrupted', 'Interrupted']);
  });

  it('narrows to the requested kinds', async () => {
    const provider = scriptedProvider({ regions: ['us-east-1'], pages: 1, perPage: 2 });
    const result = await discover({ ...base, kinds: ['aws.ec2.volume'], providers: [provider], signal: new AbortController().signal });
    expect(new Set(result.resources.map((r) => r.kind))).toEqual(new Set(['aws.ec2.volume']));
  });
});

describe('retry policy', () => {
  it('backs off exponentially with full jitter under a cap and honours Retry-After', () => {
    const policy = { ...DEFAULT_RETRY, baseDelayMs: 100, maxDelayMs: 1000 };
    expect(backoffDelay(policy, 1, () => 0.999)).toBe(99);
    expect(backoffDelay(policy, 3, () => 0.5)).toBe(200);
    expect(backoffDelay(policy, 10, () => 0.999)).toBe(999);
    expect(backoffDelay(policy, 1, () => 0, 2500)).toBe(2500);
  });

  it('retries only throttling, transient failures and timeouts, within their attempt limits', () => {
    expect(mayRetry(DEFAULT_RETRY, 'throttle', 1)).toBe(true);
    expect(mayRetry(DEFAULT_RETRY, 'throttle', DEFAULT_RETRY.maxAttempts)).toBe(false);
    expect(mayRetry(DEFAULT_RETRY, 'timeout', DEFAULT_RETRY.maxTimeoutAttempts)).toBe(false);
    expect(mayRetry(DEFAULT_RETRY, 'auth', 1)).toBe(false);
    expect(mayRetry(DEFAULT_RETRY, 'denied', 1)).toBe(false);
  });
});

describe('a provider that ignores the abort signal', () => {
  it('cannot keep the run open after Ctrl-C or a call timeout', async () => {
    const never: CloudProvider = {
      cloud: 'gcp',
      kinds: [
        {
          cloud: 'gcp',
          kind: 'gcp.compute.disk',
          scopeType: 'account',
          permissions: ['compute.disks.list'],
          listPage: () => new Promise(() => {}),
        },
      ],
      async listScopes() {
        return { scopes: [{ cloud: 'gcp', type: 'account', account: 'p', region: 'global', label: 'gcp p', handle: null }], failures: [] };
      },
      classify: (error) => ({ class: 'fatal', code: 'X', message: String(error) }),
    };
    const timedOut = await discover({ ...base, callTimeoutMs: 20, providers: [never], signal: new AbortController().signal });
    expect(timedOut.errors.map((e) => e.code)).toEqual(['CallTimeout']);
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('interrupted')), 20);
    const interrupted = await discover({ ...base, callTimeoutMs: 60_000, providers: [never], signal: controller.signal });
    expect(interrupted.aborted).toBe(true);
  });
});
