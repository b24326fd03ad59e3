// Compute Engine's mutating calls — what optimize --apply makes and what undoes it — changing the
// estate through its store: addresses.delete, disks.delete, disks.createSnapshot, disks.insert
// (from a snapshot), instances.stop and instances.start. Each answers an Operation (compute#operation) that is RUNNING until the
// change settles, then DONE; zoneOperations/regionOperations/globalOperations get and wait read it,
// as @google-cloud/compute's callers do (the client returns the Operation; the caller waits on it).
// https://cloud.google.com/compute/docs/reference/rest/v1/zoneOperations

import { createHash } from 'node:crypto';
import type { EstateResource, GcpAddress, GcpDisk, GcpInstance, GcpProject, GcpSnapshot } from '../estate/types.js';
import { serverSlot } from '../server/state.js';
import type { SandboxContext, SandboxRequest, SandboxResponse } from '../server/types.js';
import { linkTo, projectLink } from './compute-resources.js';
import { googleError, jsonResponse } from './google-errors.js';

type OperationScope = { level: 'zones' | 'regions'; name: string } | { level: 'global' };

interface Operation {
  id: string;
  name: string;
  operationType: string;
  targetLink: string;
  targetId: string;
  scope: OperationScope;
  status: 'RUNNING' | 'DONE';
  insertTime: string;
  endTime?: string;
}

const OPERATIONS = serverSlot('gcp.compute.operations', () => ({ byName: new Map<string, Operation>(), minted: 0 }));

/** `projects/…` of a selfLink, as Compute names resources in its messages. */
const resourcePath = (link: string) => link.slice(link.indexOf('/projects/') + 1);

/** Longest a wait call holds, as the API's (it then answers the operation as it stands). */
const WAIT_LIMIT_MS = 120_000;

function scopeLink(project: string, scope: OperationScope): string {
  return scope.level === 'global' ? `${projectLink(project)}/global` : `${projectLink(project)}/${scope.level}/${scope.name}`;
}

function renderOperation(project: GcpProject, operation: Operation): Record<string, unknown> {
  const where = scopeLink(project.id, operation.scope);
  return {
    kind: 'compute#operation',
    id: operation.id,
    name: operation.name,
    operationType: operation.operationType,
    targetLink: operation.targetLink,
    targetId: operation.targetId,
    status: operation.status,
    user: 'guardian-sandbox@sandbox.iam.gserviceaccount.com',
    progress: operation.status === 'DONE' ? 100 : 0,
    insertTime: operation.insertTime,
    startTime: operation.insertTime,
    ...(operation.endTime ? { endTime: operation.endTime } : {}),
    selfLink: `${where}/operations/${operation.name}`,
    ...(operation.scope.level === 'zones' ? { zone: where } : operation.scope.level === 'regions' ? { region: where } : {}),
  };
}

/** Starts an operation on `resource` whose change lands (and the operation is DONE) after the settle time. */
function operate<R extends EstateResource>(
  ctx: SandboxContext,
  project: GcpProject,
  resource: R,
  details: { type: string; targetLink: string; scope: OperationScope },
  land: (resource: R) => void,
): SandboxResponse {
  const operations = ctx.state.get(OPERATIONS);
  operations.minted += 1;
  const hex = createHash('sha1').update(`${ctx.estate.seed}|gcp-operation|${operations.minted}`).digest('hex');
  const now = ctx.store.clock();
  const operation: Operation = {
    id: BigInt(`0x${hex.slice(0, 15)}`).toString(),
    name: `operation-${now}-${hex.slice(15, 28)}-${hex.slice(28, 36)}`,
    operationType: details.type,
    targetLink: details.targetLink,
    targetId: resource.id,
    scope: details.scope,
    status: 'RUNNING',
    insertTime: new Date(now).toISOString(),
  };
  operations.byName.set(operation.name, operation);
  ctx.store.schedule(resource, ctx.store.settleMs, (r) => {
    land(r);
    operation.status = 'DONE';
    operation.endTime = new Date(ctx.store.clock()).toISOString();
  });
  return jsonResponse(renderOperation(project, operation));
}

