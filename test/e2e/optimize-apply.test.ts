// `guardian optimize --apply` and `optimize undo` end to end: the built binary against a sandbox
// this test runs (the clouds' ambient AWS settings pointed at it), so the test sees every change
// the sandbox's estate goes through as it happens. At each change the journal on disk must
// already hold that call's intent (fsync'd before the call was sent) and not yet its outcome; a
// volume is removed only once a snapshot of it has completed; an injected 5xx and a permission
// error stop the walk with a journal that says so, a rerun finishes the rest, undo reverses what
// can be reversed and says what cannot. Bad input: unknown id, damaged journals, --apply on a
// snapshot file, --apply off a terminal without --yes. The secret key never appears anywhere.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecommendationAction } from '../../src/model/recommendation.js';
import type { EbsSnapshot, EbsVolume, Ec2Instance, EstateResource } from '../../src/sandbox/estate/types.js';
import { createSandbox, type Sandbox } from '../../src/sandbox/index.js';
import type { FaultOptions } from '../../src/sandbox/server/faults.js';
import type { EstateChange } from '../../src/sandbox/server/store.js';

const RULES = 'AWS-COST-001,AWS-COST-005,AWS-COST-006,AWS-COST-007';
const TODAY = new Date().toISOString().slice(0, 10);
let dir: string;

interface Lab {
  sandbox: Sandbox;
  env: Record<string, string>;
  secret: string;
  /** Every change the estate went through, with the journal's records at that moment. */
  seen: { change: EstateChange; journal: Record<string, unknown>[] }[];
  journalPath: string;
}

async function lab(name: string, faults?: FaultOptions): Promise<Lab> {
  const sandbox = await createSandbox({ seed: 42, size: 400, now: TODAY, settleMs: 50, faults });
  const account = sandbox.estate.aws.accounts.find((a) => a.management)!;
  const journalPath = join(dir, `${name}.jsonl`);
  const seen: Lab['seen'] = [];
  sandbox.store.onChange((change) => {
    let text = '';
    try {
      text = readFileSync(journalPath, 'utf8');
    } catch {
      // no journal yet
    }
    seen.push({
      change,
      journal: text
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line)),
    });
  });
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: join(dir, name),
    CI: 'true',
    GUARDIAN_CONFIG_DIR: join(dir, name, 'config'),
    GUARDIAN_DATA_DIR: join(dir, name, 'data'),
    AWS_ENDPOINT_URL: sandbox.awsOrigin,
    AWS_ACCESS_KEY_ID: account.accessKeyId,
    AWS_SECRET_ACCESS_KEY: account.secretAccessKey,
    AWS_REGION: 'us-east-1',
    AWS_EC2_METADATA_DISABLED: 'true',
  };
  // A stored profile that reaches every account of the organisation through its role, as the demo's does.
  for (const [key, value] of [
    ['aws.endpoint', sandbox.awsOrigin],
    ['aws.assumeRole', sandbox.estate.aws.organizationRole],
  ]) {
    const set = await guardian(['config', 'set', key, value], env);
    expect(set.exitCode, set.stderr).toBe(0);
  }
  return { sandbox, env, secret: account.secretAccessKey, seen, journalPath };
}

function guardian(args: string[], env: Record<string, string>) {
  return execa(process.execPath, ['dist/bin/guardian.js', ...args], { reject: false, extendEnv: false, stdin: 'ignore', env });
}

interface PlanRow {
  id: string;
  action: RecommendationAction;
  resource: { id: string; region: string; account: string };
  calls: string[];
}

async function planOf(l: Lab): Promise<PlanRow[]> {
  const result = await guardian(['optimize', '--rules', RULES, '--json'], l.env);
  expect(result.exitCode, result.stderr).toBe(0);
  return (JSON.parse(result.stdout) as { plan: PlanRow[] }).plan;
}

const store = (l: Lab) => l.sandbox.store;

const records = (path: string) =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown> & { type: string; item?: string; step?: string });

