// The inventory in SQL end to end: shards written to a real PostgreSQL (Debian's server, a
// throwaway cluster on 127.0.0.1) with `discover --to`, read back with `--from` equal to their
// merge, a shard that reruns replacing only its own rows, a connection lost mid-write leaving
// the run incomplete and none of its rows; and `guardian query` over the embedded local history.

import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Snapshot } from '../../src/inventory/snapshot.js';
import { cuttingProxy, type PostgresCluster, startPostgres } from '../helpers/postgres.js';

vi.setConfig({ testTimeout: 240_000, hookTimeout: 120_000 });

let root: string;
let env: NodeJS.ProcessEnv;
let pg: PostgresCluster;

function guardian(args: string[]) {
  return execa(process.execPath, ['dist/bin/guardian.js', ...args], { reject: false, env, extendEnv: false, stdin: 'ignore' });
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'guardian-sql-'));
  env = {
    PATH: process.env.PATH,
    HOME: root,
    NO_COLOR: '1',
    GUARDIAN_CONFIG_DIR: join(root, 'config'),
    GUARDIAN_DATA_DIR: join(root, 'data'),
    GUARDIAN_DEMO_NOW: '2026-11-01',
  };
  pg = await startPostgres();
});

afterAll(() => pg?.stop());

const DEMO = ['--profile', 'demo', 'discover', '--provider', 'azure', 'gcp', '--no-save'];
const idsOf = (s: Pick<Snapshot, 'resources'>) => s.resources.map((r) => `${r.cloud}/${r.account}/${r.kind}/${r.id}`).sort();
const byId = (s: Pick<Snapshot, 'resources'>) =>
  Object.fromEntries(s.resources.map((r) => [`${r.cloud}/${r.account}/${r.kind}/${r.id}`, r]));

async function count(sql: string): Promise<number> {
  const result = await guardian(['query', '--db', pg.url, sql, '--json']);
  expect(result.exitCode, result.stderr).toBe(0);
  return Number((JSON.parse(result.stdout) as { rows: { n: number }[] }).rows[0]?.n);
}

