import { mkdtemp, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { relationIndexes } from '../../src/discovery/relations.js';
import { printSnapshotJson } from '../../src/discovery/report.js';
import { UsageError } from '../../src/errors.js';
import { diffInventories, errorsWithin, snapshotCoverage } from '../../src/inventory/diff.js';
import { MERMAID_MAX_EDGES, MERMAID_MAX_TEXT, renderGraph, toGraph } from '../../src/inventory/graph.js';
import { readSnapshot } from '../../src/inventory/snapshot.js';
import { type SnapshotEnd, SnapshotWriter, type SnapshotWriterOptions } from '../../src/inventory/snapshot-writer.js';
import { listSnapshots } from '../../src/inventory/store.js';
import type { DiscoveryStats, ScopeSummary, TaskError } from '../../src/model/discovery.js';
import type { Resource } from '../../src/model/resource.js';
import { createIo, type Io } from '../../src/render/io.js';
import { toJson } from '../../src/render/output.js';

const instance: Resource = {
  cloud: 'aws',
  kind: 'aws.ec2.instance',
  id: 'i-0abc',
  name: 'web-1',
  account: '111111111111',
  region: 'us-east-1',
  state: 'running',
  tags: { env: 'prod' },
  attributes: { instanceType: 't3.micro' },
  relations: [{ type: 'protected-by', target: 'sg-1' }],
};
const volume: Resource = {
  ...instance,
  kind: 'aws.ec2.volume',
  id: 'vol-1',
  name: 'web-1-root',
  attributes: { sizeGb: 8 },
  relations: [{ type: 'attached-to', target: 'i-0abc' }],
};
const group: Resource = { ...instance, kind: 'aws.ec2.security-group', id: 'sg-1', name: 'web "edge"', attributes: {}, relations: [] };

const STATS: DiscoveryStats = { calls: 1, retries: 0, throttled: 0, pages: 1, tasks: 1, failedTasks: 0, unfinishedTasks: 0, duplicates: 0 };

async function dataEnv(): Promise<NodeJS.ProcessEnv> {
  return { GUARDIAN_DATA_DIR: await mkdtemp(join(tmpdir(), 'guardian-inv-')) };
}

function writer(env: NodeJS.ProcessEnv, startedAt: Date, extra: Partial<SnapshotWriterOptions> = {}): Promise<SnapshotWriter> {
  return SnapshotWriter.open({ env, profile: 'team/a', startedAt, request: { providers: ['aws'] }, ...extra });
}

function end(startedAt: Date, extra: Partial<SnapshotEnd> = {}): SnapshotEnd {
  return {
    finishedAt: new Date(startedAt.getTime() + 1500),
    complete: true,
    interrupted: false,
    timedOut: false,
    scopes: [],
    errors: [],
    stats: STATS,
    ...extra,
  };
}

/** Streams that record what was written to stdout. */
function recordingIo(): { io: Io; stdout: () => string } {
  const chunks: Buffer[] = [];
  const stdout = new PassThrough();
  stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
  const io = createIo({ stdout, stderr: new PassThrough(), stdin: new PassThrough() }, {});
  return { io, stdout: () => Buffer.concat(chunks).toString('utf8') };
}

const gcpFirewall: Resource = {
  cloud: 'gcp',
  kind: 'gcp.compute.firewall',
  id: '900',
  name: 'allow-web',
  account: 'acme',
  region: 'global',
  tags: {},
  attributes: { selfLink: 'https://c/projects/acme/global/firewalls/allow-web', direction: 'INGRESS', targetTags: ['web'] },
  relations: [{ type: 'in-network', target: 'https://c/projects/acme/global/networks/default' }],
};
const gcpInstance: Resource = {
  cloud: 'gcp',
  kind: 'gcp.compute.instance',
  id: '100',
  name: 'web-1',
  account: 'acme',
  region: 'us-central1-a',
  tags: {},
  attributes: {
    selfLink: 'https://c/projects/acme/zones/us-central1-a/instances/web-1',
    networkTags: ['web'],
    networks: ['https://c/projects/acme/global/networks/default'],
  },
  relations: [{ type: 'in-network', target: 'https://c/projects/acme/global/networks/default' }],
};
const gcpDisk: Resource = {
  ...gcpInstance,
  kind: 'gcp.compute.disk',
  id: '200',
  name: 'web-1',
  attributes: { selfLink: 'https://c/projects/acme/zones/us-central1-a/disks/web-1' },
  relations: [{ type: 'attached-to', target: 'https://c/projects/acme/zones/us-central1-a/instances/web-1' }],
};

describe('snapshots', () => {
  it('round-trips through the data directory and keeps only the newest N', async () => {
    const env = await dataEnv();
    for (let i = 0; i < 4; i++) {
      const startedAt = new Date(Date.UTC(2026, 10, 1, 0, 0, i));
      const open = await writer(env, startedAt, { keep: 3 });
      open.add([instance]);
      await open.finish(end(startedAt));
    }
    const files = await listSnapshots(env, 'team/a');
    expect(files).toHaveLength(3);
    expect(files[0]).toContain('20261101T000001Z');
    const back = await readSnapshot(files[2]);
    expect(back.resources).toEqual([instance]);
    expect(back.summary).toEqual({ resources: 1, byCloud: { aws: 1 }, byKind: { 'aws.ec2.instance': 1 } });
    expect((await stat(files[2])).mode & 0o777).toBe(0o600);
    expect((await stat(dirname(files[2]))).mode & 0o777).toBe(0o700);
    expect(await readdir(join(env.GUARDIAN_DATA_DIR as string, 'snapshots'))).toEqual([encodeURIComponent('team/a')]);
  });

  it('streams pages into one valid JSON file carrying the closing fields, and nothing else stays behind', async () => {
    const env = await dataEnv();
    const startedAt = new Date(Date.UTC(2026, 10, 2, 8, 30, 0, 250));
    const open = await writer(env, startedAt, { request: { providers: ['aws'], regions: ['us-east-1'] } });
    open.add([instance, volume]);
    open.add([]);
    open.add([group]);
    expect(open.count).toBe(3);
    const scopes: ScopeSummary[] = [
      {
        cloud: 'aws',
        account: '111111111111',
        region: 'us-east-1',
        type: 'region',
        label: 'aws 1 us-east-1',
        status: 'partial',
        resources: 3,
        tasks: 2,
        failedTasks: 1,
        unfinishedTasks: 0,
      },
    ];
    const errors: TaskError[] = [
      {
        cloud: 'aws',
        account: '111111111111',
        region: 'us-east-1',
        kind: 'aws.rds.instance',
        class: 'denied',
        code: 'AccessDenied',
        message: 'no',
        attempts: 1,
      },
    ];
    const finished = await open.finish(end(startedAt, { complete: false, scopes, errors }));
    expect(finished.saved).toBe(true);
    expect(finished.file).toBe(join(env.GUARDIAN_DATA_DIR as string, 'snapshots', 'team%2Fa', '20261102T083000Z.json'));
    const parsed = JSON.parse(await readFile(finished.file, 'utf8'));
    const { resources, ...meta } = parsed;
    expect(resources).toEqual([instance, volume, group]);
    expect(meta).toEqual(finished.snapshot);
    expect(finished.snapshot).toEqual({
      schemaVersion: 1,
      kind: 'guardian.snapshot',
      id: '20261102T083000Z',
      profile: 'team/a',
      startedAt: '2026-11-02T08:30:00.250Z',
      finishedAt: '2026-11-02T08:30:01.750Z',
      durationMs: 1500,
      complete: false,
      interrupted: false,
      timedOut: false,
      request: { providers: ['aws'], regions: ['us-east-1'] },
      summary: { resources: 3, byCloud: { aws: 3 }, byKind: { 'aws.ec2.instance': 1, 'aws.ec2.volume': 1, 'aws.ec2.security-group': 1 } },
      scopes,
      errors,
      stats: STATS,
    });
    expect(await readSnapshot(finished.file)).toEqual(parsed);
    expect(await readdir(dirname(finished.file))).toEqual(['20261102T083000Z.json']);
    await finished.release();
    expect(await readdir(dirname(finished.file))).toEqual(['20261102T083000Z.json']);
  });

  it('finishes an interrupted run, and an empty one, as valid snapshots', async () => {
    const env = await dataEnv();
    const startedAt = new Date(Date.UTC(2026, 10, 3));
    const interrupted = await writer(env, startedAt);
    interrupted.add([instance]);
    const file = (await interrupted.finish(end(startedAt, { complete: false, interrupted: true }))).file;
    const back = await readSnapshot(file);
    expect([back.interrupted, back.complete, back.resources.length, back.summary.resources]).toEqual([true, false, 1, 1]);

    const later = new Date(Date.UTC(2026, 10, 4));
    const empty = await (await writer(env, later)).finish(end(later));
    expect((await readSnapshot(empty.file)).resources).toEqual([]);
    expect(empty.snapshot.summary).toEqual({ resources: 0, byCloud: {}, byKind: {} });
  });

  it('keeps an unsaved snapshot in a temporary file that release() removes', async () => {
    const env = await dataEnv();
    const startedAt = new Date(Date.UTC(2026, 10, 5));
    const exitHooks = process.listenerCount('exit');
    const open = await writer(env, startedAt, { save: false });
    // Until released, the process removes it on exit even if it dies first.
    expect(process.listenerCount('exit')).toBe(exitHooks + 1);
    open.add([instance]);
    const finished = await open.finish(end(startedAt));
    expect(finished.saved).toBe(false);
    expect(finished.file.startsWith(tmpdir())).toBe(true);
    expect((await readSnapshot(finished.file)).resources).toEqual([instance]);
    expect((await stat(finished.file)).mode & 0o777).toBe(0o600);
    await finished.release();
    await expect(stat(dirname(finished.file))).rejects.toThrow(/ENOENT/);
    expect(await listSnapshots(env, 'team/a')).toEqual([]);
    expect(process.listenerCount('exit')).toBe(exitHooks);
  });

  it('leaves no file behind when the run is given up or a page cannot be written', async () => {
    const env = await dataEnv();
    const dir = join(env.GUARDIAN_DATA_DIR as string, 'snapshots', 'team%2Fa');
    const startedAt = new Date(Date.UTC(2026, 10, 6));
    const exitHooks = process.listenerCount('exit');
    const given = await writer(env, startedAt, { relations: relationIndexes(['gcp']) });
    given.add([instance, gcpInstance]);
    await given.discard();
    expect(await readdir(dir)).toEqual([]);

    const broken = await writer(env, startedAt);
    broken.add([instance]);
    // A BigInt cannot be written as JSON: the page fails, and so does the snapshot, cleanly.
    broken.add([{ ...volume, attributes: { sizeGb: 8n } as unknown as Resource['attributes'] }]);
    await expect(broken.finish(end(startedAt))).rejects.toThrow(/BigInt/);
    expect(await readdir(dir)).toEqual([]);

    const temporary = await writer(env, startedAt, { save: false });
    temporary.add([instance]);
    expect(temporary.path.startsWith(tmpdir())).toBe(true);
    await temporary.discard();
    await expect(stat(dirname(temporary.path))).rejects.toThrow(/ENOENT/);
    expect(process.listenerCount('exit')).toBe(exitHooks);
  });

  it('spools a cloud with post-run relations and appends it resolved at the end', async () => {
    const env = await dataEnv();
    const startedAt = new Date(Date.UTC(2026, 10, 7));
    const open = await writer(env, startedAt, { request: { providers: ['aws', 'gcp'] }, relations: relationIndexes(['aws', 'gcp']) });
    open.add([gcpDisk, instance]);
    open.add([gcpInstance]);
    open.add([gcpFirewall, volume]);
    // The snapshot being written and the GCP spool.
    expect(await readdir(dirname(open.path))).toHaveLength(2);
    const finished = await open.finish(end(startedAt));
    const back = await readSnapshot(finished.file);
    expect(back.resources.map((r) => r.id)).toEqual(['i-0abc', 'vol-1', '200', '100', '900']);
    const byId = new Map(back.resources.map((r) => [r.id, r]));
    expect(byId.get('200')?.relations).toEqual([{ type: 'attached-to', target: '100' }]);
    expect(byId.get('100')?.relations).toEqual([
      { type: 'in-network', target: 'https://c/projects/acme/global/networks/default' },
      { type: 'protected-by', target: '900' },
    ]);
    expect(back.summary).toEqual({
      resources: 5,
      byCloud: { gcp: 3, aws: 2 },
      byKind: { 'gcp.compute.disk': 1, 'aws.ec2.instance': 1, 'gcp.compute.instance': 1, 'gcp.compute.firewall': 1, 'aws.ec2.volume': 1 },
    });
    expect(await readdir(dirname(finished.file))).toEqual(['20261107T000000Z.json']);
  });

  it('prints --json byte for byte as the whole snapshot would print, reading the file line by line', async () => {
    const env = await dataEnv();
    for (const [day, resources] of [
      [8, [instance, volume, group, gcpInstance]],
      [9, []],
    ] as const) {
      const startedAt = new Date(Date.UTC(2026, 10, day));
      const open = await writer(env, startedAt);
      open.add(resources);
      const finished = await open.finish(end(startedAt));
      const { io, stdout } = recordingIo();
      await printSnapshotJson(io, finished);
      const { schemaVersion: _v, kind: _k, ...rest } = finished.snapshot;
      expect(stdout()).toBe(`${toJson('guardian.snapshot', { ...rest, resources })}\n`);
    }
  });

  it('rejects files that are not snapshots with a usage error naming the file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'guardian-inv-'));
    const cases: [string, string, RegExp][] = [
      ['broken.json', '{"kind": ', /broken\.json is not valid JSON/],
      ['plan.json', '{"format_version": "1.2"}', /plan\.json is not a Guardian snapshot/],
      ['future.json', '{"kind": "guardian.snapshot", "schemaVersion": 9, "resources": []}', /schemaVersion 9/],
      [
        'bad.json',
        '{"kind": "guardian.snapshot", "schemaVersion": 1, "resources": [{"cloud": "ibm"}]}',
        /resources\[0\] is not a resource/,
      ],
    ];
    for (const [name, text, message] of cases) {
      await writeFile(join(dir, name), text);
      const error = await readSnapshot(join(dir, name)).catch((e) => e);
      expect(error).toBeInstanceOf(UsageError);
      expect(error.message).toMatch(message);
    }
    await expect(readSnapshot(join(dir, 'missing.json'))).rejects.toThrow(/no such file/);
  });
});

