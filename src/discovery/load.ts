// The analysis commands' way to get resources: a saved snapshot (--input) or a live discovery
// run, narrowed the same way either way.

import { Interrupted } from '../errors.js';
import { readSnapshot } from '../inventory/snapshot.js';
import type { TaskError } from '../model/discovery.js';
import type { Cloud, Resource, ResourceKind } from '../model/resource.js';
import type { RunContext } from './run.js';

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

/** The resources of the asked-for clouds, regions and kinds (a snapshot's, a plan's): one rule for both. */
export function narrowResources(resources: Resource[], narrow: Pick<InventoryRequest, 'providers' | 'regions' | 'kinds'>): Resource[] {
  return resources.filter(
    (r) =>
      (!narrow.providers || narrow.providers.includes(r.cloud)) &&
      (!narrow.regions || narrow.regions.includes(r.region)) &&
      (!narrow.kinds || narrow.kinds.includes(r.kind)),
  );
}

export async function loadInventory(ctx: RunContext, request: InventoryRequest): Promise<Inventory> {
  if (request.input) {
    const snapshot = await readSnapshot(request.input);
    return {
      resources: narrowResources(snapshot.resources, request),
      errors: snapshot.errors,
      complete: snapshot.complete,
      source: request.input,
    };
  }
  const { runDiscovery } = await import('./run.js');
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
  // One line per scope and error, as discover's table groups them: a region outage is one line, not ten.
  const { groupErrors } = await import('./report.js');
  const groups = groupErrors(snapshot.errors);
  for (const group of groups.slice(0, 5)) {
    ctx.io.log.warn(
      `${group.cloud} ${group.account}${group.region ? ` ${group.region}` : ''}: ${group.code}: ${group.message} (${group.kinds.length === 1 ? group.kinds[0] : `${group.kinds.length} listings`})`,
    );
  }
  if (groups.length > 5) ctx.io.log.warn(`… and ${groups.length - 5} more scope(s) with failed listings`);
  return { resources: resources ?? [], errors: snapshot.errors, complete: snapshot.complete, source: saved ? file : 'live discovery' };
}
