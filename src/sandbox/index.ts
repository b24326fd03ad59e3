// Starts the sandbox cloud: generates the estate, registers every cloud's service modules on one
// SandboxServer, and opens two loopback listeners — plain HTTP for AWS and GCP, HTTPS (with a
// freshly generated CA) for Azure, whose SDK pipeline refuses bearer tokens over HTTP.

import { UsageError } from '../errors.js';
import { services as awsServices } from './aws/index.js';
import { services as azureServices } from './azure/index.js';
import { SANDBOX_DEFAULTS } from './defaults.js';
import { type CostSeriesManifest, costManifest } from './estate/costs.js';
import { generateEstate } from './estate/generate.js';
import type { Estate } from './estate/types.js';
import { services as gcpServices } from './gcp/index.js';
import { buildManifest, type SandboxManifest } from './manifest.js';
import { cachedCostSeries, cachedResourceBilling } from './server/cost-series.js';
import { FaultInjector, type FaultOptions, type FaultStats } from './server/faults.js';
import { SandboxServer } from './server/server.js';
import { EstateStore } from './server/store.js';
import { createSandboxTls } from './server/tls.js';
import type { SandboxService } from './server/types.js';

export { SANDBOX_DEFAULTS } from './defaults.js';

export interface SandboxOptions {
  seed?: number;
  size?: number;
  /** The estate's day (YYYY-MM-DD); default today UTC. */
  now?: string;
  faults?: FaultOptions;
  /** Port of the plain-HTTP listener (AWS, GCP); 0 or absent: an ephemeral port. */
  port?: number;
  /** Port of the HTTPS listener (Azure); 0 or absent: an ephemeral port. */
  azurePort?: number;
  host?: string;
  /** Use an estate built elsewhere instead of generating one (tests). */
  estate?: Estate;
  /** The clock pending changes settle by (ms since the epoch; tests step it). */
  clock?: () => number;
  /** How long each stage of an asynchronous change takes (snapshot pending, instance stopping…), ms. */
  settleMs?: number;
  /** Serve Cost Explorer's resource-level data (default true); false answers as an account that has not opted in. */
  resourceLevelData?: boolean;
}

export interface Sandbox {
  estate: Estate;
  /** The estate's resources as they change under mutating calls. */
  store: EstateStore;
  server: SandboxServer;
  /** http://127.0.0.1:PORT — the AWS services (routed by the SigV4 scope) and GCP. */
  awsOrigin: string;
  gcpOrigin: string;
  /** https://127.0.0.1:PORT — Entra ID (authorityHost) and Resource Manager (endpoint). */
  azureOrigin: string;
  /** The CA that signed the HTTPS listener's certificate. */
  caPem: string;
  /** The ground truth as the estate is now (rebuilt after each change). */
  manifest(): SandboxManifest;
  faultStats(): FaultStats;
  close(): Promise<void>;
}

/** Every cloud service module, in routing order (the first whose `matches` accepts a request serves it). */
export function sandboxServices(): SandboxService[] {
  return [...awsServices, ...gcpServices, ...azureServices];
}

/** The services each cloud's endpoint serves, by module name ('ec2', 'sts'…): what the banner may claim. */
export function servedServices(services: SandboxService[] = sandboxServices()): Record<'aws' | 'azure' | 'gcp', string[]> {
  const served: Record<'aws' | 'azure' | 'gcp', string[]> = { aws: [], azure: [], gcp: [] };
  for (const { name } of services) {
    const dot = name.indexOf('.');
    const cloud = name.slice(0, dot) as keyof typeof served;
    const service = name.slice(dot + 1);
    if (!served[cloud]?.includes(service)) served[cloud]?.push(service);
  }
  return served;
}

export async function createSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const seed = options.seed ?? SANDBOX_DEFAULTS.seed;
  const tls = createSandboxTls();
  const estate = options.estate ?? generateEstate({ seed, size: options.size ?? SANDBOX_DEFAULTS.size, now: options.now });
  const faults = new FaultInjector({ seed: estate.seed, ...options.faults });
  const store = new EstateStore(estate, {
    clock: options.clock,
    settleMs: options.settleMs,
    resourceLevelData: options.resourceLevelData,
  });
  const server = new SandboxServer(store, sandboxServices());
  if (faults.active) server.intercept(faults.intercept);
  const host = options.host ?? '127.0.0.1';
  const { caPem, certPem, keyPem } = await tls;
  let httpOrigin: string;
  let azureOrigin: string;
  try {
    httpOrigin = await server.listen({ host, port: options.port ?? 0 });
    azureOrigin = await server.listen({ host, port: options.azurePort ?? 0, tls: { key: keyPem, cert: certPem } });
  } catch (error) {
    await server.close();
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL') {
      const port = (error as { port?: number }).port;
      throw new UsageError(`cannot listen on ${host}:${port ?? '?'}: ${code === 'EADDRINUSE' ? 'the port is in use' : code}`, {
        hint: 'choose another --port / --azure-port, or 0 for any free port',
      });
    }
    throw error;
  }
  let manifest: SandboxManifest | undefined;
  let costs: CostSeriesManifest | undefined;
  let closing: Promise<void> | undefined;
  return {
    estate,
    store,
    server,
    awsOrigin: httpOrigin,
    gcpOrigin: httpOrigin,
    azureOrigin,
    caPem,
    manifest: () => {
      store.settle();
      if (manifest?.version !== store.version) {
        costs ??= costManifest(cachedCostSeries(server.state));
        manifest = buildManifest(estate, {
          version: store.version,
          costs,
          resourceBilling: cachedResourceBilling(server.state),
          resourceLevelData: store.resourceLevelData,
        });
      }
      return manifest;
    },
    faultStats: () => ({ ...faults.stats }),
    close: () => {
      closing ??= (async () => {
        // Held outage requests are released first, or their sockets would keep close() waiting.
        faults.release();
        await server.close();
      })();
      return closing;
    },
  };
}
