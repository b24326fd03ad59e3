// guardian discover end to end: the built binary, the real SDK clients, the sandbox's wire
// protocols. Counts are checked against the sandbox manifest, the ground truth.

import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { describe, expect, it, vi } from 'vitest';

// Each case spawns a discovery run against an in-process sandbox; on two cores under load that is slow.
vi.setConfig({ testTimeout: 180_000 });

import type { Snapshot } from '../../src/inventory/snapshot.js';
import type { SandboxManifest } from '../../src/sandbox/manifest.js';
import { serveSandbox } from '../helpers/serve.js';

const NOW = '2026-11-01';

async function isolatedEnv(extra: Record<string, string> = {}): Promise<NodeJS.ProcessEnv> {
  const root = await mkdtemp(join(tmpdir(), 'guardian-e2e-'));
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: root,
    NO_COLOR: '1',
    GUARDIAN_CONFIG_DIR: join(root, 'config'),
    GUARDIAN_DATA_DIR: join(root, 'data'),
    GUARDIAN_DEMO_NOW: NOW,
    ...extra,
  };
  return env;
}

function guardian(args: string[], env: NodeJS.ProcessEnv) {
  return execa(process.execPath, ['dist/bin/guardian.js', ...args], { reject: false, env, extendEnv: false, stdin: 'ignore' });
}

async function manifest(seed: number, size: number): Promise<SandboxManifest> {
  const result = await guardian(
    ['sandbox', 'manifest', '--seed', String(seed), '--size', String(size), '--now', NOW, '--json'],
    await isolatedEnv(),
  );
  expect(result.exitCode, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as SandboxManifest;
}

/** Counts per account and kind, from a manifest and from a snapshot, in the same shape. */
function manifestCounts(m: SandboxManifest, skipRegion?: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const [account, entry] of Object.entries(m.counts.byAccount)) {
    for (const [region, kinds] of Object.entries(entry.byRegion)) {
      if (region === skipRegion) continue;
      for (const [kind, n] of Object.entries(kinds)) counts[`${account}|${kind}`] = (counts[`${account}|${kind}`] ?? 0) + (n ?? 0);
    }
  }
  return counts;
}

function snapshotCounts(snapshot: Pick<Snapshot, 'resources'>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of snapshot.resources) counts[`${r.account}|${r.kind}`] = (counts[`${r.account}|${r.kind}`] ?? 0) + 1;
  return counts;
}

function uniqueKeys(snapshot: Snapshot): number {
  return new Set(snapshot.resources.map((r) => `${r.cloud}|${r.account}|${r.kind}|${r.id}`)).size;
}