describe('discover --to and --from a PostgreSQL inventory', () => {
  it('writes two shards, reads the run back equal to their merge, and a rerun replaces only its own rows', async () => {
    const files: string[] = [];
    for (const shard of [1, 2]) {
      const run = await guardian([...DEMO, '--shard', `${shard}/2`, '--run-id', 'nightly', '--to', pg.url, '--json']);
      expect(run.exitCode, run.stderr).toBe(0);
      expect(run.stderr).toMatch(
        new RegExp(`wrote [\\d,]+ resources to postgres://127.0.0.1:${pg.port}/postgres as run nightly shard ${shard}/2`),
      );
      files.push(join(root, `nightly-${shard}.json`));
      await writeFile(files[files.length - 1] as string, run.stdout);
    }
    const mergedFile = join(root, 'nightly-merged.json');
    const merge = await guardian(['discover', 'merge', ...files, '--out', mergedFile]);
    expect(merge.exitCode, merge.stderr).toBe(0);
    const merged = JSON.parse(await readFile(mergedFile, 'utf8')) as Snapshot;

    const back = await guardian(['discover', '--from', pg.url, '--run', 'nightly', '--json', '--strict']);
    expect(back.exitCode, back.stderr).toBe(0);
    const read = JSON.parse(back.stdout) as Snapshot;
    expect(read.complete).toBe(true);
    expect(read.request.runId).toBe('nightly');
    expect(idsOf(read)).toEqual(idsOf(merged));
    expect(byId(read)).toEqual(byId(merged));
    expect(read.summary).toEqual(merged.summary);
    expect(new Set(read.scopes.map((s) => s.label))).toEqual(new Set(merged.scopes.map((s) => s.label)));

    const before = await count("SELECT count(*) AS n FROM all_resources WHERE run_id = 'nightly'");
    expect(before).toBe(merged.summary.resources);
    const rerun = await guardian([...DEMO, '--shard', '1/2', '--run-id', 'nightly', '--to', pg.url, '-q']);
    expect(rerun.exitCode, rerun.stderr).toBe(0);
    expect(await count("SELECT count(*) AS n FROM all_resources WHERE run_id = 'nightly'")).toBe(before);
    // The views hold the latest complete run.
    expect(await count('SELECT count(*) AS n FROM resources')).toBe(before);
  });

  it('a connection lost mid-write leaves the run incomplete and none of its rows, and says so in one line', async () => {
    const proxy = await cuttingProxy(pg.port, 200_000);
    try {
      const url = `postgres://guardian@127.0.0.1:${proxy.port}/postgres`;
      const run = await guardian([...DEMO, '--shard', '1/2', '--run-id', 'cut', '--to', url, '-q']);
      expect(proxy.cut()).toBe(true);
      expect(run.exitCode, run.stderr).toBe(3);
      expect(run.stderr).toMatch(
        /lost the connection to postgres:\/\/127\.0\.0\.1:\d+\/postgres while writing run cut .*; run cut stays marked incomplete there/,
      );
      expect(run.stderr).not.toMatch(/\n\s+at /);
    } finally {
      await proxy.close();
    }
    expect(await count("SELECT count(*) AS n FROM all_resources WHERE run_id = 'cut'")).toBe(0);
    const back = await guardian(['discover', '--from', pg.url, '--run', 'cut', '--strict']);
    expect(back.exitCode, back.stderr).toBe(4);
    expect(back.stderr).toMatch(/shard 2\/2 never started writing/);
    expect(back.stderr).toMatch(/shard 1\/2 began writing and did not finish/);
  });

  it('refuses bad targets and unknown runs with one line, and never prints a password', async () => {
    const cases: [string[], number, RegExp][] = [
      [[...DEMO, '--to', 'mysql://db/x'], 2, /--to must be a postgres:\/\/ URL/],
      [[...DEMO, '--shard', '1/2', '--to', pg.url], 2, /--to with --shard needs --run-id/],
      [['discover', '--run', 'x'], 2, /--run names a run to read: it goes with --from/],
      [['discover', '--from', pg.url, '--run', 'nope'], 2, /run nope is not in the database/],
      [
        ['discover', '--from', 'postgres://guardian:sekret-canary-77@127.0.0.1:1/postgres'],
        3,
        /cannot connect to postgres:\/\/127\.0\.0\.1:1\/postgres: ECONNREFUSED/,
      ],
      [['query', '--db', pg.url, 'SELEC 1'], 2, /query failed: syntax error at or near "SELEC"/],
      [
        ['query', '--db', pg.url, "DELETE FROM all_resources WHERE run_id = 'nightly'"],
        2,
        /cannot execute DELETE in a read-only transaction/,
      ],
    ];
    for (const [args, code, message] of cases) {
      const result = await guardian(args);
      expect(result.exitCode, `${args.join(' ')}: ${result.stderr}`).toBe(code);
      expect(result.stderr.trim().split('\n')[0]).toMatch(message);
      expect(`${result.stdout}${result.stderr}`).not.toContain('sekret-canary-77');
    }
  });
});

describe('guardian query over the local history', () => {
  it('answers SQL over the saved snapshots, read-only, with the same counts the snapshot has', async () => {
    const run = await guardian(['--profile', 'demo', 'discover', '--provider', 'gcp', '--json']);
    expect(run.exitCode, run.stderr).toBe(0);
    const snapshot = JSON.parse(run.stdout) as Snapshot;
    const result = await guardian(['query', 'SELECT kind, count(*) AS n FROM resources GROUP BY 1 ORDER BY 1', '--json']);
    expect(result.exitCode, result.stderr).toBe(0);
    const rows = (JSON.parse(result.stdout) as { rows: { kind: string; n: number }[] }).rows;
    expect(Object.fromEntries(rows.map((r) => [r.kind, r.n]))).toEqual(snapshot.summary.byKind);
    const prod = await guardian(['query', "SELECT count(*) AS n FROM resources WHERE tags->>'env' = 'prod'", '-o', 'csv']);
    expect(prod.exitCode, prod.stderr).toBe(0);
    expect(prod.stdout.trim().split('\n')[1]).toBe(String(snapshot.resources.filter((r) => r.tags.env === 'prod').length));
    for (const [args, message] of [
      [['query', 'DROP TABLE runs'], /read-only transaction/],
      [['query', 'SELECT nope FROM resources'], /query failed: column "nope" does not exist/],
      [['query'], /needs a SQL statement/],
    ] as [string[], RegExp][]) {
      const bad = await guardian(args);
      expect(bad.exitCode, bad.stderr).toBe(2);
      expect(bad.stderr.trim().split('\n')[0]).toMatch(message);
    }
  });
});
