// The GCP provider's changes face (optimize --apply and undo) against the sandbox's Compute Engine,
// through @google-cloud/compute: each change's Operation waited on until DONE with the estate
// following; an unattached disk snapshotted (CREATING, then READY), deleted and made again from
// the snapshot under its old name; an address in use refused with Compute's reason. The changes
// ask for Compute's read-write scope on a token of their own; discovery's stays read-only.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChangeRequest } from '../../src/model/change.js';
import { createGcpProvider, gcpPermissions } from '../../src/providers/gcp/index.js';
import type { CloudProvider } from '../../src/providers/types.js';
import type { Estate, EstateResource, GcpAddress, GcpDisk, GcpInstance, GcpSnapshot } from '../../src/sandbox/estate/types.js';
import { buildGcpEstate, type GcpSandbox, startGcpSandbox } from './gcp-fixture.js';

const PROJECT = 'acme-prod';
let estate: Estate;
let sandbox: GcpSandbox;
let provider: CloudProvider & { close(): Promise<void> };
/** The scopes each token request asked for, in order. */
const scopes: string[] = [];
const signal = new AbortController().signal;

beforeAll(async () => {
  estate = buildGcpEstate(2);
  sandbox = await startGcpSandbox(estate);
  sandbox.server.intercept((req) => {
    if (req.url.pathname === '/token') {
      const assertion = new URLSearchParams(req.body.toString('utf8')).get('assertion') ?? '';
      const claims = JSON.parse(Buffer.from(assertion.split('.')[1] ?? '', 'base64url').toString('utf8') || '{}');
      scopes.push(String(claims.scope));
    }
    return undefined;
  });
  provider = createGcpProvider({ projects: [PROJECT], keyFile: sandbox.keyFile, endpoint: sandbox.origin }, {}, { prewarm: false });
});

afterAll(async () => {
  await provider?.close();
  await sandbox?.close();
});

const of = <K extends EstateResource['kind']>(kind: K) =>
  sandbox.server.store.estate.resources.filter((r): r is Extract<EstateResource, { kind: K }> => r.kind === kind && r.account === PROJECT);
const change = (op: ChangeRequest['op'], r: EstateResource, extra: Partial<ChangeRequest> = {}) =>
  provider.changes!({ op, cloud: 'gcp', account: r.account, region: r.region, id: r.id, name: r.name, ...extra }, { signal });

describe('the GCP changes face', () => {
  it('reads with the read-only scope and changes with a token of its own asking for Compute read-write', async () => {
    const listing = await provider.listScopes({ signal });
    expect(listing.failures).toEqual([]);
    expect(scopes).toEqual(['https://www.googleapis.com/auth/cloud-platform.read-only']);
    const instance = of('gcp.compute.instance').find((i: GcpInstance) => i.spec.status === 'RUNNING') as GcpInstance;
    expect(await change('stop-instance', instance)).toEqual({ state: 'TERMINATED' });
    expect(scopes).toEqual(['https://www.googleapis.com/auth/cloud-platform.read-only', 'https://www.googleapis.com/auth/compute']);
    // The Operation was waited on to DONE: the instance has stopped, not merely started stopping.
    expect(instance.spec.status).toBe('TERMINATED');
    expect(await change('start-instance', instance)).toEqual({ state: 'RUNNING' });
    expect(instance.spec.status).toBe('RUNNING');
  });

  it('releases a reserved address and is refused one in use with Compute’s reason', async () => {
    const addresses = of('gcp.compute.address');
    const reserved = addresses.find((a: GcpAddress) => a.spec.status === 'RESERVED') as GcpAddress;
    const used = addresses.find((a: GcpAddress) => a.spec.status === 'IN_USE') as GcpAddress;
    await change('release-address', reserved);
    expect(sandbox.server.store.get(reserved.id)).toBeUndefined();
    const refused = await change('release-address', used).catch((error: unknown) => provider.classify(error));
    expect(refused).toMatchObject({ message: expect.stringContaining('is already being used by') });
    expect(sandbox.server.store.get(used.id)).toBe(used);
  });

  it('snapshots an unattached disk, reads it READY, deletes the disk and makes it again from the snapshot under its name', async () => {
    const disk = of('gcp.compute.disk').find((d: GcpDisk) => d.spec.users.length === 0) as GcpDisk;
    const made = await change('create-snapshot', disk, { snapshotName: 'orphan-guardian-0a1b2c3d', description: 'before deleting' });
    expect(made).toEqual({ id: 'orphan-guardian-0a1b2c3d', state: 'pending' });
    const snapshot = of('gcp.compute.snapshot').find((s) => s.name === 'orphan-guardian-0a1b2c3d') as GcpSnapshot;
    expect(snapshot.spec).toMatchObject({ status: 'READY', sourceDiskId: disk.id, diskSizeGb: disk.spec.sizeGb });
    expect(snapshot.tags).toEqual({ 'guardian-optimize': disk.id });
    expect(await change('snapshot-state', snapshot, { id: snapshot.name, name: undefined })).toEqual({
      id: snapshot.name,
      state: 'completed',
    });
    await change('delete-volume', disk);
    expect(sandbox.server.store.get(disk.id)).toBeUndefined();
    const again = await change('create-volume', disk, { id: snapshot.name, volumeType: disk.spec.type, sizeGb: disk.spec.sizeGb });
    const restored = of('gcp.compute.disk').find((d) => d.name === disk.name && d.region === disk.region) as GcpDisk;
    expect(again).toEqual({ id: restored.id, state: 'READY' });
    expect(restored.id).not.toBe(disk.id);
    expect(restored.spec).toMatchObject({ status: 'READY', type: disk.spec.type, sizeGb: disk.spec.sizeGb, sourceSnapshotId: snapshot.id });
    // A disk of that name exists again: a second restore is refused, as Compute refuses it.
    const twice = await change('create-volume', disk, { id: snapshot.name }).catch((error: unknown) => provider.classify(error));
    expect(twice).toMatchObject({ message: expect.stringContaining('already exists') });
    // A rerun asks for the same snapshot name: the snapshot of this disk already there is taken, not
    // made twice; the name taken by a snapshot of another disk is Compute's refusal.
    expect(await change('create-snapshot', disk, { snapshotName: snapshot.name })).toEqual({ id: snapshot.name, state: 'completed' });
    expect(of('gcp.compute.snapshot').filter((s) => s.name === snapshot.name)).toHaveLength(1);
    const other = of('gcp.compute.disk').find((d) => d.id !== disk.id && d.id !== restored.id) as GcpDisk;
    const taken = await change('create-snapshot', other, { snapshotName: snapshot.name }).catch((error: unknown) =>
      provider.classify(error),
    );
    expect(taken).toMatchObject({ message: expect.stringContaining('already exists') });
  });

  it('declares the IAM permissions its calls need', () => {
    const declared = gcpPermissions().faces.changes;
    for (const permission of [
      'compute.addresses.delete',
      'compute.disks.createSnapshot',
      'compute.snapshots.create',
      'compute.snapshots.get',
      'compute.disks.delete',
      'compute.disks.create',
      'compute.snapshots.useReadOnly',
      'compute.instances.stop',
      'compute.instances.start',
      'compute.zoneOperations.get',
      'compute.regionOperations.get',
    ])
      expect(declared, permission).toContain(permission);
  });
});
