// `guardian optimize --apply` and `optimize undo` on Azure and GCP end to end: the built binary
// against a sandbox this test runs, reached through a stored profile as a user's would be. Every
// request the sandbox receives is seen with the journal as it was on disk at that moment: each
// change, and each read of the snapshot it waits on, must come after the intent naming it. A disk
// is deleted only once its snapshot is Succeeded (ARM) or READY (Compute); an injected failure of
// the second disk delete (a 5xx on Azure, a permission error on GCP) stops the walk with a journal
// that says so; a rerun finishes the rest without a second snapshot; undo starts the machine,
// recreates each disk from its snapshot under its old name and says the released address is gone.

import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecommendationAction } from '../../src/model/recommendation.js';
import type {
  AzureDisk,
  AzureSnapshot,
  AzureVm,
  EstateResource,
  GcpDisk,
  GcpInstance,
  GcpSnapshot,
} from '../../src/sandbox/estate/types.js';
import { createServiceAccountKey } from '../../src/sandbox/gcp/index.js';
import { createSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { FaultInjector, type OperationFault } from '../../src/sandbox/server/faults.js';

const TODAY = new Date().toISOString().slice(0, 10);
let dir: string;

type Cloud = 'azure' | 'gcp';

interface Seen {
  /** The change operation the request makes (the journal's request.op), or undefined for any other request. */
  op?: string;
  path: string;
  journal: { type: string; step?: string; request?: { op: string; id: string; name?: string } }[];
  /** The snapshot of the disk a delete request names, as the estate held it then. */
  snapshotState?: string;
}

interface Lab {
  cloud: Cloud;
  sandbox: Sandbox;
  env: Record<string, string>;
  journalPath: string;
  seen: Seen[];
  secret: string;
}

/** The change a request makes, by the permission its cloud names it with. */
const AZURE_OPS: [RegExp, string, string][] = [
  [/\/Microsoft\.Compute\/snapshots\/[^/]+$/i, 'PUT', 'create-snapshot'],
  [/\/Microsoft\.Compute\/snapshots\/[^/]+$/i, 'GET', 'snapshot-state'],
  [/\/Microsoft\.Compute\/disks\/[^/]+$/i, 'DELETE', 'delete-volume'],
  [/\/Microsoft\.Compute\/disks\/[^/]+$/i, 'PUT', 'create-volume'],
  [/\/virtualMachines\/[^/]+\/deallocate$/i, 'POST', 'stop-instance'],
  [/\/virtualMachines\/[^/]+\/start$/i, 'POST', 'start-instance'],
  [/\/publicIPAddresses\/[^/]+$/i, 'DELETE', 'release-address'],
];
const GCP_OPS: [RegExp, string, string][] = [
  [/\/zones\/[^/]+\/disks\/[^/]+\/createSnapshot$/, 'POST', 'create-snapshot'],
  [/\/global\/snapshots\/[^/]+$/, 'GET', 'snapshot-state'],
  [/\/zones\/[^/]+\/disks\/[^/]+$/, 'DELETE', 'delete-volume'],
  [/\/zones\/[^/]+\/disks$/, 'POST', 'create-volume'],
  [/\/zones\/[^/]+\/instances\/[^/]+\/stop$/, 'POST', 'stop-instance'],
  [/\/zones\/[^/]+\/instances\/[^/]+\/start$/, 'POST', 'start-instance'],
  [/\/regions\/[^/]+\/addresses\/[^/]+$/, 'DELETE', 'release-address'],
];

const readJournal = (path: string) => {
  let text = '';
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    // not written yet
  }
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Seen['journal'][number] & { item?: string; ok?: boolean; error?: { class: string; code: string } });
};

