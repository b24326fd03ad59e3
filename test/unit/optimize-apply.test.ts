// optimize --apply's pure parts: which recommendations become plan items and with which calls,
// what the journal reader accepts and refuses, what a journal's history says is done, and how
// undo reverses each kind of item (or says it cannot).

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import type { Recommendation, RecommendationAction } from '../../src/model/recommendation.js';
import type { Resource, ResourceKind } from '../../src/model/resource.js';
import { historyOf, JournalWriter, readJournal } from '../../src/optimize/apply/journal.js';
import { planOf, snapshotNameFor } from '../../src/optimize/apply/plan.js';
import { reversalOf, undoJournal } from '../../src/optimize/apply/undo.js';

const dir = mkdtempSync(join(tmpdir(), 'guardian-apply-unit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function rec(id: string, action: RecommendationAction, kind: ResourceKind, resourceId: string, saving = 10): Recommendation {
  return {
    id,
    rule: 'AWS-COST-000',
    action,
    resource: {
      cloud: kind.startsWith('aws.') ? 'aws' : 'azure',
      kind,
      id: resourceId,
      name: resourceId,
      account: '111111111111',
      region: 'us-east-1',
    },
    summary: `${action} ${resourceId}`,
    monthlySaving: saving,
    currency: 'USD',
    priceBasis: 'list',
    approximate: false,
    evidence: [],
    risk: '',
    command: { cli: `aws ec2 something ${resourceId}`, applyId: id },
  };
}

function resource(kind: ResourceKind, id: string, attributes: Record<string, unknown>, state?: string): Resource {
  return {
    cloud: 'aws',
    kind,
    id,
    name: id,
    account: '111111111111',
    region: 'us-east-1',
    tags: {},
    attributes,
    relations: [],
    state,
  } as Resource;
}

const RECS = [
  rec('opt-0000000001', 'delete-volume', 'aws.ec2.volume', 'vol-1', 50),
  rec('opt-0000000002', 'change-volume-type', 'aws.ec2.volume', 'vol-1', 5),
  rec('opt-0000000003', 'change-volume-type', 'aws.ec2.volume', 'vol-2', 4),
  rec('opt-0000000004', 'stop', 'aws.ec2.instance', 'i-1', 30),
  rec('opt-0000000005', 'resize', 'aws.ec2.instance', 'i-2', 20),
  rec('opt-0000000006', 'release-address', 'aws.ec2.address', 'eipalloc-1', 3),
];
const RESOURCES = [
  resource('aws.ec2.volume', 'vol-1', { volumeType: 'gp2', sizeGb: 100, availabilityZone: 'us-east-1a' }),
  resource('aws.ec2.volume', 'vol-2', { volumeType: 'gp2', sizeGb: 2000 }),
  resource('aws.ec2.instance', 'i-1', {}, 'running'),
  resource('aws.ec2.address', 'eipalloc-1', { publicIp: '198.51.100.7' }),
];

describe('the plan', () => {
  it('takes the safe actions, one per resource, and leaves resizes to a person', () => {
    const plan = planOf(RECS, RESOURCES);
    expect(plan.items.map((i) => i.id)).toEqual(['opt-0000000001', 'opt-0000000003', 'opt-0000000004', 'opt-0000000006']);
    expect(plan.superseded).toEqual([{ recommendation: RECS[1], by: 'opt-0000000001' }]);
    expect(plan.manual.map((r) => r.id)).toEqual(['opt-0000000005']);
  });

  it('snapshots a volume and waits for it before deleting it, and keeps what undo needs', () => {
    const [item] = planOf(RECS, RESOURCES, ['opt-0000000001']).items;
    expect(item.steps.map((s) => `${s.name}:${s.request.op}`)).toEqual([
      'snapshot:create-snapshot',
      'wait-snapshot:snapshot-state',
      'delete:delete-volume',
    ]);
    expect(item.before).toMatchObject({ volumeType: 'gp2', sizeGb: 100, availabilityZone: 'us-east-1a' });
  });

  it('provisions a large gp2 volume’s IOPS on gp3 so none are lost', () => {
    const [item] = planOf(RECS, RESOURCES, ['opt-0000000003']).items;
    expect(item.steps[0].request).toMatchObject({ op: 'modify-volume-type', volumeType: 'gp3', iops: 6000 });
    expect(item.before).toEqual({ volumeType: 'gp2' });
  });

  it('refuses an unknown id and an action Guardian does not apply, naming them', () => {
    expect(() => planOf(RECS, RESOURCES, ['opt-ffffffffff'])).toThrow(UsageError);
    expect(() => planOf(RECS, RESOURCES, ['opt-ffffffffff'])).toThrow(/no recommendation 'opt-ffffffffff'/);
    expect(() => planOf(RECS, RESOURCES, ['opt-0000000005'])).toThrow(
      /opt-0000000005 \(resize i-2\) is not a change --apply makes; run its command yourself: aws ec2/,
    );
  });

  it('names an Azure or GCP disk’s snapshot the same on every run, differently for a later disk of that name, within GCP’s rules', () => {
    const disk = { id: '6468718619018004313', name: 'Reporting_Prod.Orphan-01r3-with-a-rather-long-name-indeed' };
    const name = snapshotNameFor(disk, '2026-01-01T00:00:00.000Z');
    expect(name).toBe(snapshotNameFor(disk, '2026-01-01T00:00:00.000Z'));
    expect(name).not.toBe(snapshotNameFor(disk, '2026-06-01T00:00:00.000Z'));
    expect(name).toMatch(/^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/);
    expect(name).toMatch(/^reporting-prod-orphan-01r3-with-a-rather-guardian-[0-9a-f]{8}$/);
    const gcp = rec('opt-0000000007', 'delete-volume', 'gcp.compute.disk', '6468718619018004313');
    gcp.resource = { ...gcp.resource, cloud: 'gcp', name: 'orphan-disk', region: 'europe-west4-c' };
    const [item] = planOf([gcp], []).items;
    expect(item.steps.map((s) => s.request)).toMatchObject([
      { op: 'create-snapshot', name: 'orphan-disk', snapshotName: expect.stringMatching(/^orphan-disk-guardian-/) },
      { op: 'snapshot-state' },
      { op: 'delete-volume', name: 'orphan-disk', id: '6468718619018004313' },
    ]);
  });

  it('accepts an id a resumed journal shows done even when it is no longer recommended', () => {
    expect(planOf(RECS, RESOURCES, ['opt-0000000099', 'opt-0000000004'], new Set(['opt-0000000099'])).items.map((i) => i.id)).toEqual([
      'opt-0000000004',
    ]);
  });
});

describe('the journal', () => {
  const header = { schemaVersion: 1, kind: 'guardian-optimize-journal' as const, createdAt: '2026-12-01T00:00:00Z', profile: 'p' };
  const file = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  it('reads back what the writer appended, and its history says what is done', () => {
    const path = join(dir, 'ok.jsonl');
    const writer = JournalWriter.open(path, header);
    const resource = RECS[0].resource;
    writer.append({ type: 'item', item: 'opt-0000000001', action: 'delete-volume', resource, before: {}, at: 'x' });
    writer.append({
      type: 'intent',
      item: 'opt-0000000001',
      step: 'snapshot',
      request: { op: 'create-snapshot', cloud: 'aws', account: '1', region: 'r', id: 'vol-1' },
      at: 'x',
    });
    writer.append({ type: 'outcome', item: 'opt-0000000001', step: 'snapshot', ok: true, answer: { id: 'snap-1' }, at: 'x' });
    writer.append({
      type: 'outcome',
      item: 'opt-0000000001',
      step: 'delete',
      ok: false,
      error: { class: 'server', code: 'InternalError', message: 'm' },
      at: 'x',
    });
    writer.close();
    const journal = readJournal(path);
    expect(journal.header).toEqual(header);
    const history = historyOf(journal.records).get('opt-0000000001')!;
    expect(history.done).toBe(false);
    expect(history.answered.get('snapshot')).toEqual({ id: 'snap-1' });
    expect(history.failed?.code).toBe('InternalError');
    expect(reversalOf(history)?.note).toMatch(/was not deleted; snapshot snap-1 remains/);
  });

  it.each([
    ['a truncated last line', `${JSON.stringify(header)}\n{"type":"item"`, /truncated/],
    ['an empty file', '', /empty/],
    ['another document', '{"kind":"guardian.snapshot"}\n', /not an optimize journal/],
    ['a later schema', `${JSON.stringify({ ...header, schemaVersion: 2 })}\n`, /schemaVersion 2 journal/],
    ['a damaged record', `${JSON.stringify(header)}\nnot json\n`, /line 2 is not JSON/],
    ['a record without an item', `${JSON.stringify(header)}\n{"type":"done"}\n`, /line 2 is not a journal record/],
  ])('refuses %s as a usage error', (_name, text, message) => {
    const path = file(`${_name.replace(/ /g, '-')}.jsonl`, text);
    expect(() => readJournal(path)).toThrow(UsageError);
    expect(() => readJournal(path)).toThrow(message);
  });
});

describe('undo', () => {
  const history = (action: RecommendationAction, steps: Record<string, object>, before: Record<string, unknown> = {}) => ({
    item: { type: 'item' as const, item: 'opt-1', action: action as never, resource: RECS[0].resource, before: before as never, at: 'x' },
    done: true,
    undone: false,
    answered: new Map(Object.entries(steps)),
  });

  it('starts a machine it stopped, changes a volume back, allocates an address in place of a released one', () => {
    expect(reversalOf(history('stop', { stop: {} }, { state: 'running' }))?.request?.op).toBe('start-instance');
    expect(reversalOf(history('change-volume-type', { modify: {} }, { volumeType: 'gp2' }))?.request).toMatchObject({
      op: 'modify-volume-type',
      volumeType: 'gp2',
    });
    const release = reversalOf(history('release-address', { release: {} }, { address: '198.51.100.7' }));
    expect(release?.request?.op).toBe('allocate-address');
    expect(release?.note).toMatch(/198\.51\.100\.7 is gone for good/);
  });

  it('recreates a deleted volume from its snapshot in its zone, type, size and tags, and says the old id cannot come back', () => {
    const reversal = reversalOf(
      history(
        'delete-volume',
        { snapshot: { id: 'snap-9' }, 'wait-snapshot': {}, delete: {} },
        {
          availabilityZone: 'us-east-1a',
          volumeType: 'gp2',
          sizeGb: 100,
          iops: 300,
          tags: { Name: 'data', 'aws:cloudformation:stack-name': 's' },
        },
      ),
    );
    // gp2 takes no IOPS: EC2 derives them from the size; aws: tags are AWS's to set.
    expect(reversal?.request).toEqual({
      op: 'create-volume',
      cloud: 'aws',
      account: '111111111111',
      region: 'us-east-1',
      id: 'snap-9',
      availabilityZone: 'us-east-1a',
      volumeType: 'gp2',
      sizeGb: 100,
      tags: { Name: 'data' },
    });
    expect(reversal?.after?.({ id: 'vol-new', state: 'creating' })).toMatch(
      /as vol-new \(creating\); the deleted id vol-1 cannot come back/,
    );
  });

  it('recreates a deleted Azure or GCP disk of the same name from its snapshot', () => {
    for (const cloud of ['azure', 'gcp'] as const) {
      const h = history('delete-volume', { snapshot: { id: 'disk-1-guardian-0a1b2c3d' }, delete: {} }, {
        volumeType: 'pd-ssd',
        sizeGb: 50,
      } as never);
      h.item.resource = { ...h.item.resource, cloud, id: '123', name: 'disk-1' };
      expect(reversalOf(h)?.request).toMatchObject({
        op: 'create-volume',
        cloud,
        id: 'disk-1-guardian-0a1b2c3d',
        name: 'disk-1',
        volumeType: 'pd-ssd',
        sizeGb: 50,
      });
    }
  });

  it('names the snapshot left behind when the delete never happened', () => {
    const reversal = reversalOf(history('delete-volume', { snapshot: { id: 'snap-9' }, 'wait-snapshot': {} }));
    expect(reversal?.request).toBeUndefined();
    expect(reversal?.note).toMatch(
      /volume was not deleted; snapshot snap-9 remains \(aws ec2 delete-snapshot --region us-east-1 --snapshot-id snap-9\)/,
    );
  });

  it('says a released GCP address is gone and how to reserve a new one', () => {
    const h = history('release-address', { release: {} }, { address: '203.0.113.9' });
    h.item.resource = { ...h.item.resource, cloud: 'gcp', name: 'web-ip', account: 'acme-prod', region: 'europe-west1' };
    const reversal = reversalOf(h);
    expect(reversal?.request).toBeUndefined();
    expect(reversal?.note).toMatch(
      /203\.0\.113\.9 is gone for good; a new one: gcloud compute addresses create web-ip --project acme-prod --region europe-west1/,
    );
  });

  it('starts no reversal once --timeout has passed: the first unreached is failed with Timeout, the rest not attempted, nothing journalled', async () => {
    const path = join(dir, 'undo-deadline.jsonl');
    writeFileSync(path, `${JSON.stringify({ schemaVersion: 1, kind: 'guardian-optimize-journal', createdAt: 'x' })}\n`);
    const journal = JournalWriter.open(path, undefined);
    const histories = [history('stop', { stop: {} }, { state: 'running' }), history('stop', { stop: {} }, { state: 'running' })];
    histories[1].item = { ...histories[1].item, item: 'opt-2' };
    try {
      const results = await undoJournal(histories, {
        providers: [],
        journal,
        signal: new AbortController().signal,
        callTimeoutMs: 1000,
        deadline: Date.now() - 1,
      });
      expect(results.map((r) => [r.id, r.status])).toEqual([
        ['opt-1', 'not attempted'],
        ['opt-2', 'failed'],
      ]);
      expect(results[1].error).toMatchObject({ class: 'timeout', code: 'Timeout' });
    } finally {
      journal.close();
    }
    expect(readJournal(path).records).toEqual([]);
  });

  it('has nothing to undo where no change answered', () => {
    expect(reversalOf(history('stop', {}))).toBeUndefined();
  });
});
