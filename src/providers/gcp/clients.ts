// The Compute Engine clients Guardian uses, built once per provider over one credential, and
// the single raw call every listing goes through (retries off, timeout, AbortSignal → cancel).

import type { GcpSettings } from '../../config/profile.js';
import { type GcpCredentials, resolveGcpCredentials } from './credentials.js';

type Json = Record<string, unknown>;

/** gax's low-level page call: resolves to [items, nextRequest, rawResponse] and can be cancelled. */
type PageCall = (request: Json, options: Json) => Promise<[unknown, unknown, Json | undefined]> & { cancel?: () => void };

export interface ComputeClient {
  initialize(): Promise<unknown>;
  innerApiCalls: Record<string, unknown>;
  close(): Promise<void>;
}

export interface ComputeClients {
  instances: ComputeClient;
  disks: ComputeClient;
  addresses: ComputeClient;
  snapshots: ComputeClient;
  firewalls: ComputeClient;
  projects: ComputeClient;
  credentials: GcpCredentials;
}

/** `settings.endpoint` as gax wants it: host, port and protocol separately. */
export function endpointOptions(endpoint: string | undefined): Json {
  if (!endpoint) return {};
  const url = new URL(/^[a-z]+:\/\//i.test(endpoint) ? endpoint : `https://${endpoint}`);
  const protocol = url.protocol.replace(':', '');
  const port = url.port ? Number(url.port) : protocol === 'http' ? 80 : 443;
  return { apiEndpoint: url.hostname, port, protocol };
}

/**
 * Load the six clients. The package index pulls in ~100 clients (seconds of start-up), so each
 * client module is imported on its own; they share one proto root and one credential.
 */
export async function createComputeClients(settings: GcpSettings, env: NodeJS.ProcessEnv): Promise<ComputeClients> {
  const credentials = await resolveGcpCredentials(settings, env);
  const [instances, disks, addresses, snapshots, firewalls, projects] = await Promise.all([
    import('@google-cloud/compute/build/src/v1/instances_client.js'),
    import('@google-cloud/compute/build/src/v1/disks_client.js'),
    import('@google-cloud/compute/build/src/v1/addresses_client.js'),
    import('@google-cloud/compute/build/src/v1/snapshots_client.js'),
    import('@google-cloud/compute/build/src/v1/firewalls_client.js'),
    import('@google-cloud/compute/build/src/v1/projects_client.js'),
  ]);
  const options = { auth: credentials.auth, fallback: true, ...endpointOptions(settings.endpoint) } as never;
  const clients = {
    instances: new instances.InstancesClient(options),
    disks: new disks.DisksClient(options),
    addresses: new addresses.AddressesClient(options),
    snapshots: new snapshots.SnapshotsClient(options),
    firewalls: new firewalls.FirewallsClient(options),
    projects: new projects.ProjectsClient(options),
  } as unknown as Omit<ComputeClients, 'credentials'>;
  await Promise.all(Object.values(clients).map((client) => client.initialize()));
  return { ...clients, credentials };
}

/**
 * One raw call with gax retries off (the engine retries), a timeout, and the AbortSignal wired to
 * gax's cancel (which aborts the underlying fetch).
 */
export async function callCompute(
  client: ComputeClient,
  method: string,
  request: Json,
  signal: AbortSignal,
  timeoutMs: number,
): Promise<unknown[]> {
  signal.throwIfAborted();
  const call = (client.innerApiCalls[method] as PageCall)(request, { autoPaginate: false, retry: null, timeout: timeoutMs });
  const cancel = () => call.cancel?.();
  signal.addEventListener('abort', cancel, { once: true });
  try {
    const result = await call;
    signal.throwIfAborted();
    return Array.isArray(result) ? result : [result];
  } finally {
    signal.removeEventListener('abort', cancel);
  }
}
