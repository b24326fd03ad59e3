// What `guardian discover` makes of a run for a person: --filter expressions, the summary line,
// scope statuses and the grouped error table, and the leftovers of killed runs.

import { mkdir, mkdtemp, readdir, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { groupErrors, incompleteness, renderDiscovery, scopeStatus, summaryLine } from '../../src/discovery/report.js';
import { judgeDiscovery } from '../../src/discovery/verdict.js';
import { UsageError } from '../../src/errors.js';
import { parseFilters } from '../../src/inventory/filter.js';
import type { SnapshotMeta } from '../../src/inventory/snapshot.js';
import { LEFTOVER_AGE_MS, listLeftovers, listSnapshots, pruneSnapshots, snapshotDir } from '../../src/inventory/store.js';
import type { DiscoveryStats, ScopeSummary, TaskError } from '../../src/model/discovery.js';
import type { Resource } from '../../src/model/resource.js';
import { createIo } from '../../src/render/io.js';

const web: Resource = {
  cloud: 'aws',
  kind: 'aws.ec2.instance',
  id: 'arn:aws:ec2:us-east-1:111111111111:instance/i-0abc',
  name: 'web-1',
  account: '111111111111',
  region: 'us-east-1',
  state: 'running',
  tags: { env: 'prod', owner: 'ana' },
  attributes: {},
  relations: [],
};
const batch: Resource = { ...web, id: 'i-0def', name: 'batch-1', state: 'stopped', tags: { env: 'dev' } };
const disk: Resource = { ...web, cloud: 'gcp', kind: 'gcp.compute.disk', id: '7', name: 'data', region: 'us-central1-a', tags: {} };
const all = [web, batch, disk];
const ids = (expressions: string[]) => {
  const filter = parseFilters(expressions);
  return all.filter((r) => filter?.matches(r)).map((r) => r.name);
};

describe('discover --filter', () => {
  it('ANDs repeated filters over tags, fields, negations and globs', () => {
    expect(ids(['tag:env=prod', 'state=running'])).toEqual(['web-1']);
    expect(ids(['tag:env=prod', 'state=stopped'])).toEqual([]);
    expect(ids(['tag:env'])).toEqual(['web-1', 'batch-1']);
    expect(ids(['!tag:env'])).toEqual(['data']);
    // Like kubectl: a resource without the tag is not "prod" either.
    expect(ids(['tag:env!=prod'])).toEqual(['batch-1', 'data']);
    expect(ids(['name!=web-*'])).toEqual(['batch-1', 'data']);
    expect(ids(['kind=aws.ec2.*'])).toEqual(['web-1', 'batch-1']);
    // A glob's * crosses the slashes of ARNs and resource ids.
    expect(ids(['id=arn:aws:ec2:*'])).toEqual(['web-1']);
    expect(ids(['cloud=gcp', 'region=us-central1-*'])).toEqual(['data']);
    expect(ids(['account=111111111111', 'tag:owner=a?a'])).toEqual(['web-1']);
    expect(parseFilters(undefined)).toBeUndefined();
  });

  it('rejects a bad expression with one usage line that says what would work', () => {
    for (const [expression, message] of [
      ['stat=running', /unknown key 'stat' \(did you mean state\?\)/],
      ['name', /name needs a value/],
      ['state=', /state needs a value/],
      ['tag:=x', /tag: needs a tag key/],
      ['!tag:env=prod', /'!' goes with a bare tag:KEY/],
      ['=prod', /expected KEY=VALUE/],
    ] as const) {
      const error = (() => {
        try {
          parseFilters([expression]);
        } catch (e) {
          return e as Error;
        }
      })();
      expect(error, expression).toBeInstanceOf(UsageError);
      expect(error?.message).toMatch(message);
      expect(error?.message).not.toContain('\n');
    }
    expect(() => parseFilters([''])).toThrow(UsageError);
  });
});

const STATS: DiscoveryStats = {
  calls: 9,
  retries: 0,
  throttled: 0,
  pages: 9,
  tasks: 20,
  failedTasks: 0,
  unfinishedTasks: 0,
  duplicates: 0,
};

function meta(extra: Partial<SnapshotMeta>): SnapshotMeta {
  return {
    schemaVersion: 1,
    kind: 'guardian.snapshot',
    id: '20261101T000000Z',
    profile: 'demo',
    startedAt: '2026-11-01T00:00:00.000Z',
    finishedAt: '2026-11-01T00:00:00.700Z',
    durationMs: 700,
    complete: true,
    interrupted: false,
    timedOut: false,
    request: { providers: ['aws'] },
    summary: { resources: 0, byCloud: {}, byKind: {} },
    scopes: [],
    errors: [],
    stats: STATS,
    ...extra,
  };
}

const error = (extra: Partial<TaskError>): TaskError => ({
  cloud: 'aws',
  account: '111111111111',
  region: 'us-east-1',
  kind: 'aws.ec2.instance',
  class: 'timeout',
  code: 'Interrupted',
  message: 'interrupted',
  attempts: 1,
  ...extra,
});

describe('the discover report', () => {
  it('reads properly for an empty interrupted run: no empty brackets, and why it is incomplete', () => {
    const interrupted = meta({
      complete: false,
      interrupted: true,
      errors: [
        error({ account: '*', region: undefined, kind: undefined }),
        error({ cloud: 'gcp', account: '*', region: undefined, kind: undefined }),
      ],
    });
    expect(summaryLine(interrupted)).toBe(
      'Discovered 0 resources in 0.7 s — INCOMPLETE, interrupted: the accounts and regions of aws, gcp were not listed',
    );
    expect(summaryLine(meta({ summary: { resources: 1, byCloud: { aws: 1 }, byKind: {} } }))).toBe(
      'Discovered 1 resource in 0.7 s (aws 1)',
    );
  });

  it('tells listings stopped by --timeout from listings that failed', () => {
    const timedOut = meta({
      complete: false,
      timedOut: true,
      errors: [
        error({ code: 'RunTimeout' }),
        error({ code: 'RunTimeout', kind: 'aws.ec2.volume' }),
        error({ region: 'eu-west-1', class: 'denied', code: 'UnauthorizedOperation', message: 'no' }),
      ],
    });
    expect(incompleteness(timedOut)).toBe('stopped by --timeout: 2 of 20 listings did not finish, 1 listing failed in 1 scope');
    expect(incompleteness(meta({}))).toBeUndefined();
    const scope: ScopeSummary = {
      cloud: 'aws',
      account: '1',
      region: 'us-east-1',
      type: 'region',
      label: 'aws 1 us-east-1',
      status: 'unfinished',
      resources: 0,
      tasks: 10,
      failedTasks: 0,
      unfinishedTasks: 10,
    };
    expect(scopeStatus(scope)).toBe('not finished (10 of 10 listings)');
    expect(scopeStatus({ ...scope, status: 'failed', failedTasks: 10, unfinishedTasks: 0 })).toBe('failed (10/10 listings)');
    expect(scopeStatus({ ...scope, status: 'partial', failedTasks: 2, unfinishedTasks: 3 })).toBe(
      'partial (2 of 10 listings failed, 3 not finished)',
    );
  });

  it('groups failed listings by scope and error code, the largest group first', () => {
    const kinds = ['aws.ec2.instance', 'aws.ec2.volume', 'aws.ec2.vpc', 'aws.rds.instance'] as const;
    const errors = [
      ...kinds.map((kind) => error({ region: 'us-west-2', kind, code: 'CallTimeout', message: 'no answer within 5000 ms' })),
      error({ region: 'eu-west-1', code: 'UnauthorizedOperation', message: 'no' }),
      error({ region: 'us-west-2', kind: 'aws.s3.bucket', code: 'AccessDenied', message: 'denied' }),
    ];
    const groups = groupErrors(errors);
    expect(groups.map((g) => [g.region, g.code, g.kinds.length])).toEqual([
      ['us-west-2', 'CallTimeout', 4],
      ['eu-west-1', 'UnauthorizedOperation', 1],
      ['us-west-2', 'AccessDenied', 1],
    ]);
    expect(groups[0].kinds).toEqual([...kinds]);
  });
});

describe('the discover table', () => {
  function render(verbose: boolean, snapshot: SnapshotMeta): Promise<string> {
    const chunks: Buffer[] = [];
    const stdout = new PassThrough();
    stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    const io = createIo({ stdout, stderr: new PassThrough(), stdin: new PassThrough() }, {}, { verbose });
    return renderDiscovery(io, 'table', { snapshot, file: '/nonexistent' }, {}).then(() => Buffer.concat(chunks).toString('utf8'));
  }

  it('summarises failed listings one row per scope and error, and lists every one with --verbose', async () => {
    const kinds = ['aws.ec2.instance', 'aws.ec2.volume', 'aws.ec2.vpc', 'aws.ec2.image', 'aws.rds.instance'] as const;
    const regions = ['us-west-2', 'eu-west-1'];
    const errors = regions.flatMap((region) =>
      kinds.map((kind) => error({ region, kind, class: 'timeout', code: 'CallTimeout', message: 'no answer within 5000 ms' })),
    );
    const snapshot = meta({ complete: false, errors, stats: { ...STATS, failedTasks: 10 } });
    const grouped = await render(false, snapshot);
    expect(grouped.match(/CallTimeout/g)).toHaveLength(2);
    expect(grouped).toMatch(/aws\.ec2\.instance, aws\.ec2\.volume, aws\.ec2\.vpc \+2/);
    expect(grouped).toMatch(/10 failed listing\(s\), one row per scope and error/);
    const every = await render(true, snapshot);
    expect(every.match(/CallTimeout/g)).toHaveLength(10);
    // Listings the run stopped are not failures: they are not in the error table at all.
    const stopped = await render(false, meta({ complete: false, interrupted: true, errors: [error({})] }));
    expect(stopped).not.toMatch(/Interrupted:|failed listing/);
    expect(stopped.split('\n')[0]).toBe('Discovered 0 resources in 0.7 s — INCOMPLETE, interrupted: 1 of 20 listings did not finish');
  });
});

describe('leftovers of killed runs', () => {
  it('are listed, and removed once they are a day old while a fresh one (a run in progress) stays', async () => {
    const env = { GUARDIAN_DATA_DIR: await mkdtemp(join(tmpdir(), 'guardian-left-')) };
    const dir = snapshotDir(env, 'demo');
    await mkdir(dir, { recursive: true });
    const now = Date.now();
    const old = new Date(now - LEFTOVER_AGE_MS - 60_000);
    for (const name of ['20261101T000000Z.json.partial', '20261101T000000Z.json.partial.gcp.ndjson', '20261130T000000Z.json.partial']) {
      await writeFile(join(dir, name), '{');
    }
    await writeFile(join(dir, '20261101T000000Z.json'), '{}');
    await utimes(join(dir, '20261101T000000Z.json.partial'), old, old);
    await utimes(join(dir, '20261101T000000Z.json.partial.gcp.ndjson'), old, old);
    expect((await listLeftovers(env, 'demo')).map((f) => f.slice(dir.length + 1))).toEqual([
      '20261101T000000Z.json.partial',
      '20261101T000000Z.json.partial.gcp.ndjson',
      '20261130T000000Z.json.partial',
    ]);
    expect(await listSnapshots(env, 'demo')).toEqual([join(dir, '20261101T000000Z.json')]);
    await pruneSnapshots(env, 'demo', 20, now);
    expect((await readdir(dir)).sort()).toEqual(['20261101T000000Z.json', '20261130T000000Z.json.partial']);
  });
});

describe('the discover verdict', () => {
  const failed = error({ class: 'denied', code: 'UnauthorizedOperation', message: 'no' });

  it('passes a complete run and says nothing', () => {
    expect(judgeDiscovery({ snapshot: meta({}), file: '/s/1.json', saved: true }, { strict: true })).toEqual({
      complete: true,
      warnings: [],
      outcome: 'ok',
    });
  });

  it('warns on an incomplete run, naming where the partial snapshot went, and fails it only under --strict', () => {
    const run = { snapshot: meta({ complete: false, errors: [failed] }), file: '/s/1.json', saved: true };
    const message = 'the results are incomplete (1 listing failed in 1 scope); partial snapshot saved to /s/1.json';
    expect(judgeDiscovery(run, { strict: false })).toEqual({ complete: false, warnings: [message], outcome: 'ok' });
    expect(judgeDiscovery(run, { strict: true })).toEqual({ complete: false, warnings: [], outcome: 'partial', message });
    expect(judgeDiscovery({ ...run, saved: false }, { strict: false }).warnings[0]).toMatch(
      /; partial results printed, not saved \(--no-save\)$/,
    );
  });

  it('ends an interrupted run as interrupted, strict or not, with what was found so far', () => {
    const snapshot = meta({
      complete: false,
      interrupted: true,
      errors: [error({})],
      summary: { resources: 12, byCloud: { aws: 12 }, byKind: {} },
    });
    const verdict = judgeDiscovery({ snapshot, file: '/s/2.json', saved: true }, { strict: false });
    expect(verdict).toEqual({
      complete: false,
      warnings: ['interrupted: 1 of 20 listings did not finish; partial snapshot saved to /s/2.json'],
      outcome: 'interrupted',
      message: 'interrupted; 12 resources found so far, partial snapshot saved to /s/2.json',
    });
    expect(judgeDiscovery({ snapshot, file: '/s/2.json', saved: true }, { strict: true }).outcome).toBe('interrupted');
  });
});
