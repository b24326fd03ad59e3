// Shards: which scope goes where (stable, disjoint, covering), how the shard is chosen from the
// flags and the environment, and the checks `discover merge` makes before joining shards.

import { describe, expect, it } from 'vitest';
import { checkShards, type ShardFile } from '../../src/discovery/merge.js';
import { listingDigest, parseRunId, resolveShard, scopeIdentity, shardOf } from '../../src/discovery/shard.js';
import type { SnapshotMeta } from '../../src/inventory/snapshot.js';
import type { ScopeSummary } from '../../src/model/discovery.js';

const identities = Array.from({ length: 600 }, (_, i) =>
  scopeIdentity({ cloud: 'aws', account: String(100000000000 + (i % 40)), region: `r-${Math.floor(i / 40)}` }),
);

describe('shardOf', () => {
  it('puts every scope in exactly one shard, and the same one every time', () => {
    for (const count of [1, 2, 3, 7, 16]) {
      for (const identity of identities) {
        const shard = shardOf(identity, count);
        expect(shard).toBeGreaterThanOrEqual(1);
        expect(shard).toBeLessThanOrEqual(count);
        expect(shardOf(identity, count)).toBe(shard);
      }
    }
  });

  it('is pinned: a release that moved scopes between shards would break merges of mixed versions', () => {
    expect([1, 2, 3, 4, 5].map((n) => shardOf('aws|123456789012|eu-west-1', n))).toEqual([1, 2, 2, 4, 1]);
    expect([2, 3, 7].map((n) => shardOf('gcp|acme-prod|global', n))).toEqual([1, 2, 1]);
  });

  it('spreads scopes roughly evenly', () => {
    const counts = new Map<number, number>();
    for (const identity of identities) counts.set(shardOf(identity, 4), (counts.get(shardOf(identity, 4)) ?? 0) + 1);
    for (const n of counts.values()) expect(n).toBeGreaterThan(100);
  });

  it('digests a listing independently of its order', () => {
    expect(listingDigest(['b', 'a'])).toBe(listingDigest(['a', 'b']));
    expect(listingDigest(['a', 'b'])).not.toBe(listingDigest(['a', 'c']));
  });
});

describe('resolveShard', () => {
  it('reads --shard I/N, --shards N with JOB_COMPLETION_INDEX (from 0), and GUARDIAN_SHARD', () => {
    expect(resolveShard({ shard: '2/4' }, {})).toEqual({ index: 2, count: 4 });
    expect(resolveShard({ shard: ' 1 / 1 ' }, {})).toEqual({ index: 1, count: 1 });
    expect(resolveShard({ shards: '3' }, { JOB_COMPLETION_INDEX: '0' })).toEqual({ index: 1, count: 3 });
    expect(resolveShard({}, { GUARDIAN_SHARD: '3/5' })).toEqual({ index: 3, count: 5 });
    expect(resolveShard({ shard: '1/2' }, { GUARDIAN_SHARD: '3/5' })).toEqual({ index: 1, count: 2 });
    expect(resolveShard({}, {})).toBeUndefined();
  });

  it.each([
    [{ shard: '0/4' }, {}, /shard 0 is not one of 1 to 4/],
    [{ shard: '5/4' }, {}, /shard 5 is not one of 1 to 4/],
    [{ shard: '1/0' }, {}, /must be 1 to/],
    [{ shard: 'half' }, {}, /must be I\/N/],
    [{ shard: '1/2', shards: '2' }, {}, /drop --shards/],
    [{ shards: '3' }, {}, /JOB_COMPLETION_INDEX.*not set/],
    [{ shards: '3' }, { JOB_COMPLETION_INDEX: '3' }, /shard 4 is not one of 1 to 3/],
    [{ shards: 'x' }, { JOB_COMPLETION_INDEX: '0' }, /whole number/],
    [{}, { GUARDIAN_SHARD: '2' }, /GUARDIAN_SHARD must be I\/N/],
  ])('refuses %j with %j', (flags, env, message) => {
    expect(() => resolveShard(flags, env)).toThrow(message);
  });

  it('takes a run id of safe characters only', () => {
    expect(parseRunId('12345-attempt.2')).toBe('12345-attempt.2');
    expect(parseRunId('')).toBeUndefined();
    expect(() => parseRunId('a b')).toThrow(/--run-id/);
  });
});

