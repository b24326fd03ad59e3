// Compute Engine's mutating calls through @google-cloud/compute's REST transport against the
// sandbox: each answers an Operation that zoneOperations/regionOperations wait on until DONE, the
// estate follows, refusals carry Compute's own reasons, and a read-only token may not change anything.

import { readFile } from 'node:fs/promises';
import { AddressesClient, DisksClient, InstancesClient, RegionOperationsClient, ZoneOperationsClient } from '@google-cloud/compute';
import { GoogleAuth, gaxios } from 'google-auth-library';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ComputeClients, callCompute, createComputeClients } from '../../src/providers/gcp/clients.js';
import type { Estate, GcpAddress, GcpDisk, GcpInstance } from '../../src/sandbox/estate/types.js';
import { buildGcpEstate, type GcpSandbox, startGcpSandbox } from './gcp-fixture.js';

let estate: Estate;
let sandbox: GcpSandbox;
let options: Record<string, unknown>;
let readOnly: ComputeClients;
const PROJECT = 'acme-prod';
const clients: { close(): Promise<void> }[] = [];

function client<T extends { close(): Promise<void> }>(make: new (options: never) => T): T {
  const made = new make(options as never);
  clients.push(made);
  return made;
}

beforeAll(async () => {
  estate = buildGcpEstate(2);
  sandbox = await startGcpSandbox(estate);
  const url = new URL(sandbox.origin);
  const credentials = JSON.parse(await readFile(sandbox.keyFile, 'utf8'));
  // google-auth-library posts to Google's token URL whatever the key file says; send it to the sandbox's.
  const transporter = new gaxios.Gaxios();
  transporter.interceptors.request.add({
    resolved: async (config) => {
      if (String(config.url) === 'https://oauth2.googleapis.com/token') config.url = new URL(credentials.token_uri);
      return config;
    },
  });
  const auth = new GoogleAuth({ credentials, scopes: ['https://www.googleapis.com/auth/cloud-platform'], clientOptions: { transporter } });
  options = { auth, fallback: true, apiEndpoint: url.hostname, port: Number(url.port), protocol: 'http' };
  readOnly = await createComputeClients({ keyFile: sandbox.keyFile, endpoint: sandbox.origin }, {});
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await Promise.all(
    Object.entries(readOnly ?? {}).map(([name, c]) => (name === 'credentials' ? undefined : (c as { close(): Promise<void> }).close())),
  );
  await sandbox?.close();
});

const of = <K extends Estate['resources'][number]['kind']>(kind: K) =>
  sandbox.server.store.estate.resources.filter(
    (r): r is Extract<Estate['resources'][number], { kind: K }> => r.kind === kind && r.account === PROJECT,
  );

async function rejection(promise: Promise<unknown>): Promise<{ code?: number; message: string }> {
  try {
    await promise;
  } catch (error) {
    const e = error as { code?: number; message: string };
    return { code: e.code, message: e.message };
  }
  throw new Error('expected the call to fail');
}

