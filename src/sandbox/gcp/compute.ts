// Compute Engine REST v1 (https://cloud.google.com/compute/docs/reference/rest/v1) as
// @google-cloud/compute's REST transport sends it: aggregatedList for zonal/regional kinds (every
// scope present on every page, empty ones carrying a NO_RESULTS_ON_PAGE warning), global lists for
// snapshots and firewalls, per-zone/region lists, single gets, projects.get, zones and regions.
// maxResults/pageToken paging and `filter` work as the real API's; errors use Google's JSON shape.

import type { ResourceKind } from '../../model/resource.js';
import type { EstateResource, GcpProject } from '../estate/types.js';
import { estateSlot } from '../server/state.js';
import type { FaultKind, FaultScope, SandboxContext, SandboxRequest, SandboxResponse, SandboxService } from '../server/types.js';
import { operationRoute, serveComputeChange, serveOperation } from './compute-changes.js';
import {
  COMPUTE_BASE,
  creationTimestamp,
  projectLink,
  regionOfZone,
  renderAddress,
  renderDisk,
  renderFirewall,
  renderInstance,
  renderSnapshot,
} from './compute-resources.js';
import { googleError, jsonResponse } from './google-errors.js';
import { FilterSyntaxError, matchesFilter, parseFilter } from './list-filter.js';
import { checkAccessToken } from './oauth.js';

const PATH_PREFIX = '/compute/v1/projects/';
const DEFAULT_MAX_RESULTS = 500;

type ScopeLevel = 'zone' | 'region' | 'global';

interface Collection {
  kind: ResourceKind;
  /** Where the resources live: zonal and regional kinds have aggregatedList. */
  level: ScopeLevel;
  /** Resource kind prefix in list kinds: compute#instanceList, compute#instanceAggregatedList. */
  typeName: string;
  service: string;
  render(resource: EstateResource, ctx: SandboxContext): Record<string, unknown>;
}

const COLLECTIONS: Record<string, Collection> = {
  instances: {
    kind: 'gcp.compute.instance',
    level: 'zone',
    typeName: 'instance',
    service: 'InstancesService',
    render: (resource, ctx) => renderInstance(resource as never, ctx.index),
  },
  disks: {
    kind: 'gcp.compute.disk',
    level: 'zone',
    typeName: 'disk',
    service: 'DisksService',
    render: (resource, ctx) => renderDisk(resource as never, ctx.index),
  },
  addresses: {
    kind: 'gcp.compute.address',
    level: 'region',
    typeName: 'address',
    service: 'AddressesService',
    render: (resource, ctx) => renderAddress(resource as never, ctx.index),
  },
  snapshots: {
    kind: 'gcp.compute.snapshot',
    level: 'global',
    typeName: 'snapshot',
    service: 'SnapshotsService',
    render: (resource, ctx) => renderSnapshot(resource as never, ctx.index),
  },
  firewalls: {
    kind: 'gcp.compute.firewall',
    level: 'global',
    typeName: 'firewall',
    service: 'FirewallsService',
    render: (resource) => renderFirewall(resource as never),
  },
};

/** A parsed Compute URL: /compute/v1/projects/{project}/{rest…}. */
interface Route {
  project: string;
  segments: string[];
}

function parseRoute(req: SandboxRequest): Route | undefined {
  const path = req.url.pathname;
  if (!path.startsWith(PATH_PREFIX)) return undefined;
  const [project, ...segments] = path.slice(PATH_PREFIX.length).split('/').filter(Boolean).map(decodeURIComponent);
  return project ? { project, segments } : undefined;
}

function notFound(resource: string): SandboxResponse {
  return googleError(404, `The resource '${resource}' was not found`, { reason: 'notFound' });
}

function invalidField(field: string, value: string, why: string): SandboxResponse {
  return googleError(400, `Invalid value for field '${field}': '${value}'. ${why}`, { reason: 'invalid' });
}

// ---- paging --------------------------------------------------------------------------------

interface PageWindow {
  offset: number;
  limit: number;
}