function scope(region: string): ScopeSummary {
  return {
    cloud: 'aws',
    account: '111111111111',
    region,
    type: 'region',
    label: `aws 111111111111 ${region}`,
    status: 'ok',
    resources: 1,
    tasks: 1,
    failedTasks: 0,
    unfinishedTasks: 0,
  };
}

/** A split of `regions` into `count` shards the way the engine would make it. */
function split(regions: string[], count: number, runId?: string): ShardFile[] {
  const listed = regions.map((region) => scopeIdentity(scope(region)));
  const digest = listingDigest(listed);
  return Array.from({ length: count }, (_, i) => {
    const mine = regions.filter((region) => shardOf(scopeIdentity(scope(region)), count) === i + 1);
    const snapshot = {
      id: `s${i + 1}`,
      profile: 'p',
      complete: true,
      request: { providers: ['aws'], shard: { index: i + 1, count }, runId },
      shard: { index: i + 1, count, listed: listed.length, digest },
      scopes: mine.map(scope),
    } as unknown as SnapshotMeta;
    return { file: `shard-${i + 1}.json`, snapshot };
  });
}

const REGIONS = Array.from({ length: 24 }, (_, i) => `region-${i}`);

describe('checkShards', () => {
  it('accepts every shard of one split in any order and proves coverage', () => {
    const shards = split(REGIONS, 3, 'r');
    const check = checkShards([shards[2], shards[0], shards[1]] as ShardFile[]);
    expect(check.shards.map((s) => s.file)).toEqual(['shard-1.json', 'shard-2.json', 'shard-3.json']);
    expect(check.covered).toBe(true);
    expect(check.warnings).toEqual([]);
  });

  it('names the missing shards', () => {
    const shards = split(REGIONS, 4);
    expect(() => checkShards([shards[0], shards[2]] as ShardFile[])).toThrow('shards 2/4, 4/4 are missing (given: 1, 3)');
  });

  it('refuses a scope in the wrong shard or in two', () => {
    const shards = split(REGIONS, 2);
    const [a, b] = shards as [ShardFile, ShardFile];
    const stray = { ...b, snapshot: { ...b.snapshot, scopes: [...b.snapshot.scopes, a.snapshot.scopes[0] as ScopeSummary] } };
    expect(() => checkShards([a, stray])).toThrow(/is in two shards/);
    const moved = { ...b, snapshot: { ...b.snapshot, scopes: [a.snapshot.scopes[0] as ScopeSummary] } };
    expect(() => checkShards([{ ...a, snapshot: { ...a.snapshot, scopes: [] } }, moved])).toThrow(/belongs to shard 1\/2/);
  });

  it('refuses another request', () => {
    const [a, b] = split(REGIONS, 2) as [ShardFile, ShardFile];
    const other = { ...b, snapshot: { ...b.snapshot, request: { ...b.snapshot.request, regions: ['eu-west-1'] } } };
    expect(() => checkShards([a, other])).toThrow(/other clouds, regions or kinds/);
  });

  it('does not claim coverage when the shards saw different listings or hold less than it', () => {
    const [a, b] = split(REGIONS, 2) as [ShardFile, ShardFile];
    const otherListing = { ...b, snapshot: { ...b.snapshot, shard: { ...b.snapshot.shard!, listed: 23, digest: 'x' } } };
    const check = checkShards([a, otherListing]);
    expect(check.covered).toBe(false);
    expect(check.warnings[0]).toMatch(/listed different scopes \(shard 1 saw 24 scopes, shard 2 saw 23 scopes\)/);
    const short = { ...b, snapshot: { ...b.snapshot, scopes: b.snapshot.scopes.slice(1) } };
    expect(checkShards([a, short]).warnings[0]).toMatch(/hold 23 of the 24 scopes/);
  });
});
