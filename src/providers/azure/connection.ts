// How Guardian reaches Azure for one profile: the credential the profile asks for, the ARM
// endpoint and the token scope that goes with it, TLS trust for private endpoints, and one set of
// SDK clients per subscription, all with SDK retries off (the discovery engine retries).

import { AsyncLocalStorage } from 'node:async_hooks';
import { readFileSync } from 'node:fs';
import type { ComputeManagementClient } from '@azure/arm-compute';
import type { MonitorClient } from '@azure/arm-monitor';
import type { NetworkManagementClient } from '@azure/arm-network';
import type { SubscriptionClient } from '@azure/arm-resources-subscriptions';
import type { TokenCredential } from '@azure/core-auth';
import type { PipelinePolicy } from '@azure/core-rest-pipeline';
import type { AzureSettings } from '../../config/profile.js';
import { ConfigError } from '../../errors.js';
import { diagnosingCredential } from './authority.js';

export const PUBLIC_ARM_ENDPOINT = 'https://management.azure.com';

export interface AzureConnection {
  credential: TokenCredential;
  /** What the credential is, for messages ("client secret for app … in tenant …"). */
  credentialLabel: string;
  endpoint: string;
  /** The token scope Resource Manager at `endpoint` accepts. */
  scope: string;
  authorityHost?: string;
  tenantId?: string;
  /** Subscriptions the profile names; undefined: every one the credential can see. */
  subscriptionIds?: string[];
  compute(subscriptionId: string): Promise<ComputeManagementClient>;
  network(subscriptionId: string): Promise<NetworkManagementClient>;
  monitor(subscriptionId: string): Promise<MonitorClient>;
  subscriptions(): Promise<SubscriptionClient>;
  /** Run `fn` so that every request it sends carries `signal` (see signalPolicy). */
  withSignal<T>(signal: AbortSignal, fn: () => Promise<T>): Promise<T>;
}

const trimSlash = (value: string) => value.replace(/\/+$/, '');

/**
 * The modular SDKs (@azure/arm-compute 24) fetch nextLink pages with no request options, so an
 * AbortSignal given to `listAll()` never reaches page two. This policy gives every request that
 * has no signal the one of the listing that started it, carried in async context.
 */
function signalPolicy(storage: AsyncLocalStorage<AbortSignal>): PipelinePolicy {
  return {
    name: 'guardianAbortSignal',
    sendRequest(request, next) {
      const signal = storage.getStore();
      if (signal && !request.abortSignal) request.abortSignal = signal;
      return next(request);
    },
  };
}