function encodePageToken(collection: string, offset: number): string {
  return Buffer.from(JSON.stringify({ c: collection, o: offset })).toString('base64url');
}

function pageWindow(req: SandboxRequest, collection: string, total: number): PageWindow | SandboxResponse {
  const params = req.url.searchParams;
  let limit = DEFAULT_MAX_RESULTS;
  const maxResults = params.get('maxResults');
  if (maxResults !== null && maxResults !== '') {
    const parsed = Number(maxResults);
    if (!Number.isInteger(parsed) || parsed < 0) return invalidField('maxResults', maxResults, 'Must be a non-negative integer.');
    if (parsed > DEFAULT_MAX_RESULTS) return invalidField('maxResults', maxResults, `Must be less than or equal to ${DEFAULT_MAX_RESULTS}`);
    // maxResults=0 is the proto default, i.e. "not set".
    if (parsed > 0) limit = parsed;
  }
  const pageToken = params.get('pageToken');
  if (!pageToken) return { offset: 0, limit };
  let decoded: { c?: unknown; o?: unknown } | undefined;
  try {
    decoded = JSON.parse(Buffer.from(pageToken, 'base64url').toString('utf8'));
  } catch {
    decoded = undefined;
  }
  const offset = decoded?.o;
  if (decoded?.c !== collection || typeof offset !== 'number' || !Number.isInteger(offset) || offset <= 0 || offset > total) {
    return invalidField('pageToken', pageToken, 'Invalid page token.');
  }
  return { offset, limit };
}

// ---- estate lookups ------------------------------------------------------------------------

/** The scope keys an aggregatedList reports for a project: every zone or region, plus 'global' for addresses. */
function aggregateScopes(project: GcpProject, level: ScopeLevel, resources: EstateResource[]): string[] {
  const names = level === 'zone' ? [...project.zones] : [...project.regions];
  for (const resource of resources) if (resource.region !== 'global' && !names.includes(resource.region)) names.push(resource.region);
  const keys = names.map((name) => `${level === 'zone' ? 'zones' : 'regions'}/${name}`);
  if (level === 'region') keys.push('global');
  return keys;
}

function scopeKeyOf(resource: EstateResource, level: ScopeLevel): string {
  if (resource.region === 'global') return 'global';
  return `${level === 'zone' ? 'zones' : 'regions'}/${resource.region}`;
}

interface AggregatedOrder {
  scopes: string[];
  /** Resources in scope order (the order pages walk them). */
  resources: EstateResource[];
}

/** By `${kind}|${project}`; rebuilt when the estate changes. */
const AGGREGATED_ORDERS = estateSlot('gcp.compute.orders', () => new Map<string, AggregatedOrder>());

/** Built once per project and kind: pages of an aggregatedList are slices of this order. */
function aggregatedOrder(ctx: SandboxContext, project: GcpProject, collection: Collection): AggregatedOrder {
  const cacheKey = `${collection.kind}|${project.id}`;
  const orders = ctx.state.get(AGGREGATED_ORDERS);
  const cached = orders.get(cacheKey);
  if (cached) return cached;
  const all = ctx.index.byAccount.get(`${collection.kind}|${project.id}`) ?? [];
  const scopes = aggregateScopes(project, collection.level, all);
  const byScope = new Map<string, EstateResource[]>(scopes.map((scope) => [scope, []]));
  for (const resource of all) byScope.get(scopeKeyOf(resource, collection.level))?.push(resource);
  const order = { scopes, resources: scopes.flatMap((scope) => byScope.get(scope) ?? []) };
  orders.set(cacheKey, order);
  return order;
}

interface Rendered {
  resource: EstateResource;
  json: Record<string, unknown>;
}

