// The GCP provider: one 'account' scope per configured project, and the KindSpecs of its service
// files (compute.ts); its faces read the BigQuery billing export and Cloud Monitoring, and make
// optimize --apply's changes (changes.ts, over a read-write credential of its own).

import type { GcpSettings } from '../../config/profile.js';
import { type CloudProvider, catalogOf, type PermissionCatalog, type Scope, type ScopeFailure, type ScopeListing } from '../types.js';
import { CHANGE_PERMISSIONS, createGcpChanges } from './changes.js';
import { type ComputeClient, type ComputeClients, callCompute, createComputeClients } from './clients.js';
import type { GcpKindContext, GcpScopeHandle } from './compute.js';
import { COST_PERMISSIONS, createGcpCostReader } from './costs.js';
import { classifyGcpError } from './errors.js';
import { gcpKinds } from './kinds.js';
import { createMonitoringReader, METRIC_PERMISSIONS } from './monitoring.js';
import { resolveGcpRelations } from './relations.js';

export { checkGcpCredentials, type GcpCredentialReport } from './check.js';
export { gcpKinds } from './kinds.js';
export { resolveGcpRelations };

const DEFAULT_CALL_TIMEOUT_MS = 60_000;

/** projects.get proves each configured project exists and the credential reaches it. */
const SCOPE_PERMISSIONS = ['compute.projects.get'];

export interface GcpProviderOptions {
  /** Per-request timeout handed to gax (the engine also aborts through the signal). */
  callTimeoutMs?: number;
  /** Start building the Compute clients at once (default true). */
  prewarm?: boolean;
}

/** What the GCP provider needs to be allowed (no credentials, no network: the context is never called). */
export function gcpPermissions(): PermissionCatalog {
  const unused: GcpKindContext = { clients: () => Promise.reject(new Error('the permission catalog makes no calls')), timeoutMs: 0 };
  return catalogOf('gcp', gcpKinds(unused), SCOPE_PERMISSIONS, {
    costs: COST_PERMISSIONS,
    metrics: METRIC_PERMISSIONS,
    changes: CHANGE_PERMISSIONS,
  });
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

  const kinds = gcpKinds({ clients, timeoutMs });

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
            handle: { project, regions } satisfies GcpScopeHandle,
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
  const changes = createGcpChanges(settings, env, timeoutMs);
  return {
    cloud: 'gcp',
    kinds,
    listScopes,
    classify: classifyGcpError,
    costs: createGcpCostReader(settings, env),
    metricPlan: metrics.metricPlan,
    metrics: metrics.metrics,
    changes,
    async close() {
      await Promise.all([metrics.close(), changes.close()]);
      const loaded = await clientsPromise?.catch(() => undefined);
      if (loaded)
        await Promise.all(
          Object.entries(loaded).map(([name, client]) => (name === 'credentials' ? undefined : (client as ComputeClient).close())),
        );
    },
  };
}
