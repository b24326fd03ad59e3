// Azure Resource Manager's mutating calls — what optimize --apply makes and what undoes it — on
// managed disks, snapshots, public IPs and VMs, changing the estate through its store. Deletes,
// VM power actions and a snapshot's copy are long-running: 202 Accepted with an
// Azure-AsyncOperation (and Location) URL that answers InProgress until the change settles, then
// Succeeded, which is what the SDKs' pollers follow; a snapshot being copied reads
// provisioningState Creating until then. Disk and public IP creates and updates complete at once
// (201/200 with provisioningState Succeeded).
// https://learn.microsoft.com/azure/azure-resource-manager/management/async-operations

import { createHash } from 'node:crypto';
import type {
  AzureDisk,
  AzurePublicIp,
  AzureSnapshot,
  AzureVm,
  EstateResource,
  EstateResourceOf,
  PlantedCondition,
} from '../estate/types.js';
import { serverSlot } from '../server/state.js';
import type { SandboxContext, SandboxRequest, SandboxResponse, SandboxService } from '../server/types.js';
import { API_VERSIONS, type ArmListType } from './api-versions.js';
import { armError, armJson } from './arm-protocol.js';
import { renderDisk, renderSnapshot } from './compute.js';
import { authenticateArmRequest } from './entra.js';
import { renderPublicIp } from './network.js';
import { armFaultResponse } from './resource-manager.js';

const RESOURCE =
  /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/(Microsoft\.Compute\/disks|Microsoft\.Compute\/snapshots|Microsoft\.Network\/publicIPAddresses|Microsoft\.Compute\/virtualMachines)\/([^/]+)(?:\/(deallocate|powerOff|start))?\/?$/i;
const OPERATION =
  /^\/subscriptions\/([^/]+)\/providers\/(Microsoft\.Compute|Microsoft\.Network)\/locations\/([^/]+)\/operations\/([^/]+)\/?$/i;

type ChangedType =
  | 'Microsoft.Compute/disks'
  | 'Microsoft.Compute/snapshots'
  | 'Microsoft.Network/publicIPAddresses'
  | 'Microsoft.Compute/virtualMachines';
const CANONICAL = new Map<string, ChangedType>(
  (
    [
      'Microsoft.Compute/disks',
      'Microsoft.Compute/snapshots',
      'Microsoft.Network/publicIPAddresses',
      'Microsoft.Compute/virtualMachines',
    ] as const
  ).map((t) => [t.toLowerCase(), t]),
);
type ChangedKind = 'azure.compute.disk' | 'azure.compute.snapshot' | 'azure.network.public-ip' | 'azure.compute.vm';
const KIND_OF: Record<ChangedType, ChangedKind> = {
  'Microsoft.Compute/disks': 'azure.compute.disk',
  'Microsoft.Compute/snapshots': 'azure.compute.snapshot',
  'Microsoft.Network/publicIPAddresses': 'azure.network.public-ip',
  'Microsoft.Compute/virtualMachines': 'azure.compute.vm',
};

interface Target {
  subscription: string;
  resourceGroup: string;
  type: ChangedType;
  name: string;
  action?: 'deallocate' | 'powerOff' | 'start';
  /** The resource's ARM id as the estate spells it (canonical type casing). */
  id: string;
}

function targetOf(req: SandboxRequest): Target | undefined {
  const match = RESOURCE.exec(req.url.pathname);
  if (!match) return undefined;
  const type = CANONICAL.get(match[3].toLowerCase()) as ChangedType;
  const action = match[5] as Target['action'];
  // Only these calls are changes; a GET of the same path is Resource Manager's (resource-manager.ts).
  if (action ? req.method !== 'POST' || type !== 'Microsoft.Compute/virtualMachines' : !['PUT', 'PATCH', 'DELETE'].includes(req.method)) {
    return undefined;
  }
  if (!action && type === 'Microsoft.Compute/virtualMachines') return undefined;
  const [subscription, resourceGroup, name] = [match[1], match[2], match[4]].map(decodeURIComponent);
  return {
    subscription,
    resourceGroup,
    type,
    name,
    action,
    id: `/subscriptions/${subscription}/resourceGroups/${resourceGroup}/providers/${type}/${name}`,
  };
}

// ---- long-running operations --------------------------------------------------------------------

interface Operation {
  id: string;
  status: 'InProgress' | 'Succeeded';
  startTime: string;
  endTime?: string;
}

const OPERATIONS = serverSlot('azure.operations', () => ({ byId: new Map<string, Operation>(), minted: 0 }));

