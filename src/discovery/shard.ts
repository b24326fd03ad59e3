// Shards: one run's scopes split over N processes that share nothing but the request. A scope
// (cloud, account, region) lands in the shard a stable hash of it names, so the same scope is
// always in the same shard, shards never overlap, and every scope is in one. Each shard records
// how many scopes the listing found and a digest of them, so `discover merge` can prove that the
// shards together cover what each of them saw.

import { createHash } from 'node:crypto';
import { UsageError } from '../errors.js';
import type { Shard } from '../model/discovery.js';

export type { Shard, ShardRecord } from '../model/discovery.js';

export const MAX_SHARDS = 10_000;

/** The identity of a scope as sharding sees it. */
export function scopeIdentity(scope: { cloud: string; account: string; region: string }): string {
  return `${scope.cloud}|${scope.account}|${scope.region}`;
}

/** The shard (1…count) a scope belongs to: the first 48 bits of its SHA-256, modulo count. */
export function shardOf(identity: string, count: number): number {
  const digest = createHash('sha256').update(identity).digest();
  return (digest.readUIntBE(0, 6) % count) + 1;
}

/** A digest of a set of scope identities, independent of their order. */
export function listingDigest(identities: readonly string[]): string {
  const hash = createHash('sha256');
  for (const identity of [...identities].sort()) hash.update(`${identity}\n`);
  return hash.digest('hex').slice(0, 16);
}

function parseSpec(text: string, where: string): Shard {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (!match) throw new UsageError(`${where} must be I/N, shard I of N counted from 1 (e.g. 2/4), not '${text}'`);
  return checked(Number(match[1]), Number(match[2]), where);
}

function checked(index: number, count: number, where: string): Shard {
  if (!Number.isSafeInteger(count) || count < 1 || count > MAX_SHARDS)
    throw new UsageError(`${where}: the number of shards must be 1 to ${MAX_SHARDS}, not ${count}`);
  if (!Number.isSafeInteger(index) || index < 1 || index > count)
    throw new UsageError(`${where}: shard ${index} is not one of 1 to ${count}`);
  return { index, count };
}

/**
 * The shard a run is asked for: `--shard I/N`, else `--shards N` with Kubernetes' Indexed Job
 * `JOB_COMPLETION_INDEX` (from 0), else `GUARDIAN_SHARD=I/N`; none means the whole request.
 */
export function resolveShard(flags: { shard?: string; shards?: string }, env: NodeJS.ProcessEnv): Shard | undefined {
  if (flags.shard !== undefined) {
    if (flags.shards !== undefined) throw new UsageError('--shard I/N already says the number of shards; drop --shards');
    return parseSpec(flags.shard, '--shard');
  }
  if (flags.shards !== undefined) {
    const count = Number(flags.shards);
    const index = env.JOB_COMPLETION_INDEX;
    if (index === undefined || !/^\d+$/.test(index.trim()))
      throw new UsageError(
        `--shards ${flags.shards} takes the shard from JOB_COMPLETION_INDEX (a Kubernetes Indexed Job), which is ${index === undefined ? 'not set' : `'${index}'`}`,
        { hint: 'or name the shard: --shard I/N' },
      );
    if (!/^\d+$/.test(flags.shards.trim())) throw new UsageError(`--shards must be a whole number, not '${flags.shards}'`);
    return checked(Number(index) + 1, count, `--shards ${flags.shards} with JOB_COMPLETION_INDEX=${index}`);
  }
  const fromEnv = env.GUARDIAN_SHARD;
  if (fromEnv !== undefined && fromEnv.trim() !== '') return parseSpec(fromEnv, 'GUARDIAN_SHARD');
  return undefined;
}

/** A run id names the run a shard belongs to (a CI run id, a job name); `discover merge` checks it. */
export function parseRunId(value: string | undefined): string | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  if (!/^[\w.:@/-]{1,128}$/.test(value)) throw new UsageError(`--run-id must be 1–128 letters, digits or . _ : @ / -, not '${value}'`);
  return value;
}
