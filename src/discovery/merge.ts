// `discover merge`: the shards of one run joined into one snapshot that every --input reader
// takes. The shards must be all of one split of one request: the same request and run id, each
// index once, none missing, no scope in two of them and each scope in the shard its hash names.
// Coverage is proven when every shard saw the same listing (count and digest) and the shards'
// scopes add up to it; otherwise the merged snapshot says it is incomplete. Relations that cross
// shards (GCP selfLinks, firewalls in another scope) are resolved again over the whole.

import { basename } from 'node:path';
import { UsageError } from '../errors.js';
import { readSnapshot, type Snapshot, type SnapshotMeta } from '../inventory/snapshot.js';
import { SnapshotWriter } from '../inventory/snapshot-writer.js';
import { sumStats, type TaskError } from '../model/discovery.js';
import { resourceKey } from '../model/resource.js';
import { relationIndexes } from './relations.js';
import type { DiscoverOutcome, RunContext } from './run.js';
import { scopeIdentity, shardOf } from './shard.js';

export interface ShardFile {
  file: string;
  snapshot: SnapshotMeta;
}

export interface ShardCheck {
  /** The shards in index order. */
  shards: ShardFile[];
  /** True when the listing every shard saw is covered, scope for scope, by the shards together. */
  covered: boolean;
  warnings: string[];
}

const requestOf = ({ providers, regions, kinds }: SnapshotMeta['request']) =>
  JSON.stringify({ providers: [...providers].sort(), regions: regions && [...regions].sort(), kinds: kinds && [...kinds].sort() });

/** Refuse anything that is not all of one split of one run; say what coverage can be proven. */
export function checkShards(inputs: readonly ShardFile[]): ShardCheck {
  if (inputs.length === 0) throw new UsageError('discover merge needs the shards’ snapshot files');
  const name = (input: ShardFile) => basename(input.file);
  for (const input of inputs) {
    if (!input.snapshot.request.shard)
      throw new UsageError(`${input.file} is not a shard (it was discovered without --shard); merge joins the shards of one run`);
  }
  const [first] = inputs as [ShardFile];
  const count = first.snapshot.request.shard!.count;
  for (const input of inputs) {
    const { shard, runId } = input.snapshot.request;
    if (shard!.count !== count)
      throw new UsageError(
        `the shards come from different splits: ${name(first)} is 1 of ${count}, ${name(input)} is ${shard!.index} of ${shard!.count}`,
      );
    if (requestOf(input.snapshot.request) !== requestOf(first.snapshot.request))
      throw new UsageError(
        `${name(input)} was asked for other clouds, regions or kinds than ${name(first)}; the shards of one run share one request`,
      );
    if (runId !== first.snapshot.request.runId)
      throw new UsageError(
        `${name(input)} belongs to run ${runId ?? '(none)'}, ${name(first)} to run ${first.snapshot.request.runId ?? '(none)'}`,
      );
  }
  const byIndex = new Map<number, ShardFile>();
  for (const input of inputs) {
    const index = input.snapshot.request.shard!.index;
    const other = byIndex.get(index);
    if (other) throw new UsageError(`shard ${index}/${count} is given twice: ${other.file} and ${input.file}`);
    byIndex.set(index, input);
  }
  const missing = Array.from({ length: count }, (_, i) => i + 1).filter((index) => !byIndex.has(index));
  if (missing.length > 0)
    throw new UsageError(
      `${missing.length === 1 ? 'shard' : 'shards'} ${missing.map((index) => `${index}/${count}`).join(', ')} ${missing.length === 1 ? 'is' : 'are'} missing (given: ${[...byIndex.keys()].sort((a, b) => a - b).join(', ')})`,
      { hint: `run 'guardian discover --shard I/${count}' for each missing one, with the same flags` },
    );
  const shards = [...byIndex.entries()].sort((a, b) => a[0] - b[0]).map(([, input]) => input);

  const owner = new Map<string, string>();
  for (const input of shards) {
    const index = input.snapshot.request.shard!.index;
    for (const scope of input.snapshot.scopes) {
      const identity = scopeIdentity(scope);
      const seen = owner.get(identity);
      if (seen) throw new UsageError(`${scope.label} is in two shards: ${seen} and ${input.file}`);
      owner.set(identity, input.file);
      const belongs = shardOf(identity, count);
      if (belongs !== index) throw new UsageError(`${input.file} holds ${scope.label}, which belongs to shard ${belongs}/${count}`);
    }
  }

  const warnings: string[] = [];
  const listings = new Set(
    shards.map((input) => (input.snapshot.shard ? `${input.snapshot.shard.listed}:${input.snapshot.shard.digest}` : 'none')),
  );
  const listed = first.snapshot.shard?.listed;
  let covered = true;
  if (listings.size > 1 || listings.has('none')) {
    covered = false;
    const seen = shards.map((input) => `shard ${input.snapshot.request.shard!.index} saw ${input.snapshot.shard?.listed ?? 'no'} scopes`);
    warnings.push(`the shards listed different scopes (${seen.join(', ')}): that every scope was discovered cannot be proven`);
  } else if (owner.size !== listed) {
    covered = false;
    warnings.push(`the shards hold ${owner.size} of the ${listed} scopes their listing found`);
  }
  const profiles = new Set(shards.map((input) => input.snapshot.profile));
  if (profiles.size > 1)
    warnings.push(
      `the shards were run with different profiles (${[...profiles].join(', ')}); the merged snapshot is named after ${first.snapshot.profile}`,
    );
  return { shards, covered, warnings };
}