describe('diff', () => {
  it('reports added, removed and changed resources with the changed fields', () => {
    const after: Resource = { ...instance, state: 'stopped', tags: { env: 'prod', owner: 'ana' } };
    const diff = diffInventories([instance, volume], [after, group]);
    expect(diff.added.map((r) => r.id)).toEqual(['sg-1']);
    expect(diff.removed.map((r) => r.id)).toEqual(['vol-1']);
    expect(diff.changed).toHaveLength(1);
    expect(diff.changed[0].changes).toEqual([
      { field: 'state', before: 'running', after: 'stopped' },
      { field: 'tags.owner', before: undefined, after: 'ana' },
    ]);
    expect(diffInventories([instance], [structuredClone(instance)]).unchanged).toBe(1);
  });
});

describe('diff of incomplete snapshots', () => {
  const scope = (region: string, type: 'region' | 'account' = 'region'): ScopeSummary => ({
    cloud: 'aws',
    account: '111111111111',
    region,
    type,
    label: `aws 111111111111 ${region}`,
    status: 'ok',
    resources: 0,
    tasks: 2,
    failedTasks: 0,
    unfinishedTasks: 0,
  });
  const taskError = (extra: Partial<TaskError>): TaskError => ({
    cloud: 'aws',
    account: '111111111111',
    region: 'us-east-1',
    class: 'timeout',
    code: 'Interrupted',
    message: 'interrupted',
    attempts: 1,
    ...extra,
  });
  const west: Resource = { ...volume, id: 'vol-west', region: 'us-west-2' };
  const bucket: Resource = { ...instance, kind: 'aws.s3.bucket', id: 'logs', region: 'eu-west-1' };

  it('reports what the newer snapshot did not finish looking for as not compared, never removed', () => {
    // The after run was interrupted while listing volumes in us-east-1: vol-1 is unknown there,
    // but us-west-2 finished, so vol-west is really gone.
    const after = {
      request: { providers: ['aws' as const] },
      scopes: [scope('us-east-1'), scope('us-west-2')],
      errors: [taskError({ kind: 'aws.ec2.volume' })],
    };
    const diff = diffInventories([instance, volume, west], [instance], { after: snapshotCoverage(after) });
    expect(diff.removed.map((r) => r.id)).toEqual(['vol-west']);
    expect(diff.notCompared).toEqual([
      { resource: volume, foundIn: 'before', reason: 'after: aws.ec2.volume in us-east-1 did not finish' },
    ]);
    expect(diff.unchanged).toBe(1);
  });

  it('reports what the older snapshot failed to list as not compared, never added', () => {
    const before = {
      request: { providers: ['aws' as const] },
      scopes: [scope('us-east-1')],
      errors: [taskError({ kind: 'aws.ec2.security-group', class: 'denied', code: 'UnauthorizedOperation', message: 'no' })],
    };
    const diff = diffInventories([instance], [instance, group, volume], { before: snapshotCoverage(before) });
    expect(diff.added.map((r) => r.id)).toEqual(['vol-1']);
    expect(diff.notCompared.map((n) => [n.resource.id, n.foundIn, n.reason])).toEqual([
      ['sg-1', 'after', 'before: aws.ec2.security-group in us-east-1 failed (UnauthorizedOperation)'],
    ]);
  });

  it('treats clouds, kinds and regions a snapshot was not asked for, and a whole cloud not listed, as not compared', () => {
    const gcpOnly = snapshotCoverage({ request: { providers: ['gcp'] }, scopes: [], errors: [] });
    expect(gcpOnly(instance)).toBe('aws was not discovered');
    const volumesOnly = snapshotCoverage({ request: { providers: ['aws'], kinds: ['aws.ec2.volume'] }, scopes: [], errors: [] });
    expect(volumesOnly(instance)).toBe('aws.ec2.instance was not discovered');
    expect(volumesOnly(volume)).toBeUndefined();
    const central = snapshotCoverage({ request: { providers: ['gcp'], regions: ['us-central1'] }, scopes: [], errors: [] });
    expect(central(gcpInstance)).toBeUndefined(); // us-central1-a is in us-central1
    expect(central(gcpFirewall)).toBeUndefined(); // global resources come with any region
    expect(central({ ...gcpInstance, region: 'europe-west1-b' })).toBe('europe-west1-b was not discovered');
    // The scope listing of the whole cloud never finished: nothing of AWS is known.
    const unlisted = snapshotCoverage({
      request: { providers: ['aws'] },
      scopes: [],
      errors: [taskError({ account: '*', region: undefined })],
    });
    expect(unlisted(bucket)).toBe('listing the aws accounts and regions did not finish');
    // An account-wide scope covers every region of the account.
    const accountWide = snapshotCoverage({
      request: { providers: ['aws'] },
      scopes: [scope('global', 'account')],
      errors: [taskError({ region: 'global', kind: 'aws.s3.bucket' })],
    });
    expect(accountWide(bucket)).toBe('aws.s3.bucket in global did not finish');
    expect(accountWide(instance)).toBeUndefined();
  });

  it('counts only the gaps inside the clouds, regions and kinds a diff looks at', () => {
    const errors = [
      taskError({ kind: 'aws.ec2.volume' }),
      taskError({ region: 'eu-west-1', kind: 'aws.rds.instance' }),
      taskError({ cloud: 'gcp', account: '*', region: undefined }),
    ];
    const codes = (slice: Parameters<typeof errorsWithin>[1]) => errorsWithin(errors, slice).map((e) => `${e.cloud}:${e.kind ?? '*'}`);
    expect(codes({})).toEqual(['aws:aws.ec2.volume', 'aws:aws.rds.instance', 'gcp:*']);
    expect(codes({ providers: ['aws'], kinds: ['aws.ec2.instance'] })).toEqual([]);
    expect(codes({ regions: ['eu-west-1'] })).toEqual(['aws:aws.rds.instance', 'gcp:*']);
    expect(codes({ kinds: ['gcp.compute.disk'] })).toEqual(['gcp:*']);
  });

  it('knows a snapshot printed with --filter holds only what matched', () => {
    const filtered = snapshotCoverage({ request: { providers: ['aws'] }, scopes: [], errors: [], filter: ['tag:env=prod'] });
    expect(filtered(instance)).toBeUndefined();
    expect(filtered({ ...instance, tags: {} })).toBe('outside its --filter tag:env=prod');
  });
});