/** `GET …/operations/{name}` and `POST …/operations/{name}/wait` (which holds until DONE or its limit). */
export async function serveOperation(
  ctx: SandboxContext,
  project: GcpProject,
  scope: OperationScope,
  name: string,
  wait: boolean,
): Promise<SandboxResponse> {
  const operation = ctx.state.get(OPERATIONS).byName.get(name);
  const here = operation && JSON.stringify(operation.scope) === JSON.stringify(scope);
  if (!operation || !here) {
    return googleError(404, `The resource '${resourcePath(scopeLink(project.id, scope))}/operations/${name}' was not found`, {
      reason: 'notFound',
    });
  }
  const done = () => operation.status === 'DONE';
  if (wait && !done()) {
    const deadline = Date.now() + WAIT_LIMIT_MS;
    // The store's clock decides when the change lands; look in small steps, as a server-side wait would.
    while (!done() && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, Math.max(1, Math.min(50, ctx.store.settleMs))).unref());
      ctx.store.settle();
    }
  }
  return jsonResponse(renderOperation(project, operation));
}

function inUse(resource: string, user: string | undefined): SandboxResponse {
  return googleError(400, `The ${resource} is already being used by '${user ?? 'another resource'}'`, {
    reason: 'resourceInUseByAnotherResource',
  });
}

const RESOURCE_NAME = /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/;
const DISK_TYPES = new Set<GcpDisk['spec']['type']>(['pd-standard', 'pd-balanced', 'pd-ssd']);

function invalidName(field: string, value: string): SandboxResponse {
  return googleError(
    400,
    `Invalid value for field '${field}': '${value}'. Must be a match of regex '(?:[a-z](?:[-a-z0-9]{0,61}[a-z0-9])?)'`,
    {
      reason: 'invalid',
    },
  );
}

/**
 * disks.insert: a new disk in the zone, from a READY snapshot (`sourceSnapshot`, a URL or a partial
 * `[projects/p/]global/snapshots/s`) or empty of `sizeGb`. CREATING until the operation is DONE.
 * https://cloud.google.com/compute/docs/reference/rest/v1/disks/insert
 */
function insertDisk(req: SandboxRequest, ctx: SandboxContext, project: GcpProject, zone: string): SandboxResponse {
  if (!project.zones.includes(zone)) {
    return googleError(400, `Invalid value for field 'zone': '${zone}'. Unknown zone.`, { reason: 'invalid' });
  }
  let body: { name?: unknown; sourceSnapshot?: unknown; sizeGb?: unknown; type?: unknown; labels?: unknown };
  try {
    body = JSON.parse(req.body.toString('utf8') || '{}');
  } catch {
    return googleError(400, 'Invalid JSON payload received.', { reason: 'parseError' });
  }
  const name = typeof body.name === 'string' ? body.name : '';
  if (!RESOURCE_NAME.test(name)) return invalidName('resource.name', name);
  const link = `${projectLink(project.id)}/zones/${zone}/disks/${name}`;
  if ((ctx.index.byScope.get(`gcp.compute.disk|${project.id}|${zone}`) ?? []).some((r) => r.name === name)) {
    return googleError(409, `The resource '${resourcePath(link)}' already exists`, { reason: 'alreadyExists' });
  }
  let snapshot: GcpSnapshot | undefined;
  if (typeof body.sourceSnapshot === 'string' && body.sourceSnapshot !== '') {
    const match = /(?:projects\/([^/]+)\/)?global\/snapshots\/([^/]+)$/.exec(body.sourceSnapshot);
    const owner = match?.[1] ?? project.id;
    snapshot = match
      ? ((ctx.index.byScope.get(`gcp.compute.snapshot|${owner}|global`) ?? []).find((r) => r.name === match[2]) as GcpSnapshot | undefined)
      : undefined;
    if (!snapshot) {
      return googleError(
        404,
        `The resource '${match ? `projects/${owner}/global/snapshots/${match[2]}` : body.sourceSnapshot}' was not found`,
        {
          reason: 'notFound',
        },
      );
    }
    if (snapshot.spec.status !== 'READY') {
      return googleError(400, `The resource 'projects/${owner}/global/snapshots/${snapshot.name}' is not ready`, {
        reason: 'resourceNotReady',
      });
    }
  }
  const requested = body.sizeGb === undefined ? undefined : Number(body.sizeGb);
  const sizeGb = requested ?? snapshot?.spec.diskSizeGb;
  if (sizeGb === undefined || !Number.isInteger(sizeGb) || sizeGb < 1) {
    return googleError(400, `Invalid value for field 'resource.sizeGb': '${String(body.sizeGb ?? '')}'. Must be a positive integer.`, {
      reason: 'invalid',
    });
  }
  if (snapshot && sizeGb < snapshot.spec.diskSizeGb) {
    return googleError(400, `Requested disk size cannot be smaller than the snapshot size (${snapshot.spec.diskSizeGb} GB).`, {
      reason: 'invalid',
    });
  }
  const typeName = (
    typeof body.type === 'string' && body.type !== '' ? body.type.slice(body.type.lastIndexOf('/') + 1) : 'pd-standard'
  ) as GcpDisk['spec']['type'];
  if (!DISK_TYPES.has(typeName))
    return googleError(400, `Invalid value for field 'resource.type': '${String(body.type)}'.`, { reason: 'invalid' });
  const id = BigInt(
    `0x${createHash('sha1').update(`${ctx.estate.seed}|disk|${link}|${ctx.store.clock()}`).digest('hex').slice(0, 15)}`,
  ).toString();
  const disk: GcpDisk = {
    kind: 'gcp.compute.disk',
    id,
    name,
    account: project.id,
    region: zone,
    createdAt: new Date(ctx.store.clock()).toISOString(),
    tags: body.labels && typeof body.labels === 'object' ? (body.labels as Record<string, string>) : {},
    planted: snapshot?.spec.kmsKeyName ? ['volume-unattached'] : ['volume-unattached', 'gcp-disk-no-cmek'],
    spec: {
      sizeGb,
      type: typeName,
      status: 'CREATING',
      users: [],
      ...(snapshot?.spec.kmsKeyName ? { kmsKeyName: snapshot.spec.kmsKeyName } : {}),
      ...(snapshot ? { sourceSnapshotId: snapshot.id } : {}),
    },
  };
  ctx.store.add(disk);
  return operate(ctx, project, disk, { type: 'insert', targetLink: link, scope: { level: 'zones', name: zone } }, (d) => {
    d.spec.status = 'READY';
  });
}