/** The journal held the call's intent, and not yet its outcome, when the change reached the estate. */
function journalledFirst(l: Lab, match: (intent: Record<string, unknown>) => boolean, change: EstateChange) {
  const at = l.seen.find((s) => s.change === change)!;
  const last = at.journal.at(-1) as { type: string; request?: Record<string, unknown> };
  expect(last.type, `journal when ${change.type} ${change.resource.id} landed`).toBe('intent');
  expect(match(last.request ?? {})).toBe(true);
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'guardian-apply-'));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('guardian optimize --apply --yes, a failure mid-walk, a rerun and undo', () => {
  let l: Lab;
  let chosen: PlanRow[];
  const deletes = () => chosen.filter((r) => r.action === 'delete-volume');

  beforeAll(async () => {
    l = await lab('walk', { failOperations: [{ operation: 'DeleteVolume', nth: 2, answer: 'server-error' }] });
  });
  afterAll(async () => {
    await l.sandbox.close();
  });

  it('prints the plan on a dry run and changes nothing', { timeout: 120_000 }, async () => {
    const version = l.sandbox.store.version;
    const plan = await planOf(l);
    const by = (action: RecommendationAction) => plan.filter((r) => r.action === action);
    expect(by('delete-volume').length).toBeGreaterThanOrEqual(3);
    for (const action of ['stop', 'change-volume-type', 'release-address'] as const) expect(by(action).length).toBeGreaterThanOrEqual(1);
    expect(by('delete-volume')[0].calls).toEqual(['CreateSnapshot', 'DescribeSnapshots until completed', 'DeleteVolume']);
    chosen = [...by('delete-volume').slice(0, 3), by('stop')[0], by('change-volume-type')[0], by('release-address')[0]];
    expect(l.sandbox.store.version).toBe(version);
  });

  it('stops at the injected 5xx with a journal that says what was done, what failed and what was not attempted', {
    timeout: 120_000,
  }, async () => {
    const ids = chosen.map((r) => r.id);
    const result = await guardian(['optimize', '--rules', RULES, '--apply', ...ids, '--yes', '--journal', l.journalPath, '--json'], l.env);
    expect(result.exitCode, result.stderr).toBe(1);
    expect(result.stderr).toContain(`journal: ${l.journalPath}`);
    expect(result.stderr).toMatch(/failed: InternalError/);
    const doc = JSON.parse(result.stdout) as { summary: Record<string, number>; items: { id: string; status: string }[] };
    const failedAt = doc.items.findIndex((i) => i.status === 'failed');
    expect(doc.items[failedAt].id).toBe(deletes()[1].id);
    expect(doc.items.slice(0, failedAt).every((i) => i.status === 'done')).toBe(true);
    expect(doc.items.slice(failedAt + 1).every((i) => i.status === 'not attempted')).toBe(true);
    expect(doc.summary).toMatchObject({ done: failedAt, failed: 1, notAttempted: doc.items.length - failedAt - 1 });

    const journal = records(l.journalPath);
    expect(journal[0]).toMatchObject({ schemaVersion: 1, kind: 'guardian-optimize-journal' });
    const failedItem = deletes()[1];
    const mine = journal.filter((r) => r.item === failedItem.id);
    expect(mine.map((r) => `${r.type}:${r.step ?? ''}`)).toEqual([
      'item:',
      'intent:snapshot',
      'outcome:snapshot',
      'intent:wait-snapshot',
      'outcome:wait-snapshot',
      'intent:delete',
      'outcome:delete',
    ]);
    expect(mine.at(-1)).toMatchObject({ ok: false, error: { code: 'InternalError' } });
    for (const later of doc.items.slice(failedAt + 1)) expect(journal.some((r) => r.item === later.id)).toBe(false);
    // The volume whose delete failed is still there, and so is the snapshot made of it.
    expect(l.sandbox.store.get(failedItem.resource.id)).toBeDefined();
  });

  it('sent every change only after its intent was journalled, and deleted each volume only once its snapshot had completed', () => {
    const changes = l.seen.map((s) => s.change);
    expect(changes.length).toBeGreaterThan(0);
    for (const change of changes) {
      if (change.type === 'add' && change.resource.kind === 'aws.ec2.snapshot') {
        const volumeId = (change.resource as EbsSnapshot).spec.volumeId;
        journalledFirst(l, (r) => r.op === 'create-snapshot' && r.id === volumeId, change);
      } else if (change.type === 'remove' && change.resource.kind === 'aws.ec2.volume') {
        journalledFirst(l, (r) => r.op === 'delete-volume' && r.id === change.resource.id, change);
        const snapshots = l.sandbox.estate.resources.filter(
          (r): r is EbsSnapshot => r.kind === 'aws.ec2.snapshot' && r.tags['guardian:optimize'] === change.resource.id,
        );
        expect(snapshots.map((s) => s.spec.state)).toEqual(['completed']);
      }
    }
    const removed = changes.filter((c) => c.type === 'remove' && c.resource.kind === 'aws.ec2.volume').map((c) => c.resource.id);
    expect(removed).toEqual([deletes()[0].resource.id]);
  });

  it('finishes the rest on a rerun with the same journal, without a second snapshot of the failed volume', {
    timeout: 120_000,
  }, async () => {
    const ids = chosen.map((r) => r.id);
    const result = await guardian(['optimize', '--rules', RULES, '--apply', ...ids, '--yes', '--journal', l.journalPath, '--json'], l.env);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/resumed/);
    const doc = JSON.parse(result.stdout) as { summary: Record<string, number> };
    expect(doc.summary).toMatchObject({ failed: 0, notAttempted: 0 });
    const store = l.sandbox.store;
    for (const row of deletes()) {
      expect(store.get(row.resource.id)).toBeUndefined();
      // Guardian tags what it makes; the estate may hold older snapshots of the same volume.
      const made = l.sandbox.estate.resources.filter(
        (r) => r.kind === 'aws.ec2.snapshot' && r.tags['guardian:optimize'] === row.resource.id,
      );
      expect(made).toHaveLength(1);
    }
    const stop = chosen.find((r) => r.action === 'stop')!;
    await new Promise((resolve) => setTimeout(resolve, 100));
    store.settle();
    expect(['stopping', 'stopped']).toContain((store.get(stop.resource.id) as Ec2Instance).spec.state);
    const gp2 = chosen.find((r) => r.action === 'change-volume-type')!;
    expect((store.get(gp2.resource.id) as EbsVolume).spec.volumeType).toBe('gp3');
    const address = chosen.find((r) => r.action === 'release-address')!;
    expect(store.get(address.resource.id)).toBeUndefined();
    const planted = l.sandbox.manifest().planted;
    for (const row of deletes()) expect(planted['volume-unattached']).not.toContain(row.resource.id);
    expect(planted['volume-gp2']).not.toContain(gp2.resource.id);
    for (const change of l.seen.map((s) => s.change)) {
      if (change.type === 'update' && change.resource.id === stop.resource.id && (change.resource as Ec2Instance).spec.state === 'stopping')
        journalledFirst(l, (r) => r.op === 'stop-instance' && r.id === stop.resource.id, change);
    }
  });

  it('undoes what can be undone, recreating deleted volumes from their snapshots, and says what cannot come back', {
    timeout: 120_000,
  }, async () => {
    await new Promise((resolve) => setTimeout(resolve, 200));
    l.sandbox.store.settle();
    const addresses = (s: Sandbox) => s.estate.resources.filter((r: EstateResource) => r.kind === 'aws.ec2.address').length;
    const before = addresses(l.sandbox);
    const result = await guardian(['optimize', 'undo', l.journalPath, '--json'], l.env);
    expect(result.exitCode, result.stderr).toBe(0);
    const doc = JSON.parse(result.stdout) as { items: { id: string; action: string; status: string; note?: string }[] };
    const status = Object.fromEntries(doc.items.map((i) => [i.id, i]));
    const stop = chosen.find((r) => r.action === 'stop')!;
    const gp2 = chosen.find((r) => r.action === 'change-volume-type')!;
    const address = chosen.find((r) => r.action === 'release-address')!;
    // The modification back lands once the sandbox's settle time has passed, as EC2's does.
    await new Promise((resolve) => setTimeout(resolve, 200));
    l.sandbox.store.settle();
    expect(status[stop.id].status).toBe('undone');
    expect(['pending', 'running']).toContain((l.sandbox.store.get(stop.resource.id) as Ec2Instance).spec.state);
    expect(status[gp2.id].status).toBe('undone');
    expect((l.sandbox.store.get(gp2.resource.id) as EbsVolume).spec.volumeType).toBe('gp2');
    expect(status[address.id]).toMatchObject({ status: 'undone', note: expect.stringMatching(/is gone for good/) });
    expect(addresses(l.sandbox)).toBe(before + 1);
    // A deleted volume comes back as a new one, from the snapshot taken before the delete, where it was.
    for (const row of deletes()) {
      const note = status[row.id].note ?? '';
      expect(status[row.id].status).toBe('undone');
      expect(note).toMatch(
        new RegExp(
          `recreated from snapshot snap-[0-9a-f]{17} as vol-[0-9a-f]{17} \\(creating\\); the deleted id ${row.resource.id} cannot come back`,
        ),
      );
      const [, snapshotId, volumeId] = /(snap-[0-9a-f]{17}) as (vol-[0-9a-f]{17})/.exec(note) ?? [];
      const restored = l.sandbox.store.get(volumeId) as EbsVolume;
      const made = l.sandbox.estate.resources.find((r) => r.id === snapshotId) as EbsSnapshot;
      expect(made.tags['guardian:optimize']).toBe(row.resource.id);
      const deleted = l.seen.find((c) => c.change.type === 'remove' && c.change.resource.id === row.resource.id)?.change
        .resource as EbsVolume;
      expect(restored.spec).toMatchObject({
        snapshotId,
        availabilityZone: deleted.spec.availabilityZone,
        volumeType: deleted.spec.volumeType,
        sizeGb: deleted.spec.sizeGb,
      });
      expect(restored.tags).toEqual(deleted.tags);
      // CreateVolume reached EC2 only once undo's intent naming the snapshot was on disk.
      const added = l.seen.find((c) => c.change.type === 'add' && c.change.resource.id === volumeId)!.change;
      journalledFirst(l, (r) => r.op === 'create-volume' && r.id === snapshotId, added);
      expect(store(l).get(row.resource.id)).toBeUndefined();
    }
    const undoIntents = records(l.journalPath).filter((r) => r.type === 'intent' && r.step === 'undo-delete');
    expect(undoIntents).toHaveLength(deletes().length);

    const again = await guardian(['optimize', 'undo', l.journalPath, '--json'], l.env);
    expect(again.exitCode, again.stderr).toBe(0);
    const second = JSON.parse(again.stdout) as { items: { id: string; status: string }[] };
    expect(second.items.find((i) => i.id === stop.id)?.status).toBe('already undone');
    expect(addresses(l.sandbox)).toBe(before + 1);

    // The secret key is in no output and not in the journal.
    for (const text of [result.stdout, result.stderr, again.stdout, again.stderr, readFileSync(l.journalPath, 'utf8')]) {
      expect(text).not.toContain(l.secret);
    }
  });
});

