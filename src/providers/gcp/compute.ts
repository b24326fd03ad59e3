// Compute Engine kinds: instances, disks, addresses, snapshots and firewalls, one KindSpec each,
// fetching a single page through @google-cloud/compute's REST transport (aggregatedList where the
// API has it, so a project is one chain of pages per kind). aggregatedList needs the same
// permission as list (compute.<collection>.list).

import type { Resource, ResourceKind } from '../../model/resource.js';
import { defineKind, type KindSpec, type ListOptions, type Page, type Scope } from '../types.js';
import { type ComputeClients, callCompute } from './clients.js';
import { normalizeAddress, normalizeDisk, normalizeFirewall, normalizeInstance, normalizeSnapshot } from './normalize.js';

/** The largest page Compute Engine serves (maxResults ≤ 500); a probe asks for one item. */
const PAGE_SIZE = 500;

type Json = Record<string, unknown>;

export interface GcpScopeHandle {
  project: string;
  /** --region narrows zonal and regional resources (aggregatedList always returns every location). */
  regions?: string[];
}

/** What the specs read through: the Compute clients, built once and lazily, and the per-request timeout. */
export interface GcpKindContext {
  clients(): Promise<ComputeClients>;
  timeoutMs: number;
}

function zoneRegion(region: string): string {
  return region.replace(/-[a-z]$/, '');
}

function inRegions(resource: Resource, regions: string[] | undefined): boolean {
  if (!regions || resource.region === 'global') return true;
  return regions.includes(resource.region) || regions.includes(zoneRegion(resource.region));
}

interface ComputeKind {
  kind: ResourceKind;
  client: Exclude<keyof ComputeClients, 'credentials' | 'projects'>;
  permission: string;
  /** aggregatedList: the key of each scope's list (`instances` in `{items: {'zones/x': {instances: […]}}}`). */
  aggregatedKey?: string;
  normalize(raw: Json, project: string, keepRaw: boolean): Resource;
}

const KINDS: ComputeKind[] = [
  {
    kind: 'gcp.compute.instance',
    client: 'instances',
    permission: 'compute.instances.list',
    aggregatedKey: 'instances',
    normalize: normalizeInstance,
  },
  { kind: 'gcp.compute.disk', client: 'disks', permission: 'compute.disks.list', aggregatedKey: 'disks', normalize: normalizeDisk },
  {
    kind: 'gcp.compute.address',
    client: 'addresses',
    permission: 'compute.addresses.list',
    aggregatedKey: 'addresses',
    normalize: normalizeAddress,
  },
  { kind: 'gcp.compute.snapshot', client: 'snapshots', permission: 'compute.snapshots.list', normalize: normalizeSnapshot },
  { kind: 'gcp.compute.firewall', client: 'firewalls', permission: 'compute.firewalls.list', normalize: normalizeFirewall },
];

export function computeKinds(context: GcpKindContext): KindSpec[] {
  return KINDS.map((definition) =>
    defineKind({
      cloud: 'gcp',
      kind: definition.kind,
      scopeType: 'account',
      permissions: [definition.permission],
      async listPage(scope: Scope, token: string | undefined, list: ListOptions): Promise<Page> {
        const handle = scope.handle as GcpScopeHandle;
        const client = (await context.clients())[definition.client];
        list.onRequest?.('compute');
        const request: Json = { project: handle.project, maxResults: list.probe ? 1 : PAGE_SIZE, ...(token ? { pageToken: token } : {}) };
        const method = definition.aggregatedKey ? 'aggregatedList' : 'list';
        // With autoPaginate off a page call resolves to [items, nextRequest, rawResponse].
        const response = ((await callCompute(client, method, request, list.signal, context.timeoutMs))[2] ?? {}) as Json;
        const raws: Json[] = definition.aggregatedKey
          ? Object.values((response.items as Record<string, Json> | undefined) ?? {}).flatMap((scoped) =>
              Array.isArray(scoped[definition.aggregatedKey!]) ? (scoped[definition.aggregatedKey!] as Json[]) : [],
            )
          : Array.isArray(response.items)
            ? (response.items as Json[])
            : [];
        const resources = raws
          .map((raw) => definition.normalize(raw, handle.project, list.raw))
          .filter((resource) => inRegions(resource, handle.regions));
        const next = typeof response.nextPageToken === 'string' && response.nextPageToken.length > 0 ? response.nextPageToken : undefined;
        return { resources, ...(next ? { next } : {}) };
      },
    }),
  );
}
