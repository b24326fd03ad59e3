// Providers in worker threads (providers/remote.ts): the same pages as the in-process provider
// through the real SDKs against the demo sandbox, Guardian's errors keep their class across the
// thread boundary, and a closed thread fails calls as data instead of hanging. Uses the compiled
// modules, as the CLI does: the thread's entry is dist/src/providers/thread.js.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CloudProvider, Page } from '../../src/providers/types.js';
import type { Demo } from '../../src/sandbox/demo.js';

const dist = (path: string) => new URL(`../../dist/src/${path}`, import.meta.url).href;

let demo: Demo;
let dir: string;
let env: NodeJS.ProcessEnv;
let remote: typeof import('../../src/providers/remote.js');
let factory: typeof import('../../src/providers/factory.js');
let errors: typeof import('../../src/errors.js');

beforeAll(async () => {
  const { startDemo } = (await import(dist('sandbox/demo.js'))) as typeof import('../../src/sandbox/demo.js');
  remote = await import(dist('providers/remote.js'));
  factory = await import(dist('providers/factory.js'));
  errors = await import(dist('errors.js'));
  dir = await mkdtemp(join(tmpdir(), 'guardian-threads-'));
  demo = await startDemo({ seed: 7, size: 300 }, dir);
  env = { ...process.env, ...demo.env };
});

afterAll(async () => {
  await demo?.close();
  await rm(dir, { recursive: true, force: true });
});

const signal = new AbortController().signal;

async function firstPages(provider: CloudProvider) {
  const listing = await provider.listScopes({ signal });
  const pages: Record<string, Page> = {};
  const requests: string[] = [];
  for (const spec of provider.kinds) {
    const scope = listing.scopes.find((s) => s.type === spec.scopeType);
    if (!scope) continue;
    pages[`${scope.label} ${spec.kind}`] = await spec.listPage(scope, undefined, { signal, raw: true, onRequest: (s) => requests.push(s) });
  }
  return { scopes: listing.scopes.map(({ handle: _h, ...rest }) => rest), pages, requests };
}

describe('provider threads', () => {
  it.each(['aws', 'azure', 'gcp'] as const)('%s: the same scopes, pages, raw objects and request counts as in-process', async (cloud) => {
    const options = { callTimeoutMs: 30_000 };
    const local = await factory.createLocalProvider(cloud, demo.profile, env, options);
    const threaded = await remote.createThreadProvider(cloud, demo.profile, env, options);
    try {
      expect(threaded.kinds.map((k) => [k.kind, k.scopeType, k.permissions])).toEqual(
        local.kinds.map((k) => [k.kind, k.scopeType, k.permissions]),
      );
      const [a, b] = [await firstPages(local), await firstPages(threaded)];
      expect(b.scopes).toEqual(a.scopes);
      expect(Object.keys(b.pages).length).toBeGreaterThan(3);
      // Structured clone keeps Dates and nested raw objects; JSON equality is what the CLI prints.
      expect(JSON.parse(JSON.stringify(b.pages))).toEqual(JSON.parse(JSON.stringify(a.pages)));
      expect(b.requests.sort()).toEqual(a.requests.sort());
    } finally {
      await Promise.all([local.close?.(), threaded.close?.()]);
    }
  });

  it("a configuration error in the thread arrives as Guardian's ConfigError with its hint", async () => {
    const profile = { azure: { auth: 'client-secret' as const, tenantId: 't' } };
    const failure = await remote.createThreadProvider('azure', profile, {}, { callTimeoutMs: 1000 }).catch((error) => error);
    expect(failure).toBeInstanceOf(errors.ConfigError);
    expect(failure.message).toMatch(/needs clientId/);
    expect(failure.hint).toMatch(/guardian config set/);
  });

  it('a call failing in the thread is classified there; after close, calls fail as data', async () => {
    const profile = { ...demo.profile, aws: { ...demo.profile.aws, profiles: ['no-such-profile'] } };
    const provider = await remote.createThreadProvider('aws', profile, env, { callTimeoutMs: 30_000 });
    const listing = await provider.listScopes({ signal });
    expect(listing.scopes).toEqual([]);
    expect(listing.failures[0].error.class).toBe('auth');
    await provider.close?.();
    const late = await provider.listScopes({ signal }).catch((error) => error);
    expect(provider.classify(late).class).toBe('fatal');
  });

  it('an aborted call rejects at once and the thread stays usable', async () => {
    const provider = await remote.createThreadProvider('gcp', demo.profile, env, { callTimeoutMs: 30_000 });
    try {
      const listing = await provider.listScopes({ signal });
      const spec = provider.kinds[0];
      const scope = listing.scopes.find((s) => s.type === spec.scopeType);
      if (!scope) throw new Error('no scope');
      const controller = new AbortController();
      const pending = spec.listPage(scope, undefined, { signal: controller.signal, raw: false });
      controller.abort();
      const outcome = await pending.then(
        () => 'resolved',
        (error) => provider.classify(error).class,
      );
      // Either the SDK saw the abort (classified in the thread) or the page had already arrived.
      expect(['resolved', 'timeout', 'fatal', 'transient']).toContain(outcome);
      const again = await spec.listPage(scope, undefined, { signal, raw: false });
      expect(again.resources.length).toBeGreaterThan(0);
    } finally {
      await provider.close?.();
    }
  });

  it.each(['aws', 'azure', 'gcp'] as const)('%s: the costs face answers through the thread as it does in-process', async (cloud) => {
    const options = { callTimeoutMs: 30_000 };
    const local = await factory.createLocalProvider(cloud, demo.profile, env, options);
    const threaded = await remote.createThreadProvider(cloud, demo.profile, env, options);
    try {
      const query = { start: '2026-10-01', end: '2026-11-01', granularity: 'daily', metric: 'unblended', dimension: 'service' } as const;
      const [a, b] = [await local.costs?.(query, { signal }), await threaded.costs?.(query, { signal })];
      expect(a?.series.groups.length).toBeGreaterThan(0);
      expect(b).toEqual(a);
    } finally {
      await Promise.all([local.close?.(), threaded.close?.()]);
    }
  });

  it("a face's configuration error is classified in the thread and keeps Guardian's error and hint", async () => {
    const profile = { ...demo.profile, gcp: { ...demo.profile.gcp, billingExportTable: 'not a table' } };
    const provider = await remote.createThreadProvider('gcp', profile, env, { callTimeoutMs: 30_000 });
    try {
      const query = { start: '2026-10-01', end: '2026-11-01', granularity: 'daily', metric: 'unblended', dimension: 'service' } as const;
      const failure = await provider.costs?.(query, { signal }).catch((error) => error);
      expect(provider.classify(failure)).toMatchObject({ class: 'auth', code: 'ConfigError' });
      expect(failure.guardian).toBeInstanceOf(errors.ConfigError);
      expect(failure.guardian.hint).toMatch(/guardian config set gcp.billingExportTable/);
    } finally {
      await provider.close?.();
    }
  });
});
