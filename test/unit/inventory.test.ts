import { mkdtemp, readdir, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DiscoveryResult } from '../../src/discovery/engine.js';
import { UsageError } from '../../src/errors.js';
import { diffInventories } from '../../src/inventory/diff.js';
import { toGraph } from '../../src/inventory/graph.js';
import { buildSnapshot, readSnapshot } from '../../src/inventory/snapshot.js';
import { listSnapshots, saveSnapshot } from '../../src/inventory/store.js';
import type { Resource } from '../../src/model/resource.js';

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

function result(resources: Resource[]): DiscoveryResult {
  return {
    resources,
    scopes: [],
    errors: [],
    stats: { calls: 1, retries: 0, throttled: 0, pages: 1, tasks: 1, failedTasks: 0, duplicates: 0 },
    complete: true,
    aborted: false,
  };
}

describe('snapshots', () => {
  it('round-trips through the data directory and keeps only the newest N', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'guardian-inv-'));
    const env = { GUARDIAN_DATA_DIR: dir };
    for (let i = 0; i < 4; i++) {
      const startedAt = new Date(Date.UTC(2026, 10, 1, 0, 0, i));
      const snapshot = buildSnapshot(result([instance]), {
        profile: 'team/a',
        startedAt,
        finishedAt: startedAt,
        request: { providers: ['aws'] },
      });
      await saveSnapshot(env, snapshot, 3);
    }
    const files = await listSnapshots(env, 'team/a');
    expect(files).toHaveLength(3);
    expect(files[0]).toContain('20261101T000001Z');
    const back = await readSnapshot(files[2]);
    expect(back.resources).toEqual([instance]);
    expect(back.summary).toEqual({ resources: 1, byCloud: { aws: 1 }, byKind: { 'aws.ec2.instance': 1 } });
    expect((await stat(files[2])).mode & 0o777).toBe(0o600);
    expect(await readdir(join(dir, 'snapshots'))).toEqual([encodeURIComponent('team/a')]);
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
});
