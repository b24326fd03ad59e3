// Sharded discovery end to end: N `discover --shard I/N` processes side by side against one
// `guardian sandbox serve`, joined by `discover merge`, equal id for id (and relation for
// relation) to one unsharded run; and the merges that must be refused.

import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Snapshot } from '../../src/inventory/snapshot.js';
import { type ServedSandbox, serveSandbox } from '../helpers/serve.js';

vi.setConfig({ testTimeout: 400_000, hookTimeout: 120_000 });

let root: string;
let env: NodeJS.ProcessEnv;
let server: ServedSandbox | undefined;

function guardian(args: string[], extra: NodeJS.ProcessEnv = {}) {
  return execa(process.execPath, ['dist/bin/guardian.js', ...args], {
    reject: false,
    env: { ...env, ...extra },
    extendEnv: false,
    stdin: 'ignore',
  });
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'guardian-shards-'));
  env = {
    PATH: process.env.PATH,
    HOME: root,
    NO_COLOR: '1',
    GUARDIAN_CONFIG_DIR: join(root, 'config'),
    GUARDIAN_DATA_DIR: join(root, 'data'),
  };
  server = await serveSandbox(env);
  const { info } = server;
  // The profile `serve` says to store: the same commands a user would paste.
  env = { ...env, ...info.env };
  for (const line of info.guardianConfig) {
    const command = line.startsWith('export ') ? undefined : line.replaceAll('guardian ', `${process.execPath} dist/bin/guardian.js `);
    if (line.startsWith('export ')) {
      for (const pair of line.slice('export '.length).split(' ')) {
        const [key, value] = pair.split('=') as [string, string];
        env[key] = value;
      }
      continue;
    }
    const result = await execa('sh', ['-c', command as string], { reject: false, env, extendEnv: false });
    expect(result.exitCode, `${line}: ${result.stderr}`).toBe(0);
  }
});

afterAll(async () => {
  await server?.stop();
});

const idsOf = (snapshot: Pick<Snapshot, 'resources'>) => snapshot.resources.map((r) => `${r.cloud}/${r.account}/${r.kind}/${r.id}`).sort();
const relationsOf = (snapshot: Pick<Snapshot, 'resources'>) =>
  Object.fromEntries(
    snapshot.resources.map((r) => [`${r.cloud}/${r.id}`, r.relations.map((x) => `${x.type}>${x.target}`).sort()] as const),
  );

async function shardFiles(count: number, runId: string, extra: string[] = []): Promise<string[]> {
  const files = Array.from({ length: count }, (_, i) => join(root, `${runId}-${i + 1}.json`));
  const runs = await Promise.all(
    files.map((_, i) =>
      guardian(['--profile', 'sandbox', 'discover', '--shard', `${i + 1}/${count}`, '--run-id', runId, '--no-save', '--json', ...extra]),
    ),
  );
  for (const [i, run] of runs.entries()) {
    expect(run.exitCode, run.stderr).toBe(0);
    await writeFile(files[i] as string, run.stdout);
  }
  return files;
}