export interface MergeRequest {
  files: string[];
  /** Save the merged snapshot in the profile's history (so `discover diff` and the others find it). */
  save: boolean;
  keep?: number;
}

export interface MergeOutcome extends Pick<DiscoverOutcome, 'snapshot' | 'file' | 'saved' | 'release'> {
  warnings: string[];
}

/** Read, check and join the shards; write the merged snapshot like a run writes one. */
export async function mergeShardFiles(ctx: Pick<RunContext, 'env'>, request: MergeRequest): Promise<MergeOutcome> {
  // Headers first (each file is read whole once, then dropped): a refusal costs no writing.
  const metas: ShardFile[] = [];
  for (const file of request.files) {
    const { resources: _resources, ...snapshot } = await readSnapshot(file);
    metas.push({ file, snapshot });
  }
  const { shards, covered, warnings } = checkShards(metas);
  const metaOf = shards.map((input) => input.snapshot);
  const first = metaOf[0] as SnapshotMeta;
  const startedAt = new Date(Math.min(...metaOf.map((meta) => Date.parse(meta.startedAt))));
  const finishedAt = new Date(Math.max(...metaOf.map((meta) => Date.parse(meta.finishedAt))));
  const { shard: _shard, ...wholeRequest } = first.request;
  const writer = await SnapshotWriter.open({
    env: ctx.env,
    profile: first.profile,
    startedAt,
    request: wholeRequest,
    mergedFrom: metaOf.map((meta) => meta.id),
    save: request.save,
    keep: request.keep,
    relations: relationIndexes(first.request.providers),
  });
  try {
    const seen = new Set<string>();
    let duplicates = 0;
    for (const input of shards) {
      const snapshot: Snapshot = await readSnapshot(input.file);
      const fresh = snapshot.resources.filter((resource) => {
        const key = resourceKey(resource);
        if (seen.has(key)) {
          duplicates += 1;
          return false;
        }
        seen.add(key);
        return true;
      });
      writer.add(fresh);
    }
    const errors = new Map<string, TaskError>();
    for (const meta of metaOf) for (const error of meta.errors) errors.set(JSON.stringify(error), error);
    const stats = sumStats(metaOf.map((meta) => meta.stats));
    stats.duplicates += duplicates;
    const interrupted = metaOf.some((meta) => meta.interrupted);
    const timedOut = metaOf.some((meta) => meta.timedOut);
    const finished = await writer.finish({
      finishedAt,
      complete: covered && metaOf.every((meta) => meta.complete),
      interrupted,
      timedOut,
      scopes: metaOf.flatMap((meta) => meta.scopes),
      errors: [...errors.values()],
      stats,
    });
    for (const meta of metaOf)
      if (!meta.complete) warnings.push(`shard ${meta.request.shard!.index}/${meta.request.shard!.count} (${meta.id}) is incomplete`);
    return { ...finished, warnings };
  } catch (error) {
    await writer.discard();
    throw error;
  }
}