describe('graph', () => {
  it('draws every relation between known resources in DOT and Mermaid, escaping names', () => {
    const dot = toGraph([instance, volume, group], 'dot');
    expect(dot).toMatch(/^digraph guardian \{/);
    expect(dot).toContain('[label="attached-to"]');
    expect(dot).toContain('[label="protected-by"]');
    expect(dot).toContain('web \\"edge\\"');
    const mermaid = toGraph([instance, volume, group], 'mermaid');
    expect(mermaid.split('\n')[0]).toBe('graph LR');
    expect(mermaid.match(/-->\|/g)).toHaveLength(2);
    expect(mermaid).not.toContain('"edge"');
  });

  it("breaks DOT labels with DOT's own line break, not a printed backslash-n", () => {
    const dot = toGraph([instance, volume, group], 'dot');
    expect(dot).toContain(`[label="aws.ec2.instance\\n${instance.name}"]`);
    expect(dot).not.toContain('\\\\n');
  });

  it('keeps control characters in names out of DOT and Mermaid', () => {
    const hostile = { ...group, name: 'evil\u001b]0;x\u0007\nline' };
    const shown = { dot: 'evil\\\\x1b]0;x\\\\x07', mermaid: 'evil\\x1b]0;x\\x07' };
    for (const format of ['dot', 'mermaid'] as const) {
      const text = toGraph([instance, volume, hostile], format);
      expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f]/);
      // DOT doubles the backslash of the escape, which Graphviz shows as one.
      expect(text).toContain(shown[format]);
    }
    expect(toGraph([instance, volume, hostile], 'mermaid').split('\n')).toHaveLength(1 + 3 + 2);
  });

  it("groups a Mermaid graph over Mermaid's default limits by kind and says how to get every resource", () => {
    const many: Resource[] = [];
    for (let i = 0; i < 700; i++) {
      const sg = { ...group, id: `sg-${i}`, name: `group-${i}` };
      many.push(sg, { ...instance, id: `i-${i}`, name: `instance-${i}`, relations: [{ type: 'protected-by', target: sg.id }] });
    }
    const small = renderGraph(many.slice(0, 20), 'mermaid');
    expect(small.notice).toBeUndefined();
    const graph = renderGraph(many, 'mermaid');
    expect(graph.text.split('\n')[0]).toBe('graph LR');
    expect(graph.text.length).toBeLessThanOrEqual(MERMAID_MAX_TEXT);
    expect((graph.text.match(/-->/g) ?? []).length).toBeLessThanOrEqual(MERMAID_MAX_EDGES);
    expect(graph.text).toContain('-->|protected-by × 700|');
    expect(graph.text).toContain('aws.ec2.instance × 700');
    expect(graph.notice).toMatch(/700 edges \(limit 500\).*--graph dot prints every resource/);
    expect(renderGraph(many, 'dot').notice).toBeUndefined();
  });
});