function readCa(settings: AzureSettings): string | undefined {
  if (!settings.caFile) return undefined;
  try {
    return readFileSync(settings.caFile, 'utf8');
  } catch (error) {
    throw new ConfigError(
      `azure.caFile '${settings.caFile}' cannot be read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      {
        hint: "point 'azure.caFile' at the PEM certificate of the CA that signs the endpoint",
      },
    );
  }
}

/** A profile's Azure settings with the environment's fallbacks applied and checked. */
export interface ResolvedAzureSettings {
  auth: NonNullable<AzureSettings['auth']>;
  tenantId?: string;
  clientId?: string;
  clientSecret?: string;
  endpoint: string;
  scope: string;
  authorityHost?: string;
  ca?: string;
  subscriptions?: string[];
}

/**
 * Apply the environment's fallbacks and check the profile is complete. Throws ConfigError (exit 3)
 * before any network call when it is not (a client-secret profile without a secret, an unreadable CA).
 */
export function resolveAzureSettings(settings: AzureSettings, env: NodeJS.ProcessEnv): ResolvedAzureSettings {
  const auth = settings.auth ?? 'default';
  const endpoint = trimSlash(settings.endpoint ?? PUBLIC_ARM_ENDPOINT);
  const resolved: ResolvedAzureSettings = {
    auth,
    tenantId: settings.tenantId ?? env.AZURE_TENANT_ID,
    clientId: settings.clientId ?? env.AZURE_CLIENT_ID,
    endpoint,
    scope: `${endpoint}/.default`,
    authorityHost: settings.authorityHost ?? env.AZURE_AUTHORITY_HOST,
    ca: readCa(settings),
    subscriptions: settings.subscriptions?.length ? settings.subscriptions : undefined,
  };
  if (auth === 'client-secret') {
    resolved.clientSecret = settings.clientSecret ?? env.AZURE_CLIENT_SECRET;
    const missing = [
      !resolved.tenantId && 'tenantId (or AZURE_TENANT_ID)',
      !resolved.clientId && 'clientId (or AZURE_CLIENT_ID)',
      !resolved.clientSecret && 'a client secret (azure.clientSecret or AZURE_CLIENT_SECRET)',
    ].filter(Boolean);
    if (missing.length > 0) {
      throw new ConfigError(`azure auth 'client-secret' needs ${missing.join(', ')}`, {
        hint: "set them with 'guardian config set', or use auth 'default' to take the Azure SDK's credential chain",
      });
    }
  }
  return resolved;
}

/** Build the credential and the per-subscription client factories (SDKs load here, lazily). */
/**
 * A credential that is built anew after Entra answers "try again". MSAL remembers a 429 or 5xx
 * from the token endpoint and refuses the same request, without asking, for the Retry-After it was
 * given or else 60 seconds (msal-common ThrottlingUtils, DEFAULT_THROTTLE_TIME_SECONDS), so every
 * retry Guardian made inside that window failed with the first answer. Guardian owns retries and
 * their backoff (as the SDK retries are off); a fresh MSAL client makes the next attempt a real one.
 */
function renewingCredential(create: () => TokenCredential): TokenCredential {
  let inner = create();
  return {
    async getToken(scopes, options) {
      try {
        return await inner.getToken(scopes, options);
      } catch (error) {
        if (error instanceof Error && ENTRA_TRY_AGAIN.test(error.message)) inner = create();
        throw error;
      }
    },
  };
}

/** Entra's "try again" answers (5xx, AADSTS90033, temporarily_unavailable, a request-loop 429). */
const ENTRA_TRY_AGAIN = /temporarily_unavailable|AADSTS90033|AADSTS50196/;

export async function connectAzure(resolved: ResolvedAzureSettings): Promise<AzureConnection> {
  const identity = await import('@azure/identity');
  const { ca, endpoint, scope, authorityHost, tenantId, clientId } = resolved;
  // The pipeline options every client and credential shares: retries are the engine's job, and a
  // private CA is trusted through the supported tlsOptions (never by disabling verification).
  const pipeline = { retryOptions: { maxRetries: 0 }, ...(ca ? { tlsOptions: { ca } } : {}) };
  // MSAL's instance discovery asks login.microsoftonline.com about the authority: pointless (and
  // unreachable) for a private authority host, so it is skipped whenever one is configured.
  const authority = authorityHost ? { authorityHost, disableInstanceDiscovery: true } : {};

  let create: () => TokenCredential;
  let credentialLabel: string;
  switch (resolved.auth) {
    case 'client-secret':
      create = () => new identity.ClientSecretCredential(tenantId!, clientId!, resolved.clientSecret!, { ...pipeline, ...authority });
      credentialLabel = `client secret of app ${clientId} in tenant ${tenantId}`;
      break;
    case 'cli':
      create = () => new identity.AzureCliCredential({ ...(tenantId ? { tenantId } : {}) });
      credentialLabel = "the Azure CLI's login (az login)";
      break;
    case 'managed-identity':
      create = () => new identity.ManagedIdentityCredential({ ...pipeline, ...(clientId ? { clientId } : {}) });
      credentialLabel = clientId ? `managed identity ${clientId}` : 'the system-assigned managed identity';
      break;
    default:
      // DefaultAzureCredential reads AZURE_CLIENT_ID/AZURE_TENANT_ID/AZURE_CLIENT_SECRET, workload
      // identity, managed identity and the developer logins from the process environment itself.
      create = () => new identity.DefaultAzureCredential({ ...pipeline, ...authority, ...(tenantId ? { tenantId } : {}) });
      credentialLabel = 'the Azure SDK default credential chain (environment, workload identity, managed identity, az login)';
  }

  const credential = diagnosingCredential(renewingCredential(create), { authorityHost, tenantId, ca });
  const storage = new AsyncLocalStorage<AbortSignal>();
  const clientOptions = {
    endpoint,
    ...pipeline,
    additionalPolicies: [{ policy: signalPolicy(storage), position: 'perCall' as const }],
  };
  const computeClients = new Map<string, ComputeManagementClient>();
  const networkClients = new Map<string, NetworkManagementClient>();
  const monitorClients = new Map<string, MonitorClient>();
  let subscriptionClient: SubscriptionClient | undefined;

  return {
    credential,
    credentialLabel,
    endpoint,
    scope,
    authorityHost,
    tenantId,
    subscriptionIds: resolved.subscriptions,
    async compute(subscriptionId) {
      let client = computeClients.get(subscriptionId);
      if (!client) {
        const { ComputeManagementClient } = await import('@azure/arm-compute');
        // The modular client asks for management.azure.com tokens unless told otherwise.
        client = new ComputeManagementClient(credential, subscriptionId, { ...clientOptions, credentials: { scopes: [scope] } });
        computeClients.set(subscriptionId, client);
      }
      return client;
    },
    async network(subscriptionId) {
      let client = networkClients.get(subscriptionId);
      if (!client) {
        const { NetworkManagementClient } = await import('@azure/arm-network');
        client = new NetworkManagementClient(credential, subscriptionId, { ...clientOptions, credentialScopes: [scope] });
        networkClients.set(subscriptionId, client);
      }
      return client;
    },
    async monitor(subscriptionId) {
      let client = monitorClients.get(subscriptionId);
      if (!client) {
        const { MonitorClient } = await import('@azure/arm-monitor');
        client = new MonitorClient(credential, subscriptionId, { ...clientOptions, credentialScopes: [scope] });
        monitorClients.set(subscriptionId, client);
      }
      return client;
    },
    async subscriptions() {
      if (!subscriptionClient) {
        const { SubscriptionClient } = await import('@azure/arm-resources-subscriptions');
        subscriptionClient = new SubscriptionClient(credential, { ...clientOptions, credentialScopes: [scope] });
      }
      return subscriptionClient;
    },
    withSignal: (signal, fn) => storage.run(signal, fn),
  };
}
