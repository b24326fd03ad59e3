// Spend from a profile's clouds as `guardian costs` reads it: open the profile's session, build
// its providers through the same factory and threads as discovery (with Cost Explorer's on-disk
// cache), bound the run by --timeout, read, and close everything again.

import { join } from 'node:path';
import { DEFAULT_CALL_TIMEOUT_MS, type RunContext } from '../discovery/run.js';
import { createProviders } from '../discovery/session.js';
import { dataDir } from '../inventory/store.js';
import type { Cloud } from '../model/resource.js';
import { DEFAULT_COST_CACHE_TTL_MS } from '../providers/aws/costs.js';
import { type CostsOutcome, type CostsRequest, readCosts } from './run.js';

export interface LiveCostsRequest extends Omit<CostsRequest, 'signal' | 'callTimeoutMs'> {
  /** Only these clouds (each must be in the profile); default every cloud it configures. */
  clouds?: Cloud[];
  /** The whole run (--timeout); clouds not finished by then are reported missing. */
  timeoutMs?: number;
  /** One billing query (--call-timeout); default discovery's. */
  callTimeoutMs?: number;
  /** Use Cost Explorer's on-disk cache (false: --no-cache). */
  cache: boolean;
  /** Before the first query: which clouds are read (for --verbose). */
  onStart?: (clouds: Cloud[]) => void;
}

export async function readLiveCosts(
  ctx: Pick<RunContext, 'env' | 'signal' | 'openSession'>,
  request: LiveCostsRequest,
): Promise<CostsOutcome> {
  const session = await ctx.openSession();
  try {
    const callTimeoutMs = request.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
    const providers = await createProviders(session, request.clouds, {
      callTimeoutMs,
      prewarm: false,
      ...(request.cache
        ? {
            costCache: {
              dir: join(dataDir(ctx.env), 'cache', 'costexplorer'),
              ttlMs: DEFAULT_COST_CACHE_TTL_MS,
              ...(session.dataScope ? { scope: session.dataScope } : {}),
            },
          }
        : {}),
    });
    try {
      request.onStart?.(providers.map((provider) => provider.cloud));
      const signal = request.timeoutMs ? AbortSignal.any([ctx.signal, AbortSignal.timeout(request.timeoutMs)]) : ctx.signal;
      return await readCosts(providers, { ...request, signal, callTimeoutMs });
    } finally {
      await Promise.all(providers.map((provider) => provider.close?.()));
    }
  } finally {
    await session.close();
  }
}
