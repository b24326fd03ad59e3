// The changes face on Azure: each operation is one Resource Manager call through the official
// clients (@azure/arm-compute, @azure/arm-network). A long-running one is followed by the SDK's
// poller to its end (Azure-AsyncOperation polled to Succeeded), under the call's signal — except a
// snapshot's copy, which is only started: the walk reads the snapshot until its provisioningState
// is Succeeded (snapshot-state, bounded by --timeout), so that each read is journalled like a
// call. A VM is stopped by deallocating it (powerOff alone keeps billing the compute); a public IP
// is released by deleting it; a disk comes back as a new disk copied from its snapshot.
// https://learn.microsoft.com/rest/api/compute/virtual-machines/deallocate
// https://learn.microsoft.com/rest/api/compute/snapshots/create-or-update

import type { ChangeAnswer, ChangeOp, ChangeRequest } from '../../model/change.js';
import type { FaceReader } from '../types.js';
import type { AzureConnection } from './connection.js';

/** The RBAC operation each operation needs. */
export const CHANGE_OPERATIONS: Partial<Record<ChangeOp, string>> = {
  'release-address': 'Microsoft.Network/publicIPAddresses/delete',
  'stop-instance': 'Microsoft.Compute/virtualMachines/deallocate/action',
  'start-instance': 'Microsoft.Compute/virtualMachines/start/action',
  'create-snapshot': 'Microsoft.Compute/snapshots/write',
  'snapshot-state': 'Microsoft.Compute/snapshots/read',
  'delete-volume': 'Microsoft.Compute/disks/delete',
  'create-volume': 'Microsoft.Compute/disks/write',
};

/** Copying a disk reads it; a disk made from a snapshot reads the snapshot (Microsoft.Compute/snapshots/read, above). */
export const CHANGE_PERMISSIONS = [...new Set([...Object.values(CHANGE_OPERATIONS), 'Microsoft.Compute/disks/read'])] as string[];

/** `/subscriptions/…/resourceGroups/<group>/providers/…/<name>` → its group and name. */
export function armParts(id: string): { group: string; name: string } {
  const match = /\/resourceGroups\/([^/]+)\/providers\/.+\/([^/]+)$/i.exec(id);
  if (!match) throw new Error(`not an Azure resource id: ${id}`);
  return { group: match[1], name: match[2] };
}

/** The ARM id of a snapshot named `name` in the disk's resource group. */
export function snapshotIdFor(diskId: string, name: string): string {
  return diskId.replace(/\/providers\/Microsoft\.Compute\/disks\/[^/]+$/i, `/providers/Microsoft.Compute/snapshots/${name}`);
}

/** ARM's provisioningState as the walk's snapshot states: Succeeded is completed; a copy under way is pending. */
function snapshotState(provisioningState: string | undefined): string {
  if (provisioningState === 'Succeeded') return 'completed';
  if (provisioningState === undefined || ['Creating', 'Updating', 'InProgress', 'Accepted'].includes(provisioningState)) return 'pending';
  return provisioningState.toLowerCase();
}

export function createAzureChanges(
  connection: () => Promise<AzureConnection>,
  poll: { updateIntervalInMs?: number } = {},
): FaceReader<ChangeRequest, ChangeAnswer> {
  return async (request, { signal }) => {
    const conn = await connection();
    const { group, name } = armParts(request.id);
    const options = { abortSignal: signal, ...poll };
    switch (request.op) {
      case 'stop-instance':
        await (await conn.compute(request.account)).virtualMachines.beginDeallocateAndWait(group, name, options);
        return { state: 'deallocated' };
      case 'start-instance':
        await (await conn.compute(request.account)).virtualMachines.beginStartAndWait(group, name, options);
        return { state: 'running' };
      case 'release-address':
        await (await conn.network(request.account)).publicIPAddresses.beginDeleteAndWait(group, name, options);
        return {};
      case 'create-snapshot': {
        const snapshotName = request.snapshotName ?? `${name}-guardian`;
        // The copy is started, not waited for: beginCreateOrUpdate returns once ARM accepted it.
        await (await conn.compute(request.account)).snapshots.beginCreateOrUpdate(
          group,
          snapshotName,
          {
            location: request.region,
            tags: { 'guardian:optimize': request.id },
            creationData: { createOption: 'Copy', sourceResourceId: request.id },
            incremental: false,
          },
          options,
        );
        return { id: snapshotIdFor(request.id, snapshotName), state: 'pending' };
      }
      case 'snapshot-state': {
        const snapshot = await (await conn.compute(request.account)).snapshots.get(group, name, options);
        return { id: request.id, state: snapshotState(snapshot.provisioningState) };
      }
      case 'delete-volume':
        await (await conn.compute(request.account)).disks.beginDeleteAndWait(group, name, options);
        return {};
      case 'create-volume': {
        // A new disk copied from the snapshot (request.id), named as the deleted one, in its group.
        const diskName = request.name ?? name;
        const disk = await (await conn.compute(request.account)).disks.beginCreateOrUpdateAndWait(
          group,
          diskName,
          {
            location: request.region,
            ...(request.tags ? { tags: request.tags } : {}),
            ...(request.volumeType ? { sku: { name: request.volumeType } } : {}),
            creationData: { createOption: 'Copy', sourceResourceId: request.id },
            ...(request.sizeGb ? { diskSizeGB: request.sizeGb } : {}),
          },
          options,
        );
        return { id: disk.id, state: disk.diskState ?? disk.provisioningState };
      }
      default:
        throw new Error(`Azure changes do not include ${request.op}`);
    }
  };
}
