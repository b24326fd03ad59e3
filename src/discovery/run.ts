// One discovery run as the commands need it: open the profile, build the providers, run the
// engine with progress on stderr, and save the snapshot.

import { ConfigError } from '../errors.js';
import { buildSnapshot, type Snapshot } from '../inventory/snapshot.js';
import type { Cloud, Resource, ResourceKind } from '../model/resource.js';
import type { Io } from '../render/io.js';
import { discover } from './engine.js';
import { createDiscoveryProgress } from './progress.js';
import { createProviders, openSession } from './session.js';

/** Chosen by bench/discovery (see BENCHMARKS.md): 128 beat 16 and 64 on the 10,000-resource estate. */
export const DEFAULT_CONCURRENCY = 128;
export const DEFAULT_SCOPE_CONCURRENCY = 10;
export const DEFAULT_CALL_TIMEOUT_MS = 30_000;

export interface RunContext {
  io: Io;
  signal: AbortSignal;
  env: NodeJS.ProcessEnv;
  globals: { profile?: string };
}

export interface DiscoverRequest {
  providers?: Cloud[];
  regions?: string[];
  kinds?: ResourceKind[];
  concurrency?: number;
  scopeConcurrency?: number;
  /** Overall limit for the run; what was found by then is kept, marked incomplete. */
  timeoutMs?: number;
  callTimeoutMs?: number;
  raw?: boolean;
  /** Save the snapshot in the data directory (default true). */
  save?: boolean;
  keep?: number;
  onResources?: (resources: Resource[]) => void;
}

export interface DiscoverOutcome {
  snapshot: Snapshot;
  /** Where the snapshot was saved, when it was. */
  file?: string;
}

export async function runDiscovery(ctx: RunContext, request: DiscoverRequest): Promise<DiscoverOutcome> {
  const session = await openSession(ctx.globals.profile ?? ctx.env.GUARDIAN_PROFILE, ctx.env);
  try {
    const callTimeoutMs = request.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
    const providers = await createProviders(session, request.providers, { callTimeoutMs });
    if (providers.length === 0) throw new ConfigError(`profile '${session.profileName}' covers none of the requested clouds`);
    const signal = request.timeoutMs ? AbortSignal.any([ctx.signal, AbortSignal.timeout(request.timeoutMs)]) : ctx.signal;
    const progress = await createDiscoveryProgress(
      ctx.io,
      providers.map((p) => p.cloud),
    );
    const startedAt = new Date();
    let result: Awaited<ReturnType<typeof discover>>;
    try {
      result = await discover({
        providers,
        kinds: request.kinds,
        regions: request.regions,
        concurrency: request.concurrency ?? session.profile.defaults?.concurrency ?? DEFAULT_CONCURRENCY,
        scopeConcurrency: request.scopeConcurrency ?? DEFAULT_SCOPE_CONCURRENCY,
        callTimeoutMs,
        raw: request.raw,
        signal,
        onEvent: progress.onEvent,
        onResources: request.onResources,
      });
    } finally {
      progress.stop();
      await Promise.all(providers.map((p) => p.close?.()));
    }
    // Some relations need every kind at hand (GCP selfLinks → ids, instance → firewall rules).
    for (const provider of providers) provider.resolveRelations?.(result.resources);
    const snapshot = buildSnapshot(result, {
      profile: session.profileName,
      startedAt,
      finishedAt: new Date(),
      request: { providers: providers.map((p) => p.cloud), regions: request.regions, kinds: request.kinds },
    });
    // Not one account could be listed: a credential, permission or endpoint problem, not a partial result.
    if (result.scopes.length === 0 && result.errors.length > 0 && !result.aborted) {
      const first = result.errors.find((e) => e.class === 'auth' || e.class === 'denied') ?? result.errors[0];
      const what = first.class === 'auth' || first.class === 'denied' ? 'authenticate' : 'be reached';
      throw new ConfigError(
        `no scope could ${what}: ${first.cloud} ${first.account === '*' ? '' : `${first.account} `}${first.code}: ${first.message}`,
        {
          hint: "check the credentials with 'guardian config test'",
        },
      );
    }
    let file: string | undefined;
    if (request.save !== false) {
      const { saveSnapshot } = await import('../inventory/store.js');
      file = await saveSnapshot(ctx.env, snapshot, request.keep);
      ctx.io.log.verbose(`snapshot saved to ${file}`);
    }
    return { snapshot, file };
  } finally {
    await session.close();
  }
}