describe('guardian discover --profile demo', () => {
  for (const [seed, size] of [
    [42, 2000],
    [7, 300],
    [2027, 6000],
  ] as const) {
    it(`finds exactly what the manifest says for seed ${seed}, size ${size}`, async () => {
      const env = await isolatedEnv({ GUARDIAN_DEMO_SEED: String(seed), GUARDIAN_DEMO_SIZE: String(size) });
      const [truth, result] = await Promise.all([manifest(seed, size), guardian(['discover', '--profile', 'demo', '--json'], env)]);
      expect(result.exitCode, result.stderr).toBe(0);
      const snapshot = JSON.parse(result.stdout) as Snapshot;
      expect(snapshot.schemaVersion).toBe(1);
      expect(snapshot.complete).toBe(true);
      expect(snapshot.errors).toEqual([]);
      expect(snapshot.resources).toHaveLength(truth.counts.total);
      expect(uniqueKeys(snapshot)).toBe(truth.counts.total);
      expect(snapshotCounts(snapshot)).toEqual(manifestCounts(truth));
      // The run was saved as a snapshot too: the same one --json printed.
      const dir = join(env.GUARDIAN_DATA_DIR as string, 'snapshots', 'demo');
      const saved = await readdir(dir);
      expect(saved).toEqual([`${snapshot.id}.json`]);
      const file = JSON.parse(await readFile(join(dir, saved[0]), 'utf8')) as Snapshot;
      expect(file.summary).toEqual(snapshot.summary);
      expect(file.resources).toHaveLength(snapshot.summary.resources);
      expect(snapshotCounts(file)).toEqual(snapshotCounts(snapshot));
      expect(file).toEqual(snapshot);
      // GCP relations resolved after the run: instances point at the ids of the firewalls that protect them.
      const firewalls = new Set(file.resources.filter((r) => r.kind === 'gcp.compute.firewall').map((r) => r.id));
      const protectedBy = file.resources
        .filter((r) => r.kind === 'gcp.compute.instance')
        .flatMap((r) => r.relations.filter((relation) => relation.type === 'protected-by'));
      expect(protectedBy.length).toBeGreaterThan(0);
      expect(protectedBy.every((relation) => firewalls.has(relation.target))).toBe(true);
    });
  }

  it('loses and duplicates nothing under throttling, 5% errors and connection resets', async () => {
    const env = await isolatedEnv({
      GUARDIAN_DEMO_SIZE: '1500',
      GUARDIAN_DEMO_THROTTLE: '30:10',
      GUARDIAN_DEMO_ERRORS: '0.05',
      GUARDIAN_DEMO_RESETS: '0.03',
      GUARDIAN_DEMO_SEED: '11',
    });
    // --no-save writes the snapshot to a temporary file: nothing of it may stay behind (Node's
    // compile cache lives there too, so only Guardian's own folders are looked at).
    env.TMPDIR = join(env.HOME as string, 'tmp');
    await mkdir(env.TMPDIR);
    const [truth, result] = await Promise.all([
      manifest(11, 1500),
      guardian(['discover', '--profile', 'demo', '--json', '--no-save'], env),
    ]);
    expect(result.exitCode, result.stderr).toBe(0);
    const snapshot = JSON.parse(result.stdout) as Snapshot;
    expect(snapshot.errors).toEqual([]);
    expect(snapshot.stats.retries).toBeGreaterThan(0);
    expect(snapshot.stats.duplicates).toBe(0);
    expect(uniqueKeys(snapshot)).toBe(truth.counts.total);
    expect(snapshotCounts(snapshot)).toEqual(manifestCounts(truth));
    expect((await readdir(env.TMPDIR)).filter((name) => name.startsWith('guardian-'))).toEqual([]);
  });

  it('reports a region outage as a failed scope and still lists every other scope', async () => {
    const truth = await manifest(42, 2000);
    const account = truth.identities.aws.accounts.find((a) => a.regions.length > 1);
    const region = account?.regions.find((r) => r !== 'us-east-1') as string;
    const env = await isolatedEnv({ GUARDIAN_DEMO_OUTAGE: region });
    const result = await guardian(['discover', '--profile', 'demo', '--json', '--no-save', '--call-timeout', '5s'], env);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/warning: .*failed/);
    const snapshot = JSON.parse(result.stdout) as Snapshot;
    expect(snapshot.complete).toBe(false);
    const failed = snapshot.scopes.filter((s) => s.status !== 'ok');
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.every((s) => s.region === region)).toBe(true);
    expect(snapshot.errors.every((e) => e.region === region && e.class === 'timeout')).toBe(true);
    expect(snapshotCounts(snapshot)).toEqual(manifestCounts(truth, region));

    const strict = await guardian(
      ['discover', '--profile', 'demo', '--no-save', '--strict', '--call-timeout', '5s', '--provider', 'aws'],
      env,
    );
    expect(strict.exitCode).toBe(4);
    expect(strict.stderr).toMatch(/listings? failed in \d+ scopes?/);
  });

  it('stops on Ctrl-C, exits 130 and saves what it found marked incomplete', async () => {
    const env = await isolatedEnv({ GUARDIAN_DEMO_LATENCY: '300', GUARDIAN_DEMO_SIZE: '3000' });
    const child: ResultPromise = execa(process.execPath, ['dist/bin/guardian.js', 'discover', '--profile', 'demo', '--output', 'ndjson'], {
      reject: false,
      env,
      extendEnv: false,
      stdin: 'ignore',
    });
    // Interrupt once the first resources have streamed out.
    await new Promise<void>((resolve) => {
      child.stdout?.once('data', () => resolve());
    });
    child.kill('SIGINT');
    const result = await child;
    expect(result.exitCode).toBe(130);
    expect(result.stderr).toMatch(/interrupted/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    const dir = join(env.GUARDIAN_DATA_DIR as string, 'snapshots', 'demo');
    const [file] = await readdir(dir);
    // Where the partial snapshot went is said on stderr.
    expect(result.stderr).toContain(`partial snapshot saved to ${join(dir, file)}`);
    const snapshot = JSON.parse(await readFile(join(dir, file), 'utf8')) as Snapshot;
    expect(snapshot.interrupted).toBe(true);
    expect(snapshot.complete).toBe(false);
    expect(snapshot.resources.length).toBeGreaterThan(0);
    expect(snapshot.resources.length).toBeLessThan(3000);
  });

  it('ends quietly when the reader of its output goes away (| head), keeping what it found', async () => {
    const env = await isolatedEnv({ GUARDIAN_DEMO_LATENCY: '200', GUARDIAN_DEMO_SIZE: '3000' });
    const child = execa(process.execPath, ['dist/bin/guardian.js', 'discover', '--profile', 'demo', '--output', 'ndjson'], {
      reject: false,
      env,
      extendEnv: false,
      stdin: 'ignore',
      buffer: { stdout: false },
    });
    await new Promise<void>((resolve) => {
      child.stdout?.once('data', () => resolve());
    });
    child.stdout?.destroy();
    const result = await child;
    expect(result.exitCode).toBe(0);
    expect(result.stderr).not.toMatch(/EPIPE|error|\n\s+at /i);
    const dir = join(env.GUARDIAN_DATA_DIR as string, 'snapshots', 'demo');
    const [file] = await readdir(dir);
    const snapshot = JSON.parse(await readFile(join(dir, file), 'utf8')) as Snapshot;
    expect(snapshot.interrupted).toBe(true);
    expect(snapshot.resources.length).toBeGreaterThan(0);
  });

  it('streams NDJSON, narrows by provider, region and kind, and draws the topology', async () => {
    const truth = await manifest(42, 2000);
    const env = await isolatedEnv();
    const result = await guardian(
      [
        'discover',
        '--profile',
        'demo',
        '--output',
        'ndjson',
        '--no-save',
        '--provider',
        'aws',
        '--region',
        'us-east-1',
        '--kind',
        'aws.ec2',
      ],
      env,
    );
    expect(result.exitCode, result.stderr).toBe(0);
    const lines = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    const expected = Object.values(truth.counts.byAccount)
      .filter((a) => a.cloud === 'aws')
      .reduce(
        (sum, a) =>
          sum +
          Object.entries(a.byRegion['us-east-1'] ?? {})
            .filter(([k]) => k.startsWith('aws.ec2.'))
            .reduce((s, [, n]) => s + (n ?? 0), 0),
        0,
      );
    expect(lines).toHaveLength(expected);
    expect(lines.every((r) => r.region === 'us-east-1' && r.kind.startsWith('aws.ec2.'))).toBe(true);

    const graph = await guardian(['discover', '--profile', 'demo', '--no-save', '--provider', 'gcp', '--graph', 'mermaid'], env);
    expect(graph.exitCode, graph.stderr).toBe(0);
    expect(graph.stdout.split('\n')[0]).toBe('graph LR');
    // Over Mermaid's 500-edge default, so grouped by kind with counts.
    expect(graph.stdout).toMatch(/-->\|attached-to( × [\d,]+)?\|/);
  });

  it('stops at --timeout with a partial result, not an interrupt: not-finished scopes, the saved path, exit 4 with --strict', async () => {
    const env = await isolatedEnv({ GUARDIAN_DEMO_LATENCY: '300', GUARDIAN_DEMO_SIZE: '3000' });
    const result = await guardian(['discover', '--profile', 'demo', '--timeout', '2s', '--json'], env);
    expect(result.exitCode, result.stderr).toBe(0);
    const snapshot = JSON.parse(result.stdout) as Snapshot;
    expect([snapshot.complete, snapshot.timedOut, snapshot.interrupted]).toEqual([false, true, false]);
    expect(snapshot.errors.length).toBeGreaterThan(0);
    expect(snapshot.errors.every((e) => e.code === 'RunTimeout')).toBe(true);
    expect(snapshot.scopes.some((s) => s.status === 'failed' || s.status === 'partial')).toBe(false);
    expect(snapshot.stats.failedTasks).toBe(0);
    const file = join(env.GUARDIAN_DATA_DIR as string, 'snapshots', 'demo', `${snapshot.id}.json`);
    expect(result.stderr).toContain(`stopped by --timeout`);
    expect(result.stderr).toContain(`partial snapshot saved to ${file}`);
    expect(result.stderr).not.toMatch(/listings? failed/);

    const table = await guardian(['discover', '--profile', 'demo', '--timeout', '2s', '--strict'], env);
    expect(table.exitCode, table.stderr).toBe(4);
    expect(table.stdout.split('\n')[0]).toMatch(/^Discovered [\d,]+ resources? in [\d.]+ s.* — INCOMPLETE, stopped by --timeout/);
    expect(table.stdout).not.toMatch(/\(\)|listings failed/);
    expect(table.stderr).toMatch(/partial snapshot saved to /);
  });

  it('never calls what an interrupted run (| head -1) did not list "removed", and skips it for the default pair', async () => {
    const env = await isolatedEnv({ GUARDIAN_DEMO_SIZE: '300' });
    const dir = join(env.GUARDIAN_DATA_DIR as string, 'snapshots', 'demo');
    expect((await guardian(['discover', '--profile', 'demo', '-q'], env)).exitCode).toBe(0);
    const [complete] = await readdir(dir);
    // discover --output ndjson | head -1: the reader goes away after the first line.
    const child = execa(process.execPath, ['dist/bin/guardian.js', 'discover', '--profile', 'demo', '--output', 'ndjson'], {
      reject: false,
      // Slow enough that the run is still writing when the reader goes away (the next write ends it).
      env: { ...env, GUARDIAN_DEMO_LATENCY: '500' },
      extendEnv: false,
      stdin: 'ignore',
      buffer: { stdout: false },
    });
    await new Promise<void>((resolve) => {
      child.stdout?.once('data', () => resolve());
    });
    child.stdout?.destroy();
    expect((await child).exitCode).toBe(0);
    const partial = (await readdir(dir)).find((name) => name !== complete) as string;
    expect((JSON.parse(await readFile(join(dir, partial), 'utf8')) as Snapshot).interrupted).toBe(true);
    // What a SIGKILLed run leaves behind is named, never compared.
    const killed = join(dir, '20260101T000000Z.json.partial');
    await writeFile(killed, '{"schemaVersion":1,"kind":"guardian.snapshot","resources":[');

    const diff = await guardian(['discover', 'diff', '--profile', 'demo', '--json'], env);
    expect(diff.exitCode, diff.stderr).toBe(0);
    const body = JSON.parse(diff.stdout);
    expect([body.before, body.after]).toEqual([join(dir, complete), join(dir, partial)]);
    expect(body.counts.removed).toBe(0);
    expect(body.counts.notCompared).toBeGreaterThan(0);
    expect(body.counts.notCompared + body.counts.unchanged + body.counts.changed).toBe(300);
    expect(body.notCompared[0].reason).toMatch(/^after: .*did not finish$/);
    expect(diff.stderr).toMatch(/fewer than two complete snapshots/);
    expect(diff.stderr).toContain(
      `unfinished snapshot file(s), of a run in progress or one that was killed (removed after a day): ${killed}`,
    );
    expect(diff.stderr).toContain(`after snapshot ${join(dir, partial)} is incomplete (interrupted`);
    expect((await guardian(['discover', 'diff', '--profile', 'demo', '--strict'], env)).exitCode).toBe(4);

    // Given the other way round, the interrupted side is named as "before".
    const reversed = await guardian(['discover', 'diff', join(dir, partial), join(dir, complete), '--json'], env);
    expect(JSON.parse(reversed.stdout).counts.added).toBe(0);
    expect(reversed.stderr).toMatch(/before snapshot .* is incomplete .* not compared, not added/);

    // With a newer complete snapshot, the default pair is the last two complete ones.
    expect((await guardian(['discover', '--profile', 'demo', '-q'], env)).exitCode).toBe(0);
    const latest = (await readdir(dir)).sort().at(-1) as string;
    const skipping = await guardian(['discover', 'diff', '--profile', 'demo', '--json', '--strict'], env);
    expect(skipping.exitCode, skipping.stderr).toBe(0);
    const pair = JSON.parse(skipping.stdout);
    expect([pair.before, pair.after]).toEqual([join(dir, complete), join(dir, latest)]);
    expect(pair.counts).toEqual({ added: 0, removed: 0, changed: 0, unchanged: 300, notCompared: 0 });
    expect(skipping.stderr).toContain(`skipped ${join(dir, partial)} (interrupted`);
  });

  it('filters what it prints with repeated --filter, ANDed, and saves the whole inventory', async () => {
    const env = await isolatedEnv({ GUARDIAN_DEMO_SIZE: '300' });
    const result = await guardian(
      ['discover', '--profile', 'demo', '--json', '--filter', 'tag:env=prod', '--filter', 'state=running'],
      env,
    );
    expect(result.exitCode, result.stderr).toBe(0);
    const printed = JSON.parse(result.stdout) as Snapshot;
    const dir = join(env.GUARDIAN_DATA_DIR as string, 'snapshots', 'demo');
    const saved = JSON.parse(await readFile(join(dir, `${printed.id}.json`), 'utf8')) as Snapshot;
    expect(saved.resources).toHaveLength(300);
    const expected = saved.resources.filter((r) => r.tags.env === 'prod' && r.state === 'running');
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(300);
    expect(printed.resources).toEqual(expected);
    expect(printed.summary.resources).toBe(expected.length);
    expect(printed.filter).toEqual(['tag:env=prod', 'state=running']);

    const ndjson = await guardian(['discover', '--profile', 'demo', '--no-save', '--output', 'ndjson', '--filter', 'cloud=gcp'], env);
    const lines = ndjson.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { cloud: string });
    expect(lines).toHaveLength(saved.resources.filter((r) => r.cloud === 'gcp').length);
    expect(lines.every((r) => r.cloud === 'gcp')).toBe(true);

    // A snapshot printed with --filter, diffed against the whole one: what it left out is not "removed".
    const file = join(env.HOME as string, 'prod.json');
    await writeFile(file, result.stdout);
    const diff = await guardian(['discover', 'diff', join(dir, `${printed.id}.json`), file, '--json'], env);
    expect(JSON.parse(diff.stdout).counts).toMatchObject({ removed: 0, unchanged: expected.length, notCompared: 300 - expected.length });
  });

  it('diffs the last two snapshots of the profile', async () => {
    const env = await isolatedEnv({ GUARDIAN_DEMO_SIZE: '300' });
    expect((await guardian(['discover', '--profile', 'demo', '--provider', 'azure', '-q'], env)).exitCode).toBe(0);
    expect(
      (await guardian(['discover', '--profile', 'demo', '--provider', 'azure', '-q'], { ...env, GUARDIAN_DEMO_SEED: '43' })).exitCode,
    ).toBe(0);
    const diff = await guardian(['discover', 'diff', '--profile', 'demo', '--json'], env);
    expect(diff.exitCode, diff.stderr).toBe(0);
    const body = JSON.parse(diff.stdout);
    expect(body.kind).toBe('guardian.diff');
    expect(body.counts.added + body.counts.removed + body.counts.changed).toBeGreaterThan(0);
    // --kind narrows the diff (it used to be accepted and ignored).
    const narrowed = await guardian(['discover', 'diff', '--profile', 'demo', '--json', '--kind', 'azure.compute.disk'], env);
    expect(narrowed.exitCode, narrowed.stderr).toBe(0);
    const only = JSON.parse(narrowed.stdout);
    const kinds = [...only.added, ...only.removed, ...only.changed.map((c: { resource: unknown }) => c.resource)].map(
      (r: { kind: string }) => r.kind,
    );
    expect(kinds.length).toBeGreaterThan(0);
    expect(new Set(kinds)).toEqual(new Set(['azure.compute.disk']));
    expect(only.counts.added + only.counts.removed).toBeLessThan(body.counts.added + body.counts.removed);
    const none = await guardian(['discover', 'diff', '--profile', 'demo', '--json', '--provider', 'aws'], env);
    expect(JSON.parse(none.stdout).counts).toMatchObject({ added: 0, removed: 0, changed: 0, unchanged: 0 });
    const bad = await guardian(['discover', 'diff', '--profile', 'demo', '--region', 'mars-1'], env);
    expect(bad.exitCode).toBe(2);
  });

  it('rejects a bad --region, --kind, --provider or --concurrency with exit 2 and one line', async () => {
    const env = await isolatedEnv();
    for (const args of [
      ['--region', 'us-east-9'],
      ['--kind', 'aws.ec2.instanse'],
      ['--provider', 'ibm'],
      ['--concurrency', '0'],
      ['--timeout', 'soon'],
      ['--filter', 'stat=running'],
      ['--filter', 'tag:'],
    ]) {
      const result = await guardian(['discover', '--profile', 'demo', ...args], env);
      expect(result.exitCode, args.join(' ')).toBe(2);
      expect(result.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(result.stdout).toBe('');
    }
    const suggestion = await guardian(['discover', '--profile', 'demo', '--kind', 'aws.ec2.instanse'], env);
    expect(suggestion.stderr).toMatch(/did you mean aws\.ec2\.instance/);
  });

  it('never prints a secret from the environment, even failing with --debug', async () => {
    const canary = 'CANARY-SECRET-7f3a9c1e5b';
    const env = await isolatedEnv({
      AWS_ACCESS_KEY_ID: 'AKIAEXAMPLECANARY01',
      AWS_SECRET_ACCESS_KEY: canary,
      AWS_REGION: 'us-east-1',
      AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
      AWS_MAX_ATTEMPTS: '1',
      AZURE_CLIENT_SECRET: canary,
    });
    const result = await guardian(['discover', '--provider', 'aws', '--debug', '--verbose', '--call-timeout', '3s'], env);
    expect(result.exitCode).toBe(3);
    expect(`${result.stdout}${result.stderr}`).not.toContain(canary);
    // No scope could be reached: no snapshot, not even a partial one.
    const files = await readdir(env.GUARDIAN_DATA_DIR as string, { recursive: true, withFileTypes: true }).catch(() => []);
    expect(files.filter((entry) => entry.isFile()).map((entry) => entry.name)).toEqual([]);
    const listing = await guardian(['config', 'list', '--json'], env);
    expect(`${listing.stdout}${listing.stderr}`).not.toContain(canary);
  });

  it('exits 3 with one line when no cloud is configured', async () => {
    const env = await isolatedEnv();
    const result = await guardian(['discover'], env);
    expect(result.exitCode).toBe(3);
    expect(result.stderr).toMatch(/no cloud is configured/);
  });
});