async function lab(cloud: Cloud, fault: OperationFault): Promise<Lab> {
  const sandbox = await createSandbox({ seed: 42, size: 600, now: TODAY, settleMs: 50 });
  const home = join(dir, cloud);
  mkdirSync(join(home, 'config'), { recursive: true });
  const journalPath = join(dir, `${cloud}.jsonl`);
  const seen: Seen[] = [];
  const faults = new FaultInjector({ seed: 1, failOperations: [fault] });
  const ops = cloud === 'azure' ? AZURE_OPS : GCP_OPS;
  sandbox.server.intercept((req, service, ctx, door) => {
    const path = req.url.pathname;
    const op = ops.find(([pattern, method]) => method === req.method && pattern.test(path))?.[2];
    let snapshotState: string | undefined;
    if (op === 'delete-volume') {
      const name = decodeURIComponent(path.slice(path.lastIndexOf('/') + 1));
      const disk = sandbox.store.estate.resources.find(
        (r) => (r.kind === 'azure.compute.disk' || r.kind === 'gcp.compute.disk') && r.name === name,
      );
      const snapshot = sandbox.store.estate.resources.find(
        (r): r is AzureSnapshot | GcpSnapshot =>
          (r.kind === 'azure.compute.snapshot' || r.kind === 'gcp.compute.snapshot') &&
          disk !== undefined &&
          r.spec.sourceDiskId === disk.id &&
          r.name.includes('-guardian-'),
      );
      sandbox.store.settle();
      snapshotState =
        snapshot?.kind === 'azure.compute.snapshot' ? (snapshot.spec.provisioningState ?? 'Succeeded') : snapshot?.spec.status;
    }
    seen.push({ op, path, journal: readJournal(journalPath), snapshotState });
    return faults.intercept(req, service, ctx, door);
  });
  const estate = sandbox.estate;
  const caFile = join(home, 'ca.pem');
  writeFileSync(caFile, sandbox.caPem);
  const keyFile = join(home, 'gcp-key.json');
  writeFileSync(keyFile, JSON.stringify(createServiceAccountKey(sandbox.server.state, estate, `${sandbox.gcpOrigin}/token`)), {
    mode: 0o600,
  });
  const profile =
    cloud === 'azure'
      ? {
          azure: {
            auth: 'client-secret',
            tenantId: estate.azure.tenantId,
            clientId: estate.azure.clientId,
            clientSecret: estate.azure.clientSecret,
            authorityHost: sandbox.azureOrigin,
            endpoint: sandbox.azureOrigin,
            caFile,
          },
        }
      : { gcp: { projects: estate.gcp.projects.map((p) => p.id), keyFile, endpoint: sandbox.gcpOrigin } };
  writeFileSync(join(home, 'config', 'config.json'), JSON.stringify({ currentProfile: 'lab', profiles: { lab: profile } }), {
    mode: 0o600,
  });
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: home,
    CI: 'true',
    GUARDIAN_CONFIG_DIR: join(home, 'config'),
    GUARDIAN_DATA_DIR: join(home, 'data'),
  };
  return { cloud, sandbox, env, journalPath, seen, secret: cloud === 'azure' ? estate.azure.clientSecret : 'PRIVATE KEY' };
}

function guardian(args: string[], env: Record<string, string>) {
  return execa(process.execPath, ['dist/bin/guardian.js', ...args], { reject: false, extendEnv: false, stdin: 'ignore', env });
}

interface PlanRow {
  id: string;
  action: RecommendationAction;
  resource: { id: string; name: string; region: string; account: string };
  calls: string[];
}

const RULES: Record<Cloud, string> = { azure: 'AZ-COST-001,AZ-COST-005,AZ-COST-006', gcp: 'GCP-COST-001,GCP-COST-005,GCP-COST-006' };
const FAULTS: Record<Cloud, OperationFault> = {
  azure: { operation: 'Microsoft.Compute/disks/delete', nth: 2, answer: 'server-error' },
  gcp: { operation: 'compute.disks.delete', nth: 2, answer: 'denied' },
};
const FAILURE: Record<Cloud, { class: string; code: RegExp }> = {
  azure: { class: 'transient', code: /InternalServerError/ },
  gcp: { class: 'denied', code: /PERMISSION_DENIED|forbidden/ },
};

const disksOf = (l: Lab) =>
  l.sandbox.store.estate.resources.filter(
    (r): r is AzureDisk | GcpDisk => r.kind === 'azure.compute.disk' || r.kind === 'gcp.compute.disk',
  );