describe('guardian optimize --apply refused by the cloud', () => {
  it('stops at a permission error and records the refusal; the address stays', { timeout: 120_000 }, async () => {
    const l = await lab('denied', { failOperations: [{ operation: 'ReleaseAddress', answer: 'denied' }] });
    try {
      const address = (await planOf(l)).find((r) => r.action === 'release-address')!;
      const result = await guardian(['optimize', '--rules', RULES, '--apply', address.id, '--yes', '--journal', l.journalPath], l.env);
      expect(result.exitCode, result.stderr).toBe(1);
      expect(result.stderr).toMatch(/UnauthorizedOperation/);
      expect(result.stderr).toMatch(/0 done, 1 failed, 0 not attempted/);
      expect(result.stderr).not.toMatch(/\n\s+at /);
      expect(records(l.journalPath).at(-1)).toMatchObject({ type: 'outcome', item: address.id, ok: false, error: { class: 'denied' } });
      expect(l.sandbox.store.get(address.resource.id)).toBeDefined();
      for (const text of [result.stdout, result.stderr, readFileSync(l.journalPath, 'utf8')]) expect(text).not.toContain(l.secret);
    } finally {
      await l.sandbox.close();
    }
  });
});

describe('guardian optimize --apply: bad input', () => {
  let l: Lab;
  beforeAll(async () => {
    l = await lab('bad');
  });
  afterAll(async () => {
    await l.sandbox.close();
  });

  const oneLine = (stderr: string) => {
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).not.toMatch(/\n\s+at /);
  };

  it('refuses an unknown id with exit 2 and changes nothing', { timeout: 120_000 }, async () => {
    const version = l.sandbox.store.version;
    const result = await guardian(['optimize', '--rules', RULES, '--apply', 'opt-0000000000', '--yes'], l.env);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/no recommendation 'opt-0000000000'/);
    expect(l.sandbox.store.version).toBe(version);
  });

  it('refuses --apply off a terminal without --yes, naming the flag', async () => {
    const result = await guardian(['optimize', '--apply'], l.env);
    expect(result.exitCode).toBe(2);
    oneLine(result.stderr);
    expect(result.stderr).toMatch(/pass --yes/);
  });

  it('refuses --apply on a snapshot file: it needs live credentials', async () => {
    const snapshot = join(dir, 'snapshot.json');
    writeFileSync(snapshot, '{}');
    const result = await guardian(['optimize', '--input', snapshot, '--apply', '--yes'], l.env);
    expect(result.exitCode).toBe(2);
    oneLine(result.stderr);
    expect(result.stderr).toMatch(/needs live credentials/);
  });

  it.each([
    [
      'truncated',
      '{"schemaVersion":1,"kind":"guardian-optimize-journal","createdAt":"x","profile":"p"}\n{"type":"intent","item":"opt-',
      /truncated/,
    ],
    ['not a journal', '{"kind":"guardian.snapshot","schemaVersion":1}\n', /not an optimize journal/],
    ['not JSON', 'hello\n', /not an optimize journal/],
    ['from a later Guardian', '{"schemaVersion":9,"kind":"guardian-optimize-journal"}\n', /schemaVersion 9 journal/],
  ])('refuses a journal that is %s with one line and exit 2', async (_name, text, message) => {
    const path = join(dir, `bad-${_name.replace(/ /g, '-')}.jsonl`);
    writeFileSync(path, text);
    for (const args of [
      ['optimize', 'undo', path],
      ['optimize', '--apply', '--yes', '--journal', path],
    ]) {
      const result = await guardian(args, l.env);
      expect(result.exitCode, args.join(' ')).toBe(2);
      oneLine(result.stderr);
      expect(result.stderr).toMatch(message);
    }
  });
});