/**
 * Starts a change that lands after the store's settle time: answers 202 with the operation's
 * status URL in Azure-AsyncOperation and Location, as ARM's resource providers do.
 */
function accepted<R extends EstateResource>(
  req: SandboxRequest,
  ctx: SandboxContext,
  resource: R,
  provider: 'Microsoft.Compute' | 'Microsoft.Network',
  land: (resource: R) => void,
): SandboxResponse {
  const operations = ctx.state.get(OPERATIONS);
  operations.minted += 1;
  const hex = createHash('sha1').update(`${ctx.estate.seed}|operation|${operations.minted}`).digest('hex');
  const id = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
  const operation: Operation = { id, status: 'InProgress', startTime: new Date(ctx.store.clock()).toISOString() };
  operations.byId.set(id, operation);
  ctx.store.schedule(resource, ctx.store.settleMs, (r) => {
    land(r);
    operation.status = 'Succeeded';
    operation.endTime = new Date(ctx.store.clock()).toISOString();
  });
  const version = req.url.searchParams.get('api-version') ?? '';
  const url = `${ctx.origin}/subscriptions/${resource.account}/providers/${provider}/locations/${resource.region}/operations/${id}?api-version=${version}`;
  return armJson(202, '', { 'azure-asyncoperation': url, location: `${url}&monitor=true` });
}

function operationStatus(ctx: SandboxContext, id: string): SandboxResponse {
  const operation = ctx.state.get(OPERATIONS).byId.get(id);
  if (!operation) return armError(404, 'NotFound', `The operation '${id}' could not be found.`);
  // A removal lands on a resource the store no longer holds; nothing else can be left pending.
  return armJson(200, {
    name: operation.id,
    status: operation.status,
    startTime: operation.startTime,
    ...(operation.endTime ? { endTime: operation.endTime } : {}),
  });
}

// ---- the changes --------------------------------------------------------------------------------

function find<K extends ChangedKind>(ctx: SandboxContext, kind: K, target: Target): EstateResourceOf<K> | undefined {
  const id = target.id.toLowerCase();
  const candidates = ctx.index.byAccount.get(`${kind}|${target.subscription}`) ?? [];
  return candidates.find((r) => r.id.toLowerCase() === id) as EstateResourceOf<K> | undefined;
}

function notFound(target: Target): SandboxResponse {
  return armError(
    404,
    'ResourceNotFound',
    `The Resource '${target.type}/${target.name}' under resource group '${target.resourceGroup}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`,
  );
}

function jsonBody(req: SandboxRequest): Record<string, unknown> | undefined {
  try {
    const body = JSON.parse(req.body.toString('utf8') || '{}');
    return body && typeof body === 'object' && !Array.isArray(body) ? body : undefined;
  } catch {
    return undefined;
  }
}

const DISK_SKUS = new Set<AzureDisk['spec']['sku']>(['Standard_LRS', 'StandardSSD_LRS', 'Premium_LRS', 'UltraSSD_LRS']);

function diskPlanted(disk: AzureDisk): PlantedCondition[] {
  const planted: PlantedCondition[] = [];
  if (disk.spec.diskState === 'Unattached') planted.push('volume-unattached');
  if (disk.spec.encryptionType === 'EncryptionAtRestWithPlatformKey') planted.push('azure-disk-no-cmk');
  return planted;
}