describe('discover --shard and discover merge', () => {
  it('three shards side by side, merged, equal one unsharded run id for id and relation for relation', async () => {
    // AWS's 5 accounts × 17 regions and GCP's projects: scopes enough to split, at half the cost of all three clouds.
    const whole = await guardian(['--profile', 'sandbox', 'discover', '--provider', 'aws', 'gcp', '--no-save', '--json']);
    expect(whole.exitCode, whole.stderr).toBe(0);
    const unsharded = JSON.parse(whole.stdout) as Snapshot;
    expect(unsharded.summary.resources).toBeGreaterThan(1000);
    expect(unsharded.scopes.length).toBeGreaterThan(80);

    const files = await shardFiles(3, 'run-a', ['--provider', 'aws', 'gcp']);
    const shards = await Promise.all(files.map(async (file) => JSON.parse(await readFile(file, 'utf8')) as Snapshot));
    // No scope in two shards, every shard holds some, and each recorded the same listing.
    const scopes = shards.flatMap((s) => s.scopes.map((scope) => `${scope.cloud}|${scope.account}|${scope.region}`));
    expect(new Set(scopes).size).toBe(scopes.length);
    expect(scopes.length).toBe(unsharded.scopes.length);
    for (const shard of shards) expect(shard.scopes.length).toBeGreaterThan(0);
    expect(new Set(shards.map((s) => s.shard?.digest)).size).toBe(1);

    const out = join(root, 'merged.json');
    const merged = await guardian(['discover', 'merge', ...files.reverse(), '--out', out, '--strict']);
    expect(merged.exitCode, merged.stderr).toBe(0);
    expect(merged.stderr).toContain(`merged snapshot written to ${out}`);
    const snapshot = JSON.parse(await readFile(out, 'utf8')) as Snapshot;
    expect(snapshot.complete).toBe(true);
    expect(snapshot.request.shard).toBeUndefined();
    expect(snapshot.request.runId).toBe('run-a');
    expect(snapshot.mergedFrom).toHaveLength(3);
    expect(idsOf(snapshot)).toEqual(idsOf(unsharded));
    // GCP relations cross scopes (selfLinks, firewalls): resolved again over the whole.
    expect(relationsOf(snapshot)).toEqual(relationsOf(unsharded));
    expect(snapshot.summary).toEqual(unsharded.summary);

    // The merged file is a snapshot every --input reader takes.
    const scan = await guardian(['scan', '--input', out, '--json']);
    expect(scan.exitCode, scan.stderr).toBe(0);
  });

  it('refuses a missing shard, a duplicate, another run, another split and a file that is not a shard, each in one line', async () => {
    const files = await shardFiles(2, 'run-b', ['--provider', 'gcp']);
    const other = await shardFiles(3, 'run-c', ['--provider', 'gcp']);
    const cases: [string[], RegExp][] = [
      [[files[0] as string], /shard 2\/2 is missing \(given: 1\)/],
      [[files[0] as string, files[0] as string], /shard 1\/2 is given twice/],
      [[files[0] as string, other[1] as string], /different splits/],
    ];
    const renamed = join(root, 'run-x-2.json');
    const second = JSON.parse(await readFile(files[1] as string, 'utf8')) as Snapshot;
    await writeFile(renamed, JSON.stringify({ ...second, request: { ...second.request, runId: 'run-x' } }));
    cases.push([[files[0] as string, renamed], /belongs to run run-x, .* to run run-b/]);
    const whole = await guardian(['--profile', 'sandbox', 'discover', '--provider', 'gcp', '--no-save', '--json']);
    const plain = join(root, 'plain.json');
    await writeFile(plain, whole.stdout);
    cases.push([[files[0] as string, plain], /is not a shard/]);
    const diff = await guardian(['discover', 'diff', plain, files[0] as string]);
    expect(diff.exitCode, diff.stderr).toBe(2);
    expect(diff.stderr).toMatch(/is shard 1\/2 of a run, not a whole inventory/);
    for (const [args, message] of cases) {
      const result = await guardian(['discover', 'merge', ...args]);
      expect(result.exitCode, result.stderr).toBe(2);
      expect(result.stderr.trim().split('\n')[0]).toMatch(message);
      expect(result.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it('takes the shard from --shards and JOB_COMPLETION_INDEX, and rejects a bad spec with exit 2', async () => {
    const indexed = await guardian(['--profile', 'sandbox', 'discover', '--provider', 'gcp', '--shards', '3', '--no-save', '--json'], {
      JOB_COMPLETION_INDEX: '2',
    });
    expect(indexed.exitCode, indexed.stderr).toBe(0);
    expect((JSON.parse(indexed.stdout) as Snapshot).request.shard).toEqual({ index: 3, count: 3 });
    for (const args of [
      ['--shard', '0/3'],
      ['--shard', '4/3'],
      ['--shard', 'two'],
      ['--shards', '3'],
    ]) {
      const result = await guardian(['--profile', 'sandbox', 'discover', '--no-save', ...args]);
      expect(result.exitCode, `${args.join(' ')}: ${result.stderr}`).toBe(2);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
    }
  });
});