describe("guardian discover with a user's own AWS setup", () => {
  it('honours AWS_ENDPOINT_URL, AWS_PROFILE and the shared config files with no Guardian profile', async () => {
    const env = await isolatedEnv();
    const server = await serveSandbox(env, ['--now', NOW]);
    const { info } = server;
    try {
      const truth = await manifest(42, 2000);
      const management = truth.identities.aws.accounts.find((a) => a.management);
      const awsDir = join(env.HOME as string, '.aws');
      await execa('mkdir', ['-p', awsDir]);
      await writeFile(join(awsDir, 'config'), '[profile ops]\nregion = us-east-1\n');
      await writeFile(
        join(awsDir, 'credentials'),
        `[ops]\naws_access_key_id = ${info.env.AWS_ACCESS_KEY_ID}\naws_secret_access_key = ${info.env.AWS_SECRET_ACCESS_KEY}\n`,
      );
      const result = await guardian(['discover', '--json', '--no-save'], {
        ...env,
        AWS_PROFILE: 'ops',
        AWS_ENDPOINT_URL: info.env.AWS_ENDPOINT_URL,
      });
      expect(result.exitCode, result.stderr).toBe(0);
      const snapshot = JSON.parse(result.stdout) as Snapshot;
      expect(snapshot.profile).toBe('default');
      expect(new Set(snapshot.resources.map((r) => r.account))).toEqual(new Set([management?.id]));
      const expected = Object.fromEntries(Object.entries(manifestCounts(truth)).filter(([key]) => key.startsWith(`${management?.id}|`)));
      expect(snapshotCounts(snapshot)).toEqual(expected);
      expect(result.stdout).not.toContain(info.env.AWS_SECRET_ACCESS_KEY);
    } finally {
      await server.stop();
    }
  });
});
