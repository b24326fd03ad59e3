// The changes face on GCP: each of optimize --apply's (and undo's) operations is one Compute Engine
// call through @google-cloud/compute, followed to its end as its callers do: the call answers an
// Operation, which zoneOperations/regionOperations `wait` is asked about until it is DONE (an
// Operation DONE with `error` is a failure). The clients are built on first use over a credential
// asking for Compute's read-write scope — discovery and metrics keep the read-only one — so only
// --apply and undo ever hold a token that can change anything. Snapshots and disks are addressed
// by name, as the API addresses them. Compute has no in-place change of a disk's type (pd-standard
// to pd-balanced is a new disk from a snapshot), so no such change is offered.
// https://cloud.google.com/compute/docs/reference/rest/v1/zoneOperations/wait

import type { GcpSettings } from '../../config/profile.js';
import type { ChangeAnswer, ChangeOp, ChangeRequest } from '../../model/change.js';
import type { FaceReader } from '../types.js';
import { type ComputeClient, callCompute, endpointOptions } from './clients.js';
import { COMPUTE_WRITE_SCOPE, resolveGcpCredentials } from './credentials.js';

/** The IAM permissions each operation needs (waiting on its Operation needs the operations' get). */
export const CHANGE_PERMISSIONS_BY_OP: Partial<Record<ChangeOp, string[]>> = {
  'release-address': ['compute.addresses.delete', 'compute.regionOperations.get'],
  'create-snapshot': ['compute.disks.createSnapshot', 'compute.snapshots.create', 'compute.zoneOperations.get'],
  'snapshot-state': ['compute.snapshots.get'],
  'delete-volume': ['compute.disks.delete', 'compute.zoneOperations.get'],
  'stop-instance': ['compute.instances.stop', 'compute.zoneOperations.get'],
  'start-instance': ['compute.instances.start', 'compute.zoneOperations.get'],
  'create-volume': ['compute.disks.create', 'compute.snapshots.useReadOnly', 'compute.zoneOperations.get'],
};

export const CHANGE_PERMISSIONS = [...new Set(Object.values(CHANGE_PERMISSIONS_BY_OP).flat())] as string[];

interface ChangeClients {
  instances: ComputeClient;
  disks: ComputeClient;
  addresses: ComputeClient;
  snapshots: ComputeClient;
  zoneOperations: ComputeClient;
  regionOperations: ComputeClient;
}

type Json = Record<string, unknown>;

async function createChangeClients(settings: GcpSettings, env: NodeJS.ProcessEnv): Promise<ChangeClients> {
  const credentials = await resolveGcpCredentials(settings, env, [COMPUTE_WRITE_SCOPE]);
  const [instances, disks, addresses, snapshots, zoneOperations, regionOperations] = await Promise.all([
    import('@google-cloud/compute/build/src/v1/instances_client.js'),
    import('@google-cloud/compute/build/src/v1/disks_client.js'),
    import('@google-cloud/compute/build/src/v1/addresses_client.js'),
    import('@google-cloud/compute/build/src/v1/snapshots_client.js'),
    import('@google-cloud/compute/build/src/v1/zone_operations_client.js'),
    import('@google-cloud/compute/build/src/v1/region_operations_client.js'),
  ]);
  const options = { auth: credentials.auth, fallback: true, ...endpointOptions(settings.endpoint) } as never;
  const clients = {
    instances: new instances.InstancesClient(options),
    disks: new disks.DisksClient(options),
    addresses: new addresses.AddressesClient(options),
    snapshots: new snapshots.SnapshotsClient(options),
    zoneOperations: new zoneOperations.ZoneOperationsClient(options),
    regionOperations: new regionOperations.RegionOperationsClient(options),
  } as unknown as ChangeClients;
  await Promise.all(Object.values(clients).map((client) => client.initialize()));
  return clients;
}

/** An Operation that finished with errors, as the error it carries (Compute's code and message). */
class OperationError extends Error {
  readonly code: string;
  constructor(operation: Json) {
    const first = ((operation.error as Json | undefined)?.errors as Json[] | undefined)?.[0] ?? {};
    super(String(first.message ?? `operation ${String(operation.name)} failed`));
    this.name = 'OperationError';
    this.code = String(first.code ?? 'OPERATION_FAILED');
  }
}

/** A Compute snapshot's status as the walk's: READY is completed; CREATING and UPLOADING are pending. */
function snapshotState(status: unknown): string {
  if (status === 'READY') return 'completed';
  if (status === 'CREATING' || status === 'UPLOADING' || status === undefined) return 'pending';
  return String(status).toLowerCase();
}

