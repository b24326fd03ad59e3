// The changes face on Azure: each operation is one Resource Manager long-running operation through
// the official clients (@azure/arm-compute, @azure/arm-network), followed by the SDK's poller to
// its end (Azure-AsyncOperation polled to Succeeded), under the call's signal. A VM is stopped by
// deallocating it (powerOff alone keeps billing the compute); a public IP is released by deleting it.
// https://learn.microsoft.com/rest/api/compute/virtual-machines/deallocate

import type { ChangeAnswer, ChangeOp, ChangeRequest } from '../../model/change.js';
import type { FaceReader } from '../types.js';
import type { AzureConnection } from './connection.js';

/** The RBAC operation each operation needs. */
export const CHANGE_OPERATIONS: Partial<Record<ChangeOp, string>> = {
  'release-address': 'Microsoft.Network/publicIPAddresses/delete',
  'stop-instance': 'Microsoft.Compute/virtualMachines/deallocate/action',
  'start-instance': 'Microsoft.Compute/virtualMachines/start/action',
};

export const CHANGE_PERMISSIONS = Object.values(CHANGE_OPERATIONS) as string[];

/** `/subscriptions/…/resourceGroups/<group>/providers/…/<name>` → its group and name. */
export function armParts(id: string): { group: string; name: string } {
  const match = /\/resourceGroups\/([^/]+)\/providers\/.+\/([^/]+)$/i.exec(id);
  if (!match) throw new Error(`not an Azure resource id: ${id}`);
  return { group: match[1], name: match[2] };
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
      default:
        throw new Error(`Azure changes do not include ${request.op}`);
    }
  };
}
