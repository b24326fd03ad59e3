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
import { planOf } from '../../src/optimize/apply/plan.js';
import { reversalOf } from '../../src/optimize/apply/undo.js';

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
  const history = (action: RecommendationAction, steps: Record<string, object>, before: Record<string, string> = {}) => ({
    item: { type: 'item' as const, item: 'opt-1', action: action as never, resource: RECS[0].resource, before, at: 'x' },
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

  it('cannot undelete a volume and names the snapshot to recreate it from', () => {
    const reversal = reversalOf(
      history(
        'delete-volume',
        { snapshot: { id: 'snap-9' }, 'wait-snapshot': {}, delete: {} },
        { availabilityZone: 'us-east-1a', volumeType: 'gp2' },
      ),
    );
    expect(reversal?.request).toBeUndefined();
    expect(reversal?.note).toMatch(
      /create-volume --region us-east-1 --snapshot-id snap-9 --availability-zone us-east-1a --volume-type gp2/,
    );
  });

  it('has nothing to undo where no change answered', () => {
    expect(reversalOf(history('stop', {}))).toBeUndefined();
  });
});