/** Apply the request's filter (rendering everything only when there is one). */
function filtered(
  req: SandboxRequest,
  ctx: SandboxContext,
  collection: Collection,
  resources: EstateResource[],
): { items: (EstateResource | Rendered)[] } | SandboxResponse {
  const expression = req.url.searchParams.get('filter');
  if (!expression) return { items: resources };
  let tree: ReturnType<typeof parseFilter>;
  try {
    tree = parseFilter(expression);
  } catch (error) {
    if (error instanceof FilterSyntaxError || error instanceof SyntaxError) {
      return invalidField('filter', expression, 'Invalid list filter expression.');
    }
    throw error;
  }
  const items: Rendered[] = [];
  for (const resource of resources) {
    const json = collection.render(resource, ctx);
    if (matchesFilter(tree, json)) items.push({ resource, json });
  }
  return { items };
}

function renderItem(item: EstateResource | Rendered, collection: Collection, ctx: SandboxContext): Record<string, unknown> {
  return 'json' in item ? item.json : collection.render(item, ctx);
}

function resourceOf(item: EstateResource | Rendered): EstateResource {
  return 'json' in item ? item.resource : item;
}

// ---- handlers ------------------------------------------------------------------------------

function aggregatedList(
  req: SandboxRequest,
  ctx: SandboxContext,
  project: GcpProject,
  name: string,
  collection: Collection,
): SandboxResponse {
  const order = aggregatedOrder(ctx, project, collection);
  const selection = filtered(req, ctx, collection, order.resources);
  if ('status' in selection) return selection;
  const window = pageWindow(req, name, selection.items.length);
  if ('status' in window) return window;
  const slice = selection.items.slice(window.offset, window.offset + window.limit);
  const items: Record<string, unknown> = {};
  const onPage = new Map<string, Record<string, unknown>[]>();
  for (const item of slice) {
    const key = scopeKeyOf(resourceOf(item), collection.level);
    const list = onPage.get(key);
    const json = renderItem(item, collection, ctx);
    if (list) list.push(json);
    else onPage.set(key, [json]);
  }
  for (const scope of order.scopes) {
    const list = onPage.get(scope);
    items[scope] = list
      ? { [name]: list }
      : {
          warning: {
            code: 'NO_RESULTS_ON_PAGE',
            message: `There are no results for scope '${scope}' on this page.`,
            data: [{ key: 'scope', value: scope }],
          },
        };
  }
  const end = window.offset + slice.length;
  return jsonResponse({
    kind: `compute#${collection.typeName}AggregatedList`,
    id: `projects/${project.id}/aggregated/${name}`,
    items,
    ...(end < selection.items.length ? { nextPageToken: encodePageToken(name, end) } : {}),
    selfLink: `${projectLink(project.id)}/aggregated/${name}`,
  });
}

function plainList(
  req: SandboxRequest,
  ctx: SandboxContext,
  resources: EstateResource[],
  name: string,
  collection: Collection,
  parentPath: string,
): SandboxResponse {
  const selection = filtered(req, ctx, collection, resources);
  if ('status' in selection) return selection;
  const window = pageWindow(req, `${parentPath}/${name}`, selection.items.length);
  if ('status' in window) return window;
  const slice = selection.items.slice(window.offset, window.offset + window.limit);
  const end = window.offset + slice.length;
  return jsonResponse({
    kind: `compute#${collection.typeName}List`,
    id: `${parentPath}/${name}`,
    ...(slice.length > 0 ? { items: slice.map((item) => renderItem(item, collection, ctx)) } : {}),
    ...(end < selection.items.length ? { nextPageToken: encodePageToken(`${parentPath}/${name}`, end) } : {}),
    selfLink: `${COMPUTE_BASE}/${parentPath}/${name}`,
  });
}

/** A stable numeric id for zones and regions (the real ones are fixed numbers too). */
function locationId(name: string): string {
  let hash = 0n;
  for (const char of name) hash = (hash * 131n + BigInt(char.charCodeAt(0))) % 10_000_000_000_000n;
  return String(1_000_000_000_000n + hash);
}