/** PUT creates a disk (empty, or copied from a snapshot or disk); PUT or PATCH on one changes its SKU or size. */
function putDisk(req: SandboxRequest, ctx: SandboxContext, target: Target): SandboxResponse {
  const body = jsonBody(req);
  if (!body) return armError(400, 'InvalidRequestContent', 'The request content was invalid and could not be deserialized.');
  const properties = (body.properties ?? {}) as {
    diskSizeGB?: number;
    creationData?: { createOption?: string; sourceResourceId?: string };
  };
  const sku = (body.sku as { name?: string } | undefined)?.name as AzureDisk['spec']['sku'] | undefined;
  if (sku !== undefined && !DISK_SKUS.has(sku))
    return armError(400, 'InvalidParameter', `The value '${sku}' of parameter 'sku.name' is not allowed.`);
  const existing = find(ctx, 'azure.compute.disk', target);
  if (existing) {
    const size = properties.diskSizeGB ?? existing.spec.sizeGb;
    if (size < existing.spec.sizeGb) {
      return armError(
        409,
        'OperationNotAllowed',
        `Disk '${target.name}' cannot be resized to ${size} GB: shrinking a disk is not supported.`,
      );
    }
    if (existing.spec.managedBy && sku !== undefined && sku !== existing.spec.sku) {
      const vm = ctx.index.byId.get(existing.spec.managedBy);
      if (vm?.kind === 'azure.compute.vm' && vm.spec.powerState !== 'deallocated') {
        return armError(
          409,
          'OperationNotAllowed',
          `Disk '${target.name}' cannot change SKU while it is attached to running VM '${existing.spec.managedBy}'; deallocate the VM first.`,
        );
      }
    }
    ctx.store.update(existing, (d) => {
      d.spec.sizeGb = size;
      if (sku !== undefined) d.spec.sku = sku;
    });
    return armJson(200, renderDisk(existing));
  }
  if (req.method === 'PATCH') return notFound(target);
  const location = typeof body.location === 'string' ? body.location : undefined;
  if (!location) return armError(400, 'LocationRequired', 'The location property is required for this definition.');
  const source = properties.creationData?.sourceResourceId ? ctx.index.byId.get(properties.creationData.sourceResourceId) : undefined;
  const sourceSize = source?.kind === 'azure.compute.snapshot' || source?.kind === 'azure.compute.disk' ? source.spec.sizeGb : undefined;
  const sizeGb = properties.diskSizeGB ?? sourceSize;
  if (sizeGb === undefined) return armError(400, 'InvalidParameter', "Required parameter 'diskSizeGB' is missing (null).");
  const disk: AzureDisk = {
    kind: 'azure.compute.disk',
    id: target.id,
    name: target.name,
    account: target.subscription,
    region: location,
    createdAt: new Date(ctx.store.clock()).toISOString(),
    tags: (body.tags as Record<string, string> | undefined) ?? {},
    planted: [],
    spec: {
      resourceGroup: target.resourceGroup,
      sizeGb,
      sku: sku ?? 'Standard_LRS',
      diskState: 'Unattached',
      encryptionType: 'EncryptionAtRestWithPlatformKey',
      networkAccessPolicy: 'AllowAll',
      publicNetworkAccess: 'Enabled',
    },
  };
  disk.planted = diskPlanted(disk);
  ctx.store.add(disk);
  return armJson(201, renderDisk(disk));
}

function deleteDisk(req: SandboxRequest, ctx: SandboxContext, target: Target): SandboxResponse {
  const disk = find(ctx, 'azure.compute.disk', target);
  // ARM answers a DELETE of something already gone with 204: deleting is idempotent.
  if (!disk) return { status: 204 };
  if (disk.spec.managedBy) return armError(409, 'OperationNotAllowed', `Disk ${target.name} is attached to VM ${disk.spec.managedBy}.`);
  return accepted(req, ctx, disk, 'Microsoft.Compute', (d) => ctx.store.remove(d));
}

/**
 * PUT creates a snapshot, a full or incremental copy of a disk (creationData.createOption Copy,
 * sourceResourceId the disk, in the disk's location): 202 with the operation to poll, the snapshot
 * Creating until the copy settles. A PUT on an existing snapshot changes its tags only.
 * https://learn.microsoft.com/rest/api/compute/snapshots/create-or-update
 */
