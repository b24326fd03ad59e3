// One discovery run as the commands need it: open the profile, build the providers, run the
// engine with progress on stderr, and stream the snapshot to disk as the resources arrive.

import type { ConfigStore } from '../config/store.js';
import { ConfigError } from '../errors.js';
import type { SnapshotMeta } from '../inventory/snapshot.js';
import { SnapshotWriter } from '../inventory/snapshot-writer.js';
import type { Cloud, Resource, ResourceKind } from '../model/resource.js';
import type { Io } from '../render/io.js';
import { discover } from './engine.js';
import type { DiscoveryEvent } from './events.js';
import { createDiscoveryProgress } from './progress.js';
import { relationIndexes } from './relations.js';
import { type CloudSession, createProviders } from './session.js';
import type { Shard } from './shard.js';

/** Chosen by bench/discovery (see BENCHMARKS.md): 128 beat 16 and 64 on the 10,000-resource estate. */
export const DEFAULT_CONCURRENCY = 128;
export const DEFAULT_SCOPE_CONCURRENCY = 10;
export const DEFAULT_CALL_TIMEOUT_MS = 30_000;

/** What a run is given by its command: streams, cancellation, and the dependencies it must not build itself. */
export interface RunContext {
  io: Io;
  signal: AbortSignal;
  env: NodeJS.ProcessEnv;
  globals: { profile?: string };
  /** The working directory (relative paths, `.guardian-suppressions.yaml`). */
  cwd: string;
  now(): Date;
  openStore(): Promise<ConfigStore>;
  /** The requested profile's session; the caller closes it. */
  openSession(): Promise<CloudSession>;
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
  /** Save the snapshot in the data directory (default true); otherwise it goes to a temporary file. */
  save?: boolean;
  keep?: number;
  /** Discover only this shard's scopes (see src/discovery/shard.ts). */
  shard?: Shard;
  runId?: string;
  onResources?: (resources: Resource[]) => void;
  /** Also hear the engine's progress events (the dashboard's progress line); stderr's progress still runs. */
  onEvent?: (event: DiscoveryEvent) => void;
  /**
   * Also hold every resource in memory and return it (scan and costs need them all). Without it
   * the run's memory does not grow with the estate: resources only go to the snapshot file.
   */
  collect?: boolean;
}

export interface DiscoverOutcome {
  /** The snapshot without its resources: counts (summary), scopes, errors, stats. */
  snapshot: SnapshotMeta;
  /** The snapshot file: saved in the data directory, or a temporary one that `release()` removes. */
  file: string;
  saved: boolean;
  /** Every resource, relations resolved, only when the request asked to collect them. */
  resources?: Resource[];
  /** Remove the temporary snapshot file (nothing to do when it was saved). */
  release(): Promise<void>;
}

export async function runDiscovery(ctx: RunContext, request: DiscoverRequest): Promise<DiscoverOutcome> {
  const session = await ctx.openSession();
  try {
    const callTimeoutMs = request.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
    const providers = await createProviders(session, request.providers, { callTimeoutMs });
    if (providers.length === 0) throw new ConfigError(`profile '${session.profileName}' covers none of the requested clouds`);
    const signal = request.timeoutMs ? AbortSignal.any([ctx.signal, AbortSignal.timeout(request.timeoutMs)]) : ctx.signal;
    const clouds = providers.map((p) => p.cloud);
    // Some relations need a cloud's other resources at hand (GCP selfLinks → ids, instance →
    // firewall rules): the writer spools that cloud's resources and resolves them at the end.
    const relations = relationIndexes(clouds);
    const startedAt = ctx.now();
    const writer = await SnapshotWriter.open({
      env: ctx.env,
      profile: session.profileName,
      startedAt,
      request: { providers: clouds, regions: request.regions, kinds: request.kinds, shard: request.shard, runId: request.runId },
      save: request.save !== false,
      keep: request.keep,
      relations,
    });
    try {
      const progress = await createDiscoveryProgress(ctx.io, clouds);
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
          shard: request.shard,
          signal,
          onEvent: (event) => {
            progress.onEvent(event);
            request.onEvent?.(event);
          },
          onResources: (resources) => {
            writer.add(resources);
            request.onResources?.(resources);
          },
          keep: request.collect === true,
        });
      } finally {
        progress.stop();
        await Promise.all(providers.map((p) => p.close?.()));
      }
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
      // Aborted by the user (Ctrl-C, the reader of stdout gone) or, failing that, by --timeout.
      const interrupted = result.aborted && ctx.signal.aborted;
      const finished = await writer.finish({
        finishedAt: ctx.now(),
        complete: result.complete,
        interrupted,
        timedOut: result.aborted && !interrupted,
        scopes: result.scopes,
        errors: result.errors,
        stats: result.stats,
        shard: result.shard,
      });
      if (finished.saved) ctx.io.log.verbose(`snapshot saved to ${finished.file}`);
      if (!request.collect) return finished;
      for (const resource of result.resources) relations.get(resource.cloud)?.resolve(resource);
      return { ...finished, resources: result.resources };
    } catch (error) {
      await writer.discard();
      throw error;
    }
  } finally {
    await session.close();
  }
}