export function createGcpChanges(
  settings: GcpSettings,
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
): FaceReader<ChangeRequest, ChangeAnswer> & { close(): Promise<void> } {
  let loading: Promise<ChangeClients> | undefined;
  const clients = () => {
    loading ??= createChangeClients(settings, env).catch((error) => {
      loading = undefined;
      throw error;
    });
    return loading;
  };

  /** `wait` on the Operation until it is DONE (each wait holds up to two minutes), under the call's signal. */
  async function done(operation: Json, where: { zone: string } | { region: string }, project: string, signal: AbortSignal) {
    const loaded = await clients();
    let current = operation;
    while (current.status !== 'DONE') {
      const [client, scope] = 'zone' in where ? [loaded.zoneOperations, where] : [loaded.regionOperations, where];
      [current] = (await callCompute(client, 'wait', { project, ...scope, operation: current.name }, signal, timeoutMs)) as [Json];
    }
    if (current.error) throw new OperationError(current);
    return current;
  }

  const face = async (request: ChangeRequest, { signal }: { signal: AbortSignal }): Promise<ChangeAnswer> => {
    const loaded = await clients();
    const project = request.account;
    const call = async (client: ComputeClient, method: string, body: Json) =>
      ((await callCompute(client, method, { project, ...body }, signal, timeoutMs)) as [Json])[0];
    const zone = request.region;
    const name = request.name ?? request.id;
    switch (request.op) {
      case 'release-address': {
        const operation = await call(loaded.addresses, 'delete', { region: request.region, address: name });
        await done(operation, { region: request.region }, project, signal);
        return {};
      }
      case 'create-snapshot': {
        const snapshotName = request.snapshotName ?? `${name}-guardian`;
        let operation: Json;
        try {
          operation = await call(loaded.disks, 'createSnapshot', {
            zone,
            disk: name,
            snapshotResource: {
              name: snapshotName,
              description: request.description,
              labels: { 'guardian-optimize': String(request.id).toLowerCase().slice(0, 63) },
            },
          });
        } catch (error) {
          // The name is the same on a rerun: a snapshot of this disk already made under it (its
          // answer lost, or its operation outlived --call-timeout) is the one to wait for.
          const code = (error as { code?: unknown }).code;
          if (code !== 409 && code !== 6) throw error;
          const existing = await call(loaded.snapshots, 'get', { snapshot: snapshotName });
          if (String(existing.sourceDiskId) !== request.id) throw error;
          return { id: snapshotName, state: snapshotState(existing.status) };
        }
        await done(operation, { zone }, project, signal);
        return { id: snapshotName, state: 'pending' };
      }
      case 'snapshot-state': {
        const snapshot = await call(loaded.snapshots, 'get', { snapshot: request.id });
        return { id: request.id, state: snapshotState(snapshot.status) };
      }
      case 'delete-volume': {
        const operation = await call(loaded.disks, 'delete', { zone, disk: name });
        await done(operation, { zone }, project, signal);
        return {};
      }
      case 'stop-instance':
      case 'start-instance': {
        const method = request.op === 'stop-instance' ? 'stop' : 'start';
        const operation = await call(loaded.instances, method, { zone, instance: name });
        await done(operation, { zone }, project, signal);
        return { state: method === 'stop' ? 'TERMINATED' : 'RUNNING' };
      }
      case 'create-volume': {
        // A new disk of the deleted one's name, type and size, from the snapshot (request.id, its name).
        const operation = await call(loaded.disks, 'insert', {
          zone,
          diskResource: {
            name,
            sourceSnapshot: `projects/${project}/global/snapshots/${request.id}`,
            ...(request.volumeType ? { type: `projects/${project}/zones/${zone}/diskTypes/${request.volumeType}` } : {}),
            ...(request.sizeGb ? { sizeGb: String(request.sizeGb) } : {}),
            ...(request.tags ? { labels: request.tags } : {}),
          },
        });
        const finished = await done(operation, { zone }, project, signal);
        return { id: finished.targetId === undefined ? undefined : String(finished.targetId), state: 'READY' };
      }
      default:
        throw new Error(`GCP changes do not include ${request.op}`);
    }
  };
  return Object.assign(face, {
    async close() {
      const loaded = await loading?.catch(() => undefined);
      if (loaded) await Promise.all(Object.values(loaded).map((client) => client.close()));
    },
  });
}