function putSnapshot(req: SandboxRequest, ctx: SandboxContext, target: Target): SandboxResponse {
  const body = jsonBody(req);
  if (!body) return armError(400, 'InvalidRequestContent', 'The request content was invalid and could not be deserialized.');
  const existing = find(ctx, 'azure.compute.snapshot', target);
  if (existing) {
    if (body.tags)
      ctx.store.update(existing, (s) => {
        s.tags = body.tags as Record<string, string>;
      });
    return armJson(200, renderSnapshot(existing, ctx.index));
  }
  if (req.method === 'PATCH') return notFound(target);
  const location = typeof body.location === 'string' ? body.location : undefined;
  if (!location) return armError(400, 'LocationRequired', 'The location property is required for this definition.');
  const properties = (body.properties ?? {}) as {
    incremental?: boolean;
    creationData?: { createOption?: string; sourceResourceId?: string };
  };
  const option = properties.creationData?.createOption;
  if (option !== 'Copy') {
    return armError(
      400,
      'InvalidParameter',
      `The value '${option ?? ''}' of parameter 'creationData.createOption' is not supported here; the Guardian sandbox copies disks only (Copy).`,
    );
  }
  const sourceId = properties.creationData?.sourceResourceId ?? '';
  const source = [...(ctx.index.byAccount.get(`azure.compute.disk|${target.subscription}`) ?? [])].find(
    (r) => r.id.toLowerCase() === sourceId.toLowerCase(),
  ) as AzureDisk | undefined;
  if (!source) {
    return armError(404, 'NotFound', `Resource '${sourceId}' was not found (creationData.sourceResourceId).`);
  }
  if (source.region.toLowerCase() !== location.toLowerCase()) {
    return armError(
      400,
      'BadRequest',
      `The source disk '${source.name}' is in location '${source.region}'; a snapshot of it must be created in the same location.`,
    );
  }
  const snapshot: AzureSnapshot = {
    kind: 'azure.compute.snapshot',
    id: target.id,
    name: target.name,
    account: target.subscription,
    region: source.region,
    createdAt: new Date(ctx.store.clock()).toISOString(),
    tags: (body.tags as Record<string, string> | undefined) ?? {},
    planted: [],
    spec: {
      resourceGroup: target.resourceGroup,
      sourceDiskId: source.id,
      sizeGb: source.spec.sizeGb,
      incremental: properties.incremental === true,
      encryptionType: source.spec.encryptionType,
      networkAccessPolicy: source.spec.networkAccessPolicy,
      provisioningState: 'Creating',
    },
  };
  ctx.store.add(snapshot);
  return accepted(req, ctx, snapshot, 'Microsoft.Compute', (s) => {
    s.spec.provisioningState = 'Succeeded';
  });
}

function deleteSnapshot(req: SandboxRequest, ctx: SandboxContext, target: Target): SandboxResponse {
  const snapshot = find(ctx, 'azure.compute.snapshot', target);
  if (!snapshot) return { status: 204 };
  return accepted(req, ctx, snapshot, 'Microsoft.Compute', (s) => ctx.store.remove(s));
}

function putPublicIp(req: SandboxRequest, ctx: SandboxContext, target: Target): SandboxResponse {
  const body = jsonBody(req);
  if (!body) return armError(400, 'InvalidRequestContent', 'The request content was invalid and could not be deserialized.');
  const existing = find(ctx, 'azure.network.public-ip', target);
  const sku = ((body.sku as { name?: string } | undefined)?.name ?? existing?.spec.sku ?? 'Standard') as AzurePublicIp['spec']['sku'];
  const allocation = ((body.properties as { publicIPAllocationMethod?: string } | undefined)?.publicIPAllocationMethod ??
    existing?.spec.allocation ??
    'Static') as AzurePublicIp['spec']['allocation'];
  if (sku === 'Standard' && allocation === 'Dynamic') {
    return armError(400, 'StandardSkuPublicIPAddressesMustBeStatic', `Standard sku publicIp ${target.id} must be Static.`);
  }
  if (existing) {
    ctx.store.update(existing, (ip) => {
      ip.spec.sku = sku;
      ip.spec.allocation = allocation;
      if (body.tags) ip.tags = body.tags as Record<string, string>;
    });
    return armJson(200, renderPublicIp(existing, ctx.index));
  }
  if (req.method === 'PATCH') return notFound(target);
  const location = typeof body.location === 'string' ? body.location : undefined;
  if (!location) return armError(400, 'LocationRequired', 'The location property is required for this definition.');
  const bytes = createHash('sha1').update(target.id.toLowerCase()).digest();
  const ip: AzurePublicIp = {
    kind: 'azure.network.public-ip',
    id: target.id,
    name: target.name,
    account: target.subscription,
    region: location,
    createdAt: new Date(ctx.store.clock()).toISOString(),
    tags: (body.tags as Record<string, string> | undefined) ?? {},
    planted: ['address-unassociated'],
    spec: { resourceGroup: target.resourceGroup, ipAddress: `20.${bytes[0]}.${bytes[1]}.${1 + (bytes[2] % 254)}`, allocation, sku },
  };
  ctx.store.add(ip);
  return armJson(201, renderPublicIp(ip, ctx.index));
}

function deletePublicIp(req: SandboxRequest, ctx: SandboxContext, target: Target): SandboxResponse {
  const ip = find(ctx, 'azure.network.public-ip', target);
  if (!ip) return { status: 204 };
  const vm = ip.spec.vmId ? ctx.index.byId.get(ip.spec.vmId) : undefined;
  if (vm?.kind === 'azure.compute.vm') {
    return armError(
      400,
      'PublicIPAddressCannotBeDeleted',
      `Public IP address ${ip.id} can not be deleted since it is still allocated to resource ${vm.spec.nicId}/ipConfigurations/ipconfig1. In order to delete the public IP, disassociate/detach the Public IP address from the resource.`,
    );
  }
  return accepted(req, ctx, ip, 'Microsoft.Network', (r) => ctx.store.remove(r));
}