function locationItem(project: GcpProject, level: 'zones' | 'regions', name: string): Record<string, unknown> {
  const common = {
    id: locationId(name),
    creationTimestamp: '1969-12-31T16:00:00.000-08:00',
    name,
    description: name,
    status: 'UP',
    selfLink: `${projectLink(project.id)}/${level}/${name}`,
    supportsPzs: false,
  };
  return level === 'zones'
    ? {
        kind: 'compute#zone',
        ...common,
        region: `${projectLink(project.id)}/regions/${regionOfZone(name)}`,
        availableCpuPlatforms: ['Intel Broadwell', 'Intel Cascade Lake', 'AMD Milan'],
      }
    : {
        kind: 'compute#region',
        ...common,
        zones: project.zones.filter((zone) => regionOfZone(zone) === name).map((zone) => `${projectLink(project.id)}/zones/${zone}`),
      };
}

function locationList(req: SandboxRequest, project: GcpProject, level: 'zones' | 'regions'): SandboxResponse {
  const names = level === 'zones' ? project.zones : project.regions;
  const window = pageWindow(req, `projects/${project.id}/${level}`, names.length);
  if ('status' in window) return window;
  const slice = names.slice(window.offset, window.offset + window.limit);
  const end = window.offset + slice.length;
  return jsonResponse({
    kind: level === 'zones' ? 'compute#zoneList' : 'compute#regionList',
    id: `projects/${project.id}/${level}`,
    items: slice.map((name) => locationItem(project, level, name)),
    ...(end < names.length ? { nextPageToken: encodePageToken(`projects/${project.id}/${level}`, end) } : {}),
    selfLink: `${projectLink(project.id)}/${level}`,
  });
}

function projectResource(ctx: SandboxContext, project: GcpProject): SandboxResponse {
  return jsonResponse({
    kind: 'compute#project',
    id: project.number,
    creationTimestamp: creationTimestamp(new Date(Date.parse(ctx.estate.now) - 3 * 365 * 86_400_000).toISOString()),
    name: project.id,
    commonInstanceMetadata: { kind: 'compute#metadata', fingerprint: 'sandbox=' },
    selfLink: projectLink(project.id),
    defaultServiceAccount: `${project.number}-compute@developer.gserviceaccount.com`,
    xpnProjectStatus: 'UNSPECIFIED_XPN_PROJECT_STATUS',
    defaultNetworkTier: 'PREMIUM',
    vmDnsSetting: 'ZONAL_ONLY',
  });
}

function methodName(route: Route): string {
  const [first, second, third] = route.segments;
  if (first === undefined) return 'ProjectsService.Get';
  if (first === 'aggregated') return `${COLLECTIONS[second]?.service ?? 'Unknown'}.AggregatedList`;
  if (first === 'zones' || first === 'regions') {
    if (third === undefined) return `${first === 'zones' ? 'ZonesService' : 'RegionsService'}.${second === undefined ? 'List' : 'Get'}`;
    return `${COLLECTIONS[third]?.service ?? 'Unknown'}.${route.segments.length > 3 ? 'Get' : 'List'}`;
  }
  return `${COLLECTIONS[second]?.service ?? 'Unknown'}.${route.segments.length > 2 ? 'Get' : 'List'}`;
}

