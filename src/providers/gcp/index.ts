// The GCP provider: one 'account' scope per configured project, and one KindSpec per Compute
// Engine kind, each fetching a single page through @google-cloud/compute's REST transport
// (aggregatedList where the API has it, so a project is one chain of pages per kind).

import type { GcpSettings } from '../../config/profile.js';
import type { Resource, ResourceKind } from '../../model/resource.js';
import type { CloudProvider, KindSpec, ListOptions, Page, Scope, ScopeFailure, ScopeListing } from '../types.js';
import { type ComputeClient, type ComputeClients, callCompute, createComputeClients } from './clients.js';
import { createGcpCostReader } from './costs.js';
import { classifyGcpError } from './errors.js';
import { createMonitoringReader } from './monitoring.js';
import { normalizeAddress, normalizeDisk, normalizeFirewall, normalizeInstance, normalizeSnapshot } from './normalize.js';
import { resolveGcpRelations } from './relations.js';

export { checkGcpCredentials, type GcpCredentialReport } from './check.js';
export { resolveGcpRelations };

/** The largest page Compute Engine serves (maxResults ≤ 500). */
const PAGE_SIZE = 500;
const DEFAULT_CALL_TIMEOUT_MS = 60_000;

export interface GcpProviderOptions {
  /** Per-request timeout handed to gax (the engine also aborts through the signal). */
  callTimeoutMs?: number;
  /** Start building the Compute clients at once (default true). */
  prewarm?: boolean;
}

type Json = Record<string, unknown>;

interface KindDefinition {
  kind: ResourceKind;
  client: Exclude<keyof ComputeClients, 'credentials' | 'projects'>;
  /** aggregatedList: the key of each scope's list (`instances` in `{items: {'zones/x': {instances: […]}}}`). */
  aggregatedKey?: string;
  normalize(raw: Json, project: string, keepRaw: boolean): Resource;
}

const KINDS: KindDefinition[] = [
  { kind: 'gcp.compute.instance', client: 'instances', aggregatedKey: 'instances', normalize: normalizeInstance },
  { kind: 'gcp.compute.disk', client: 'disks', aggregatedKey: 'disks', normalize: normalizeDisk },
  { kind: 'gcp.compute.address', client: 'addresses', aggregatedKey: 'addresses', normalize: normalizeAddress },
  { kind: 'gcp.compute.snapshot', client: 'snapshots', normalize: normalizeSnapshot },
  { kind: 'gcp.compute.firewall', client: 'firewalls', normalize: normalizeFirewall },
];

function zoneRegion(region: string): string {
  return region.replace(/-[a-z]$/, '');
}

interface ScopeHandle {
  project: string;
  /** --region narrows zonal and regional resources (aggregatedList always returns every location). */
  regions?: string[];
}

function inRegions(resource: Resource, regions: string[] | undefined): boolean {
  if (!regions || resource.region === 'global') return true;
  return regions.includes(resource.region) || regions.includes(zoneRegion(resource.region));
}

export function createGcpProvider(
  settings: GcpSettings,
  env: NodeJS.ProcessEnv,
  options: GcpProviderOptions = {},
): CloudProvider & { close(): Promise<void> } {
  const timeoutMs = options.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
  let clientsPromise: Promise<ComputeClients> | undefined;
  const clients = (): Promise<ComputeClients> => {
    clientsPromise ??= createComputeClients(settings, env).catch((error) => {
      // A failed load (unreadable key file…) is reported, and retried on the next call.
      clientsPromise = undefined;
      throw error;
    });
    return clientsPromise;
  };
  // Building the first Compute client parses compute's 11 MB proto descriptor (about a second of
  // CPU); start now so it overlaps the other clouds' first network round trips.
  if (settings.projects?.length && options.prewarm !== false) clients().catch(() => {});

  const kinds: KindSpec[] = KINDS.map((definition) => ({
    cloud: 'gcp',
    kind: definition.kind,
    scopeType: 'account',
    async listPage(scope: Scope, token: string | undefined, list: ListOptions): Promise<Page> {
      const handle = scope.handle as ScopeHandle;
      const client = (await clients())[definition.client];
      list.onRequest?.('compute');
      const request: Json = { project: handle.project, maxResults: PAGE_SIZE, ...(token ? { pageToken: token } : {}) };
      const method = definition.aggregatedKey ? 'aggregatedList' : 'list';
      // With autoPaginate off a page call resolves to [items, nextRequest, rawResponse].
      const response = ((await callCompute(client, method, request, list.signal, timeoutMs))[2] ?? {}) as Json;
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
  }));

  async function listScopes({ regions, signal }: { regions?: string[]; signal: AbortSignal }): Promise<ScopeListing> {
    const projects = [...new Set(settings.projects ?? [])];
    if (projects.length === 0) {
      return {
        scopes: [],
        failures: [
          {
            cloud: 'gcp',
            account: '*',
            error: {
              class: 'auth',
              code: 'NoProjects',
              message: "no GCP projects configured: set gcp.projects (e.g. 'guardian config set gcp.projects my-project')",
            },
          },
        ],
      };
    }
    let loaded: ComputeClients;
    try {
      loaded = await clients();
    } catch (error) {
      const classified = classifyGcpError(error);
      return { scopes: [], failures: projects.map((project) => ({ cloud: 'gcp', account: project, error: classified })) };
    }
    const scopes: Scope[] = [];
    const failures: ScopeFailure[] = [];
    await Promise.all(
      projects.map(async (project) => {
        try {
          // projects.get proves the credential works and the project exists before any listing runs.
          await callCompute(loaded.projects, 'get', { project }, signal, timeoutMs);
          scopes.push({
            cloud: 'gcp',
            type: 'account',
            account: project,
            region: 'global',
            label: `gcp ${project}`,
            handle: { project, regions } satisfies ScopeHandle,
          });
        } catch (error) {
          failures.push({ cloud: 'gcp', account: project, error: classifyGcpError(error) });
        }
      }),
    );
    scopes.sort((a, b) => projects.indexOf(a.account) - projects.indexOf(b.account));
    return { scopes, failures };
  }

  const metrics = createMonitoringReader(settings, env, timeoutMs);
  return {
    cloud: 'gcp',
    kinds,
    listScopes,
    classify: classifyGcpError,
    costs: createGcpCostReader(settings, env),
    metricPlan: metrics.metricPlan,
    metrics: metrics.metrics,
    async close() {
      await metrics.close();
      const loaded = await clientsPromise?.catch(() => undefined);
      if (loaded)
        await Promise.all(
          Object.entries(loaded).map(([name, client]) => (name === 'credentials' ? undefined : (client as ComputeClient).close())),
        );
    },
  };
}