/** A mutating call on a zonal or regional resource; undefined when the path is not one of these. */
export function serveComputeChange(
  req: SandboxRequest,
  ctx: SandboxContext,
  project: GcpProject,
  segments: string[],
): SandboxResponse | undefined {
  const [level, where, collection, name, method, ...rest] = segments;
  if (level === 'zones' && collection === 'disks' && name === undefined && req.method === 'POST')
    return insertDisk(req, ctx, project, where);
  if (rest.length > 0 || !name || (level !== 'zones' && level !== 'regions')) return undefined;
  const scoped = (kind: EstateResource['kind']) =>
    (ctx.index.byScope.get(`${kind}|${project.id}|${where}`) ?? []).find((r) => r.name === name);
  const link = `${projectLink(project.id)}/${level}/${where}/${collection}/${name}`;
  const notFound = () => googleError(404, `The resource '${resourcePath(link)}' was not found`, { reason: 'notFound' });
  const scope: OperationScope = { level, name: where };

  if (level === 'zones' && collection === 'disks' && req.method === 'DELETE' && method === undefined) {
    const disk = scoped('gcp.compute.disk') as GcpDisk | undefined;
    if (!disk) return notFound();
    if (disk.spec.users.length > 0) return inUse(`disk resource '${resourcePath(link)}'`, linkTo(ctx.index, disk.spec.users[0]));
    return operate(ctx, project, disk, { type: 'delete', targetLink: link, scope }, (d) => ctx.store.remove(d));
  }
  if (level === 'regions' && collection === 'addresses' && req.method === 'DELETE' && method === undefined) {
    const address = scoped('gcp.compute.address') as GcpAddress | undefined;
    if (!address) return notFound();
    if (address.spec.status === 'IN_USE')
      return inUse(`address resource '${resourcePath(link)}'`, linkTo(ctx.index, address.spec.users[0] ?? ''));
    return operate(ctx, project, address, { type: 'delete', targetLink: link, scope }, (a) => ctx.store.remove(a));
  }
  if (level === 'zones' && collection === 'instances' && req.method === 'POST' && (method === 'stop' || method === 'start')) {
    const instance = scoped('gcp.compute.instance') as GcpInstance | undefined;
    if (!instance) return notFound();
    const [from, via, to] =
      method === 'stop' ? (['RUNNING', 'STOPPING', 'TERMINATED'] as const) : (['TERMINATED', 'STAGING', 'RUNNING'] as const);
    if (instance.spec.status !== from && instance.spec.status !== to) {
      return googleError(400, `The instance '${resourcePath(link)}' is ${instance.spec.status}; try again once it has settled.`, {
        reason: 'resourceNotReady',
      });
    }
    if (instance.spec.status === from) {
      ctx.store.update(instance, (i) => {
        i.spec.status = via;
      });
    }
    return operate(ctx, project, instance, { type: method, targetLink: link, scope }, (i) => {
      i.spec.status = to;
    });
  }
  if (level === 'zones' && collection === 'disks' && req.method === 'POST' && method === 'createSnapshot') {
    const disk = scoped('gcp.compute.disk') as GcpDisk | undefined;
    if (!disk) return notFound();
    let body: { name?: unknown; description?: unknown; labels?: unknown };
    try {
      body = JSON.parse(req.body.toString('utf8') || '{}');
    } catch {
      return googleError(400, 'Invalid JSON payload received.', { reason: 'parseError' });
    }
    const snapshotName = typeof body.name === 'string' ? body.name : '';
    if (!/^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/.test(snapshotName)) {
      return googleError(
        400,
        `Invalid value for field 'resource.name': '${snapshotName}'. Must be a match of regex '(?:[a-z](?:[-a-z0-9]{0,61}[a-z0-9])?)'`,
        { reason: 'invalid' },
      );
    }
    const snapshotLink = `${projectLink(project.id)}/global/snapshots/${snapshotName}`;
    if ((ctx.index.byScope.get(`gcp.compute.snapshot|${project.id}|global`) ?? []).some((r) => r.name === snapshotName)) {
      return googleError(409, `The resource '${resourcePath(snapshotLink)}' already exists`, { reason: 'alreadyExists' });
    }
    const id = BigInt(
      `0x${createHash('sha1').update(`${ctx.estate.seed}|snapshot|${snapshotLink}`).digest('hex').slice(0, 15)}`,
    ).toString();
    const snapshot: GcpSnapshot = {
      kind: 'gcp.compute.snapshot',
      id,
      name: snapshotName,
      account: project.id,
      region: 'global',
      createdAt: new Date(ctx.store.clock()).toISOString(),
      tags: body.labels && typeof body.labels === 'object' ? (body.labels as Record<string, string>) : {},
      planted: [],
      spec: {
        sourceDiskId: disk.id,
        diskSizeGb: disk.spec.sizeGb,
        // Snapshots store the disk's used blocks, compressed: a third of its size is a fair stand-in.
        storageBytes: Math.round((disk.spec.sizeGb * 1024 ** 3) / 3),
        kmsKeyName: disk.spec.kmsKeyName,
        status: 'CREATING',
      },
    };
    ctx.store.add(snapshot);
    return operate(ctx, project, snapshot, { type: 'createSnapshot', targetLink: link, scope }, (s) => {
      s.spec.status = 'READY';
    });
  }
  return undefined;
}

/** The operation path a request names: `{zones|regions}/{x}/operations/{name}[/wait]` or `global/operations/{name}[/wait]`. */
export function operationRoute(segments: string[]): { scope: OperationScope; name: string; wait: boolean } | undefined {
  if (
    segments[0] === 'global' &&
    segments[1] === 'operations' &&
    segments[2] &&
    (segments.length === 3 || (segments.length === 4 && segments[3] === 'wait'))
  ) {
    return { scope: { level: 'global' }, name: segments[2], wait: segments[3] === 'wait' };
  }
  const [level, where, operations, name, wait, ...rest] = segments;
  if ((level !== 'zones' && level !== 'regions') || operations !== 'operations' || !where || !name || rest.length > 0) return undefined;
  if (wait !== undefined && wait !== 'wait') return undefined;
  return { scope: { level, name: where }, name, wait: wait === 'wait' };
}