function handleCompute(req: SandboxRequest, ctx: SandboxContext): SandboxResponse | Promise<SandboxResponse> {
  const route = parseRoute(req);
  if (!route) return googleError(404, 'The requested URL was not found on this server.', { reason: 'notFound' });
  const operation = operationRoute(route.segments);
  const reads = req.method === 'GET' || (operation?.wait === true && req.method === 'POST');
  const denied = checkAccessToken(req, ctx, methodName(route), undefined, !reads);
  if (denied) return denied;
  const project = ctx.estate.gcp.projects.find((candidate) => candidate.id === route.project || candidate.number === route.project);
  if (operation && reads) {
    if (!project) return notFound(`projects/${route.project}`);
    return serveOperation(ctx, project, operation.scope, operation.name, operation.wait);
  }
  const changed = project && req.method !== 'GET' ? serveComputeChange(req, ctx, project, route.segments) : undefined;
  if (changed) return changed;
  if (req.method !== 'GET') {
    return googleError(
      403,
      `Required 'compute.${route.segments.at(-1) ?? 'projects'}.${req.method === 'DELETE' ? 'delete' : 'create'}' permission for 'projects/${route.project}'`,
      {
        reason: 'forbidden',
      },
    );
  }
  if (!project) return notFound(`projects/${route.project}`);
  const [first, second, third, fourth, ...rest] = route.segments;
  const projectPath = `projects/${project.id}`;

  if (first === undefined) return projectResource(ctx, project);
  if (first === 'aggregated' && second && COLLECTIONS[second]?.level !== 'global' && third === undefined) {
    const collection = COLLECTIONS[second];
    if (collection) return aggregatedList(req, ctx, project, second, collection);
  }
  if ((first === 'zones' || first === 'regions') && second === undefined) return locationList(req, project, first);
  if (first === 'zones' || first === 'regions') {
    const level: ScopeLevel = first === 'zones' ? 'zone' : 'region';
    const known = level === 'zone' ? project.zones : project.regions;
    if (!known.includes(second)) return invalidField(level, second, level === 'zone' ? 'Unknown zone.' : 'Unknown region.');
    if (third === undefined) return jsonResponse(locationItem(project, first, second));
    const collection = COLLECTIONS[third];
    if (collection && collection.level === level && rest.length === 0) {
      const resources = (ctx.index.byScope.get(`${collection.kind}|${project.id}|${second}`) ?? []) as EstateResource[];
      if (fourth === undefined) return plainList(req, ctx, resources, third, collection, `${projectPath}/${first}/${second}`);
      const found = resources.find((resource) => resource.name === fourth);
      return found ? jsonResponse(collection.render(found, ctx)) : notFound(`${projectPath}/${first}/${second}/${third}/${fourth}`);
    }
  }
  if (first === 'global' && second && third === undefined && COLLECTIONS[second]) {
    const collection = COLLECTIONS[second];
    if (collection.level === 'global' || collection.level === 'region') {
      const resources = ctx.index.byScope.get(`${collection.kind}|${project.id}|global`) ?? [];
      return plainList(req, ctx, resources, second, collection, `${projectPath}/global`);
    }
  }
  if (first === 'global' && second && third && fourth === undefined && COLLECTIONS[second]) {
    const collection = COLLECTIONS[second];
    const found = (ctx.index.byScope.get(`${collection.kind}|${project.id}|global`) ?? []).find((resource) => resource.name === third);
    return found ? jsonResponse(collection.render(found, ctx)) : notFound(`${projectPath}/global/${second}/${third}`);
  }
  return googleError(404, 'The requested URL was not found on this server.', { reason: 'notFound' });
}

function computeScope(req: SandboxRequest): FaultScope | undefined {
  const route = parseRoute(req);
  if (!route) return undefined;
  const [first, second] = route.segments;
  const region = (first === 'zones' || first === 'regions') && second ? second : 'global';
  return { account: route.project, region };
}

function computeFault(req: SandboxRequest, fault: FaultKind): SandboxResponse {
  const project = parseRoute(req)?.project ?? 'unknown';
  if (fault === 'throttle') {
    return googleError(
      429,
      `Quota exceeded for quota metric 'Read requests' and limit 'Read requests per minute' of service 'compute.googleapis.com' for consumer 'project:${project}'.`,
      {
        reason: 'rateLimitExceeded',
        domain: 'usageLimits',
        errorInfo: {
          reason: 'RATE_LIMIT_EXCEEDED',
          metadata: {
            consumer: `projects/${project}`,
            quota_metric: 'compute.googleapis.com/read_requests',
            quota_limit: 'ReadRequestsPerMinutePerProject',
          },
        },
      },
    );
  }
  if (fault === 'outage') {
    return googleError(503, 'The service is currently unavailable in this location.', { reason: 'backendError' });
  }
  return googleError(503, 'The service is currently unavailable.', { reason: 'backendError' });
}

export const computeService: SandboxService = {
  name: 'gcp.compute',
  matches: (req) => !req.aws && req.url.pathname.startsWith('/compute/v1/'),
  scope: (req) => computeScope(req),
  handle: handleCompute,
  faultResponse: (req, fault) => computeFault(req, fault),
};
