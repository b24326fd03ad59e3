// `discover diff` between two snapshots that never passes a partial one for a complete one: the
// default pair is the profile's last two complete snapshots, each side's coverage decides what is
// "not compared", and an incomplete side is said on stderr (the command exits 4 on it with --strict).

import { UsageError } from '../errors.js';
import type { DiffSlice, InventoryDiff } from '../inventory/diff.js';
import type { ResourceFilter } from '../inventory/filter.js';
import type { Snapshot } from '../inventory/snapshot.js';
import type { Cloud, Resource, ResourceKind } from '../model/resource.js';
import type { RunContext } from './run.js';

export interface CompareRequest {
  /** Two snapshot files; undefined: the profile's last two complete snapshots. */
  files?: [string, string];
  /** The profile whose saved snapshots are compared (--profile, GUARDIAN_PROFILE); else the store's current one. */
  profile?: string;
  providers?: Cloud[];
  regions?: string[];
  kinds?: ResourceKind[];
  filter?: ResourceFilter;
}

export interface Comparison {
  diff: InventoryDiff;
  files: [string, string];
  /** One phrase per incomplete side ("after (FILE) is incomplete: …"); empty when both are complete. */
  partial: string[];
}

export async function compareSnapshots(ctx: RunContext, request: CompareRequest): Promise<Comparison> {
  const { providers, regions, kinds, filter } = request;
  const { readSnapshot } = await import('../inventory/snapshot.js');
  const { diffInventories, inRegion, snapshotCoverage } = await import('../inventory/diff.js');
  const slice = { providers, regions, kinds };
  const incomplete = await incompletenessWithin(slice);

  let pair: [Snapshot, Snapshot];
  let files: [string, string];
  if (request.files) {
    files = request.files;
    pair = [await readSnapshot(files[0]), await readSnapshot(files[1])];
    // A shard holds some of a run's scopes: what the others found would read as removed.
    pair.forEach((snapshot, index) => {
      const shard = snapshot.request.shard;
      if (shard)
        throw new UsageError(`${files[index]} is shard ${shard.index}/${shard.count} of a run, not a whole inventory`, {
          hint: 'join the shards first: guardian discover merge SHARD… --out FILE',
        });
    });
  } else {
    const profile = request.profile ?? (await currentProfileName(ctx));
    ({ pair, files } = await defaultPair(ctx, profile, incomplete));
  }

  const wanted = (r: Resource) =>
    (!providers || providers.includes(r.cloud)) &&
    (!regions || regions.some((region) => inRegion(r.region, region))) &&
    (!kinds || kinds.includes(r.kind)) &&
    (!filter || filter.matches(r));
  const diff = diffInventories(pair[0].resources.filter(wanted), pair[1].resources.filter(wanted), {
    before: snapshotCoverage(pair[0]),
    after: snapshotCoverage(pair[1]),
  });

  // A verdict on partial data is not a clean one: say which side is incomplete and what that cost.
  const partial: string[] = [];
  pair.forEach((snapshot, index) => {
    const why = incomplete(snapshot);
    if (!why) return;
    const side = index === 0 ? 'before' : 'after';
    const lost = diff.notCompared.filter((n) => n.foundIn !== side).length;
    partial.push(`${side} (${files[index]}) is incomplete: ${why}`);
    ctx.io.log.warn(
      `${side} snapshot ${files[index]} is incomplete (${why}); ${lost.toLocaleString('en-US')} resource(s) it did not finish looking for are reported as not compared, not ${side === 'after' ? 'removed' : 'added'}`,
    );
  });
  return { diff, files, partial };
}

/**
 * The profile's last two complete snapshots; an incomplete one newer than them is skipped, and said
 * so. With fewer than two complete snapshots, the last two, whatever they are (the diff then
 * reports what they did not cover as not compared).
 */
async function defaultPair(
  ctx: RunContext,
  profile: string,
  incompleteness: (snapshot: Snapshot) => string | undefined,
): Promise<{ pair: [Snapshot, Snapshot]; files: [string, string] }> {
  const { listSnapshots, listLeftovers } = await import('../inventory/store.js');
  const { readSnapshot } = await import('../inventory/snapshot.js');
  const saved = await listSnapshots(ctx.env, profile);
  const leftovers = (await listLeftovers(ctx.env, profile)).filter((file) => file.endsWith('.partial'));
  if (leftovers.length > 0)
    ctx.io.log.warn(
      `not compared: ${leftovers.length} unfinished snapshot file(s), of a run in progress or one that was killed (removed after a day): ${leftovers.join(', ')}`,
    );
  if (saved.length < 2) {
    throw new UsageError(`profile '${profile}' has ${saved.length} saved snapshot(s); run 'guardian discover' again, or name two files`);
  }
  const complete: { file: string; snapshot: Snapshot }[] = [];
  const skipped: string[] = [];
  const read = new Map<string, Snapshot>();
  for (const file of [...saved].reverse()) {
    const snapshot = await readSnapshot(file);
    read.set(file, snapshot);
    const why = incompleteness(snapshot);
    if (why) skipped.push(`${file} (${why})`);
    else complete.push({ file, snapshot });
    if (complete.length === 2) break;
  }
  if (complete.length === 2) {
    if (skipped.length > 0) ctx.io.log.warn(`comparing the last two complete snapshots; skipped ${skipped.join(', ')}`);
    return { pair: [complete[1].snapshot, complete[0].snapshot], files: [complete[1].file, complete[0].file] };
  }
  // Shards are parts of runs, never compared as wholes, even when nothing complete is left.
  const wholes = [...saved].filter((file) => !read.get(file)?.request.shard);
  if (wholes.length < 2)
    throw new UsageError(`profile '${profile}' has fewer than two saved snapshots that are whole runs (shards are not); name two files`, {
      hint: 'join shards with: guardian discover merge SHARD… --save',
    });
  ctx.io.log.warn(`profile '${profile}' has fewer than two complete snapshots; comparing the last two as they are`);
  const files: [string, string] = [wholes[wholes.length - 2] as string, wholes[wholes.length - 1] as string];
  return { pair: [read.get(files[0]) as Snapshot, read.get(files[1]) as Snapshot], files };
}

/**
 * Why a snapshot is incomplete for a diff of this slice, or undefined: failures outside the clouds,
 * regions and kinds compared do not make it partial here.
 */
async function incompletenessWithin(slice: DiffSlice): Promise<(snapshot: Snapshot) => string | undefined> {
  const { incompleteness } = await import('./report.js');
  const { errorsWithin } = await import('../inventory/diff.js');
  return (snapshot) => {
    if (snapshot.request.shard)
      return `shard ${snapshot.request.shard.index}/${snapshot.request.shard.count} of a run, not a whole inventory`;
    if (snapshot.complete) return undefined;
    const errors = errorsWithin(snapshot.errors, slice);
    if (errors.length === 0 && snapshot.errors.length > 0) return undefined;
    return incompleteness({ ...snapshot, errors });
  };
}

async function currentProfileName(ctx: RunContext): Promise<string> {
  return (await ctx.openStore()).resolveProfileName(undefined);
}