const guardianSnapshotsOf = (l: Lab, diskId: string) =>
  l.sandbox.store.estate.resources.filter(
    (r: EstateResource) =>
      (r.kind === 'azure.compute.snapshot' || r.kind === 'gcp.compute.snapshot') &&
      r.spec.sourceDiskId === diskId &&
      r.name.includes('-guardian-'),
  );

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'guardian-apply-clouds-'));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe.each(['azure', 'gcp'] as const)('guardian optimize --apply on %s: a failure mid-walk, a rerun and undo', (cloud) => {
  let l: Lab;
  let chosen: PlanRow[];
  const deletes = () => chosen.filter((r) => r.action === 'delete-volume');
  const apply = () =>
    guardian(
      [
        'optimize',
        '--provider',
        cloud,
        '--rules',
        RULES[cloud],
        '--apply',
        ...chosen.map((r) => r.id),
        '--yes',
        '--journal',
        l.journalPath,
        '--json',
      ],
      l.env,
    );

  beforeAll(async () => {
    l = await lab(cloud, FAULTS[cloud]);
  });
  afterAll(async () => {
    await l.sandbox.close();
  });

  it('plans a snapshot, the wait for it and the delete for each unattached disk, and changes nothing', { timeout: 180_000 }, async () => {
    const version = l.sandbox.store.version;
    const result = await guardian(['optimize', '--provider', cloud, '--rules', RULES[cloud], '--json'], l.env);
    expect(result.exitCode, result.stderr).toBe(0);
    const plan = (JSON.parse(result.stdout) as { plan: PlanRow[] }).plan;
    const by = (action: RecommendationAction) => plan.filter((r) => r.action === action);
    expect(by('delete-volume').length).toBeGreaterThanOrEqual(3);
    expect(by('stop').length).toBeGreaterThanOrEqual(1);
    expect(by('release-address').length).toBeGreaterThanOrEqual(1);
    expect(by('delete-volume')[0].calls).toEqual(
      cloud === 'azure'
        ? ['PUT snapshots (Copy of the disk)', 'GET snapshots until Succeeded', 'DELETE disks (polled to Succeeded)']
        : ['disks.createSnapshot (operation waited to DONE)', 'snapshots.get until READY', 'disks.delete (operation waited to DONE)'],
    );
    chosen = [...by('delete-volume').slice(0, 3), by('stop')[0], by('release-address')[0]];
    expect(l.sandbox.store.version).toBe(version);
  });

  it('stops at the injected failure of the second delete, with a journal that says what was done, what failed and what was not attempted', {
    timeout: 180_000,
  }, async () => {
    const result = await apply();
    expect(result.exitCode, result.stderr).toBe(1);
    expect(result.stderr).toContain(`journal: ${l.journalPath}`);
    const doc = JSON.parse(result.stdout) as {
      summary: Record<string, number>;
      items: { id: string; status: string; error?: { class: string; code: string } }[];
    };
    const failedAt = doc.items.findIndex((i) => i.status === 'failed');
    expect(doc.items[failedAt].id).toBe(deletes()[1].id);
    expect(doc.items[failedAt].error).toMatchObject({ class: FAILURE[cloud].class, code: expect.stringMatching(FAILURE[cloud].code) });
    expect(doc.items.slice(0, failedAt).map((i) => i.status)).toEqual(['done']);
    expect(doc.items.slice(failedAt + 1).every((i) => i.status === 'not attempted')).toBe(true);
    const journal = readJournal(l.journalPath);
    const failed = deletes()[1];
    expect(journal.filter((r) => r.item === failed.id).map((r) => `${r.type}:${r.step ?? ''}`)).toEqual([
      'item:',
      'intent:snapshot',
      'outcome:snapshot',
      'intent:wait-snapshot',
      'outcome:wait-snapshot',
      'intent:delete',
      'outcome:delete',
    ]);
    expect(journal.at(-1)).toMatchObject({ type: 'outcome', item: failed.id, ok: false, error: { class: FAILURE[cloud].class } });
    for (const later of doc.items.slice(failedAt + 1)) expect(journal.some((r) => r.item === later.id)).toBe(false);
    // The disk whose delete failed is still there, and so is the snapshot made of it.
    const disk = disksOf(l).find((d) => d.name === failed.resource.name && d.region === failed.resource.region);
    expect(disk).toBeDefined();
    expect(guardianSnapshotsOf(l, disk!.id)).toHaveLength(1);
  });

  it('finishes the rest on a rerun with the same journal, without a second snapshot of the failed disk', { timeout: 180_000 }, async () => {
    const before = disksOf(l).find((d) => d.name === deletes()[1].resource.name && d.region === deletes()[1].resource.region)!;
    const result = await apply();
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/resumed/);
    expect((JSON.parse(result.stdout) as { summary: Record<string, number> }).summary).toMatchObject({ failed: 0, notAttempted: 0 });
    for (const row of deletes())
      expect(disksOf(l).some((d) => d.name === row.resource.name && d.region === row.resource.region)).toBe(false);
    expect(guardianSnapshotsOf(l, before.id)).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, 100));
    l.sandbox.store.settle();
    const stop = chosen.find((r) => r.action === 'stop')!;
    const machine = l.sandbox.store.estate.resources.find(
      (r) => r.name === stop.resource.name && (r.kind === 'azure.compute.vm' || r.kind === 'gcp.compute.instance'),
    ) as AzureVm | GcpInstance;
    expect(machine.kind === 'azure.compute.vm' ? machine.spec.powerState : machine.spec.status).toBe(
      cloud === 'azure' ? 'deallocated' : 'TERMINATED',
    );
    const planted = l.sandbox.manifest().planted;
    for (const row of deletes()) expect(planted['volume-unattached']).not.toContain(row.resource.id);
  });

  it('sent each change, and each read of the snapshot it waited on, only after its intent was journalled; deleted each disk only once its snapshot was done', () => {
    const changes = l.seen.filter((s) => s.op !== undefined);
    expect(new Set(changes.map((s) => s.op))).toEqual(
      new Set(['create-snapshot', 'snapshot-state', 'delete-volume', 'stop-instance', 'release-address']),
    );
    for (const s of changes) {
      const last = s.journal.at(-1);
      expect(last?.type, `${s.op} ${s.path}`).toBe('intent');
      expect(last?.request?.op, s.path).toBe(s.op);
    }
    for (const s of changes.filter((c) => c.op === 'delete-volume'))
      expect(s.snapshotState, s.path).toBe(cloud === 'azure' ? 'Succeeded' : 'READY');
  });

  it('undoes the stop, recreates each deleted disk from its snapshot under its name, and says the released address is gone', {
    timeout: 180_000,
  }, async () => {
    await new Promise((resolve) => setTimeout(resolve, 100));
    l.sandbox.store.settle();
    const result = await guardian(['optimize', 'undo', l.journalPath, '--json'], l.env);
    expect(result.exitCode, result.stderr).toBe(0);
    const doc = JSON.parse(result.stdout) as { items: { id: string; status: string; note?: string }[] };
    const status = Object.fromEntries(doc.items.map((i) => [i.id, i]));
    expect(status[chosen.find((r) => r.action === 'stop')!.id].status).toBe('undone');
    const address = chosen.find((r) => r.action === 'release-address')!;
    expect(status[address.id]).toMatchObject({
      status: 'cannot undo',
      note: expect.stringMatching(/is gone for good; a new one: (az network public-ip create|gcloud compute addresses create)/),
    });
    expect(result.stderr).toMatch(/is gone for good/);
    for (const row of deletes()) {
      expect(status[row.id]).toMatchObject({
        status: 'undone',
        note: expect.stringMatching(new RegExp(`recreated from snapshot .*-guardian-[0-9a-f]{8} as a new disk named ${row.resource.name}`)),
      });
      const again = disksOf(l).find((d) => d.name === row.resource.name && d.region === row.resource.region);
      expect(again, row.resource.name).toBeDefined();
    }
    const second = await guardian(['optimize', 'undo', l.journalPath, '--json'], l.env);
    expect(second.exitCode, second.stderr).toBe(0);
    for (const item of (JSON.parse(second.stdout) as { items: { status: string; action: string }[] }).items.filter(
      (i) => i.action !== 'release-address',
    ))
      expect(item.status).toBe('already undone');
    for (const text of [result.stdout, result.stderr, second.stdout, readFileSync(l.journalPath, 'utf8')])
      expect(text).not.toContain(l.secret);
  });
});