describe('Compute Engine changes through @google-cloud/compute', () => {
  it('stops a running instance: the Operation is waited on until DONE and the instance is TERMINATED', async () => {
    const instance = of('gcp.compute.instance').find((i: GcpInstance) => i.spec.status === 'RUNNING') as GcpInstance;
    const [operation] = await client(InstancesClient).stop({ project: PROJECT, zone: instance.region, instance: instance.name });
    expect(operation.latestResponse).toMatchObject({ operationType: 'stop', status: 'RUNNING', targetId: instance.id });
    const name = (operation.latestResponse as { name: string }).name;
    const [done] = await client(ZoneOperationsClient).wait({ project: PROJECT, zone: instance.region, operation: name });
    expect(done).toMatchObject({ name, status: 'DONE', progress: 100 });
    const [after] = await client(InstancesClient).get({ project: PROJECT, zone: instance.region, instance: instance.name });
    expect(after.status).toBe('TERMINATED');
    const [got] = await client(ZoneOperationsClient).get({ project: PROJECT, zone: instance.region, operation: name });
    expect(got.status).toBe('DONE');
  });

  it('deletes an unattached disk and refuses one in use', async () => {
    const disks = of('gcp.compute.disk');
    const orphan = disks.find((d: GcpDisk) => d.spec.users.length === 0) as GcpDisk;
    const used = disks.find((d: GcpDisk) => d.spec.users.length > 0) as GcpDisk;
    const refused = await rejection(client(DisksClient).delete({ project: PROJECT, zone: used.region, disk: used.name }));
    expect(refused.code).toBe(400);
    expect(refused.message).toContain('is already being used by');
    const [operation] = await client(DisksClient).delete({ project: PROJECT, zone: orphan.region, disk: orphan.name });
    const name = (operation.latestResponse as { name: string }).name;
    await client(ZoneOperationsClient).wait({ project: PROJECT, zone: orphan.region, operation: name });
    expect(sandbox.server.store.get(orphan.id)).toBeUndefined();
    expect((await rejection(client(DisksClient).get({ project: PROJECT, zone: orphan.region, disk: orphan.name }))).code).toBe(404);
  });

  it('snapshots a disk: CREATING until the operation is DONE, then READY', async () => {
    const disk = of('gcp.compute.disk')[0];
    const [operation] = await client(DisksClient).createSnapshot({
      project: PROJECT,
      zone: disk.region,
      disk: disk.name,
      snapshotResource: { name: 'before-optimize', labels: { guardian: 'undo' } },
    });
    expect(operation.latestResponse).toMatchObject({ operationType: 'createSnapshot', status: 'RUNNING' });
    const snapshot = of('gcp.compute.snapshot').find((s) => s.name === 'before-optimize');
    expect(snapshot?.spec.status).toBe('CREATING');
    await client(ZoneOperationsClient).wait({
      project: PROJECT,
      zone: disk.region,
      operation: (operation.latestResponse as { name: string }).name,
    });
    expect(snapshot?.spec).toMatchObject({ status: 'READY', sourceDiskId: disk.id });
    const again = await rejection(
      client(DisksClient).createSnapshot({
        project: PROJECT,
        zone: disk.region,
        disk: disk.name,
        snapshotResource: { name: 'before-optimize' },
      }),
    );
    expect(again.code).toBe(409);
  });

  it('deletes a reserved address through regionOperations and refuses one in use', async () => {
    const addresses = of('gcp.compute.address');
    const reserved = addresses.find((a: GcpAddress) => a.spec.status === 'RESERVED') as GcpAddress;
    const used = addresses.find((a: GcpAddress) => a.spec.status === 'IN_USE') as GcpAddress;
    expect((await rejection(client(AddressesClient).delete({ project: PROJECT, region: used.region, address: used.name }))).code).toBe(400);
    const [operation] = await client(AddressesClient).delete({ project: PROJECT, region: reserved.region, address: reserved.name });
    const [done] = await client(RegionOperationsClient).wait({
      project: PROJECT,
      region: reserved.region,
      operation: (operation.latestResponse as { name: string }).name,
    });
    expect(done.status).toBe('DONE');
    expect(sandbox.server.store.get(reserved.id)).toBeUndefined();
  });

  it('refuses a change made with a read-only token (ACCESS_TOKEN_SCOPE_INSUFFICIENT)', async () => {
    const instance = of('gcp.compute.instance').find((i: GcpInstance) => i.spec.status === 'RUNNING') as GcpInstance;
    const refused = await rejection(
      callCompute(
        readOnly.instances,
        'stop',
        { project: PROJECT, zone: instance.region, instance: instance.name },
        new AbortController().signal,
        10_000,
      ),
    );
    expect(refused.message).toContain('insufficient authentication scopes');
    expect(instance.spec.status).toBe('RUNNING');
  });
});
