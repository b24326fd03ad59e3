// The analysis commands' way to get resources: a saved snapshot (--input) or a live discovery
// run, narrowed the same way either way.

import type { TaskError } from '../discovery/engine.js';
import type { RunContext } from '../discovery/run.js';
import { Interrupted } from '../errors.js';
import type { Cloud, Resource, ResourceKind } from '../model/resource.js';
import { readSnapshot } from './snapshot.js';

export interface InventoryRequest {
  input?: string;
  providers?: Cloud[];
  regions?: string[];
  kinds?: ResourceKind[];
  concurrency?: number;
  /** Overall limit of a live run (--timeout): what was found by then is kept, marked incomplete. */
  timeoutMs?: number;
  callTimeoutMs?: number;
}

export interface Inventory {
  resources: Resource[];
  errors: TaskError[];
  complete: boolean;
  /** Where the resources came from: the --input file or the saved snapshot of the live run. */
  source: string;
}

export async function loadInventory(ctx: RunContext, request: InventoryRequest): Promise<Inventory> {
  if (request.input) {
    const snapshot = await readSnapshot(request.input);
    const resources = snapshot.resources.filter(
      (r) =>
        (!request.providers || request.providers.includes(r.cloud)) &&
        (!request.regions || request.regions.includes(r.region)) &&
        (!request.kinds || request.kinds.includes(r.kind)),
    );
    return { resources, errors: snapshot.errors, complete: snapshot.complete, source: request.input };
  }
  const { runDiscovery } = await import('../discovery/run.js');
  const { snapshot, file, saved, resources, release } = await runDiscovery(ctx, {
    providers: request.providers,
    regions: request.regions,
    kinds: request.kinds,
    concurrency: request.concurrency,
    timeoutMs: request.timeoutMs,
    callTimeoutMs: request.callTimeoutMs,
    collect: true,
  });
  await release();
  // Ctrl-C stops the command; the run's own --timeout leaves an incomplete inventory.
  if (ctx.signal.aborted) throw new Interrupted('interrupted during discovery');
  for (const error of snapshot.errors.slice(0, 5)) {
    ctx.io.log.warn(
      `${error.cloud} ${error.account}${error.region ? ` ${error.region}` : ''}${error.kind ? ` ${error.kind}` : ''}: ${error.code}: ${error.message}`,
    );
  }
  return { resources: resources ?? [], errors: snapshot.errors, complete: snapshot.complete, source: saved ? file : 'live discovery' };
}