const POWER_ACTIONS: Record<NonNullable<Target['action']>, { via: AzureVm['spec']['powerState']; to: AzureVm['spec']['powerState'] }> = {
  deallocate: { via: 'deallocating', to: 'deallocated' },
  powerOff: { via: 'stopping', to: 'stopped' },
  start: { via: 'starting', to: 'running' },
};

/** States a power action passes through; another action waits until they settle. */
const TRANSITIONS = new Set<AzureVm['spec']['powerState']>(['starting', 'stopping', 'deallocating']);

function powerAction(req: SandboxRequest, ctx: SandboxContext, target: Target, action: NonNullable<Target['action']>): SandboxResponse {
  const vm = find(ctx, 'azure.compute.vm', target);
  if (!vm) return notFound(target);
  const state = vm.spec.powerState;
  if (TRANSITIONS.has(state)) {
    return armError(409, 'OperationNotAllowed', `Operation '${action}' is not allowed on VM '${target.name}' since the VM is ${state}.`);
  }
  const { via, to } = POWER_ACTIONS[action];
  if (state !== to) {
    ctx.store.update(vm, (r) => {
      r.spec.powerState = via;
    });
  }
  return accepted(req, ctx, vm, 'Microsoft.Compute', (r) => {
    r.spec.powerState = to;
  });
}

function versionRefused(type: ArmListType, version: string | null): SandboxResponse | undefined {
  if (!version)
    return armError(400, 'MissingApiVersionParameter', 'The api-version query parameter (?api-version=) is required for all requests.');
  if (API_VERSIONS[type].includes(version)) return undefined;
  return armError(
    400,
    'NoRegisteredProviderFound',
    `No registered resource provider found for API version '${version}' and type '${type.slice(type.indexOf('/') + 1)}'. The supported api-versions are '${API_VERSIONS[type].join(', ')}'.`,
  );
}

export const resourceChangesService: SandboxService = {
  // The same service as far as anyone outside can tell: Resource Manager.
  name: 'azure.arm',
  matches: (req) => !req.aws && (targetOf(req) !== undefined || (req.method === 'GET' && OPERATION.test(req.url.pathname))),
  scope(req) {
    const subscription = (RESOURCE.exec(req.url.pathname) ?? OPERATION.exec(req.url.pathname))?.[1];
    return subscription ? { account: subscription.toLowerCase(), region: 'global' } : undefined;
  },
  handle(req, ctx) {
    const auth = authenticateArmRequest(req, ctx);
    if ('response' in auth) return auth.response;
    const operation = OPERATION.exec(req.url.pathname);
    const target = targetOf(req);
    const subscription = operation?.[1] ?? target?.subscription ?? '';
    if (!ctx.estate.azure.subscriptions.some((s) => s.id.toLowerCase() === subscription.toLowerCase())) {
      return armError(404, 'SubscriptionNotFound', `The subscription '${subscription}' could not be found.`);
    }
    if (operation) {
      // The status URL carries the api-version of the call that started it (a disk's or a VM's).
      const provider = operation[2].toLowerCase();
      const types = (Object.keys(API_VERSIONS) as ArmListType[]).filter((type) => type.toLowerCase().startsWith(`${provider}/`));
      const version = req.url.searchParams.get('api-version');
      const known = types.find((type) => version !== null && API_VERSIONS[type].includes(version));
      return versionRefused(known ?? types[0], version) ?? operationStatus(ctx, decodeURIComponent(operation[4]));
    }
    if (!target) return armError(405, 'MethodNotAllowed', `The requested resource does not support http method '${req.method}'.`);
    const refused = versionRefused(target.type, req.url.searchParams.get('api-version'));
    if (refused) return refused;
    if (target.action) return powerAction(req, ctx, target, target.action);
    const kind = KIND_OF[target.type];
    if (kind === 'azure.compute.disk') return req.method === 'DELETE' ? deleteDisk(req, ctx, target) : putDisk(req, ctx, target);
    if (kind === 'azure.compute.snapshot')
      return req.method === 'DELETE' ? deleteSnapshot(req, ctx, target) : putSnapshot(req, ctx, target);
    return req.method === 'DELETE' ? deletePublicIp(req, ctx, target) : putPublicIp(req, ctx, target);
  },
  faultResponse: armFaultResponse,
};