describe('guardian optimize --apply on Azure (the demo profile)', () => {
  it('deallocates idle VMs and deletes unassociated public IPs until ARM refuses one, and says so', { timeout: 180_000 }, async () => {
    const home = join(dir, 'azure');
    const journal = join(dir, 'azure.jsonl');
    const result = await guardian(
      [
        'optimize',
        '--profile',
        'demo',
        '--provider',
        'azure',
        '--rules',
        'AZ-COST-001,AZ-COST-006',
        '--apply',
        '--yes',
        '--journal',
        journal,
        '--json',
      ],
      {
        PATH: process.env.PATH ?? '',
        HOME: home,
        CI: 'true',
        GUARDIAN_CONFIG_DIR: join(home, 'config'),
        GUARDIAN_DATA_DIR: join(home, 'data'),
        GUARDIAN_DEMO_NOW: '2026-11-25',
        GUARDIAN_DEMO_SETTLE: '20',
        GUARDIAN_DEMO_FAIL: 'Microsoft.Network/publicIPAddresses/delete#2:denied',
      },
    );
    expect(result.exitCode, result.stderr).toBe(1);
    expect(result.stderr).toMatch(/AuthorizationFailed/);
    const doc = JSON.parse(result.stdout) as { items: { id: string; action: string; status: string }[] };
    const failedAt = doc.items.findIndex((i) => i.status === 'failed');
    expect(doc.items[failedAt].action).toBe('release-address');
    expect(doc.items.filter((i, n) => n < failedAt && i.action === 'release-address')).toHaveLength(1);
    expect(doc.items.slice(0, failedAt).every((i) => i.status === 'done')).toBe(true);
    expect(doc.items.slice(0, failedAt).some((i) => i.action === 'stop')).toBe(true);
    expect(doc.items.slice(failedAt + 1).every((i) => i.status === 'not attempted')).toBe(true);
    const last = records(journal).at(-1);
    expect(last).toMatchObject({
      type: 'outcome',
      item: doc.items[failedAt].id,
      ok: false,
      error: { class: 'denied', code: 'AuthorizationFailed' },
    });
    const stop = records(journal).find((r) => r.type === 'intent' && r.step === 'stop');
    expect(stop).toMatchObject({ request: { op: 'stop-instance', cloud: 'azure' } });
  });
});
