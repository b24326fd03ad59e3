// `guardian config test` for Azure: can the configured credential get a Resource Manager token,
// which subscriptions can it see, and can it read the kinds discovery lists in each one? Every
// failed step says exactly what is missing (the AADSTS reason, the subscription, the permission).

import type { AzureSettings } from '../../config/profile.js';
import { isGuardianError } from '../../errors.js';
import { type AzureConnection, connectAzure, resolveAzureSettings } from './connection.js';
import { classifyAzureError } from './errors.js';

/** One check, in the same shape as the GCP report's (`subject`, `ok`, `message`). */
export interface AzureCheck {
  /** What was checked: 'configuration', 'token', 'subscriptions', 'subscription <id>'. */
  subject: string;
  ok: boolean;
  message: string;
  /** What to do about a failure. */
  hint?: string;
}

export interface AzureCredentialCheck {
  cloud: 'azure';
  ok: boolean;
  /** The credential in words (never its secret). */
  source?: string;
  checks: AzureCheck[];
}

/** The read permission each probe needs, for the message when ARM says 403. */
const PROBES = [
  { what: 'virtual machines', permission: 'Microsoft.Compute/virtualMachines/read' },
  { what: 'network security groups', permission: 'Microsoft.Network/networkSecurityGroups/read' },
] as const;

async function probe(conn: AzureConnection, subscriptionId: string, which: (typeof PROBES)[number], signal: AbortSignal): Promise<void> {
  await conn.withSignal(signal, async () => {
    if (which.permission.startsWith('Microsoft.Compute')) {
      const client = await conn.compute(subscriptionId);
      await client.virtualMachines.listAll({ abortSignal: signal }).byPage().next();
    } else {
      const client = await conn.network(subscriptionId);
      await client.networkSecurityGroups.listAll({ abortSignal: signal }).byPage().next();
    }
  });
}

export async function checkAzureCredentials(
  settings: AzureSettings,
  env: NodeJS.ProcessEnv,
  options: { signal?: AbortSignal } = {},
): Promise<AzureCredentialCheck> {
  const signal = options.signal ?? new AbortController().signal;
  const checks: AzureCheck[] = [];
  const result = (source?: string): AzureCredentialCheck => ({ cloud: 'azure', ok: checks.every((c) => c.ok), source, checks });

  let conn: AzureConnection;
  try {
    conn = await connectAzure(resolveAzureSettings(settings, env));
  } catch (error) {
    if (!isGuardianError(error)) throw error;
    checks.push({ subject: 'configuration', ok: false, message: error.message, hint: error.hint });
    return result();
  }

  try {
    const token = await conn.credential.getToken(conn.scope, { abortSignal: signal });
    if (!token) throw new Error('the credential returned no token');
    checks.push({ subject: 'token', ok: true, message: `got a Resource Manager token (${conn.scope}) with ${conn.credentialLabel}` });
  } catch (error) {
    const classified = classifyAzureError(error);
    // An authority MSAL could not resolve has already been asked why (authority.ts).
    const reason = classified.message;
    checks.push({
      subject: 'token',
      ok: false,
      message: `no Resource Manager token (${conn.scope}) with ${conn.credentialLabel}: ${reason}`,
      hint:
        settings.auth === 'client-secret'
          ? 'check azure.tenantId, azure.clientId and the client secret (the secret value, not its id)'
          : 'sign in with az login, or set AZURE_TENANT_ID/AZURE_CLIENT_ID/AZURE_CLIENT_SECRET, or configure auth client-secret',
    });
    return result(conn.credentialLabel);
  }

  const client = await conn.subscriptions();
  let subscriptionIds: string[];
  if (conn.subscriptionIds) {
    subscriptionIds = [];
    for (const id of conn.subscriptionIds) {
      try {
        const subscription = await conn.withSignal(signal, () => client.subscriptions.get(id, { abortSignal: signal }));
        if (subscription.state === 'Disabled' || subscription.state === 'Deleted') {
          checks.push({ subject: `subscription ${id}`, ok: false, message: `subscription ${id} is ${subscription.state}` });
        } else {
          subscriptionIds.push(id);
        }
      } catch (error) {
        const classified = classifyAzureError(error);
        checks.push({
          subject: `subscription ${id}`,
          ok: false,
          message:
            classified.class === 'not-found' || classified.class === 'denied'
              ? `subscription ${id} does not exist or this identity has no role on it (${classified.code})`
              : `subscription ${id} could not be read: ${classified.message}`,
          hint: `grant the identity the Reader role on subscription ${id}, or remove it from azure.subscriptions`,
        });
      }
    }
  } else {
    try {
      subscriptionIds = [];
      await conn.withSignal(signal, async () => {
        for await (const subscription of client.subscriptions.list({ abortSignal: signal })) {
          if (subscription.subscriptionId && subscription.state !== 'Disabled' && subscription.state !== 'Deleted')
            subscriptionIds.push(subscription.subscriptionId);
        }
      });
      checks.push(
        subscriptionIds.length > 0
          ? { subject: 'subscriptions', ok: true, message: `the identity can see ${subscriptionIds.length} enabled subscription(s)` }
          : {
              subject: 'subscriptions',
              ok: false,
              message: 'the identity can see no enabled subscription',
              hint: 'grant it the Reader role on a subscription, or name the subscriptions in azure.subscriptions',
            },
      );
    } catch (error) {
      checks.push({ subject: 'subscriptions', ok: false, message: `listing subscriptions failed: ${classifyAzureError(error).message}` });
      return result(conn.credentialLabel);
    }
  }

  for (const id of subscriptionIds) {
    const missing: string[] = [];
    let failure: string | undefined;
    for (const which of PROBES) {
      try {
        await probe(conn, id, which, signal);
      } catch (error) {
        const classified = classifyAzureError(error);
        if (classified.class === 'denied' || classified.class === 'auth') missing.push(which.permission);
        else failure ??= `listing ${which.what} failed: ${classified.message}`;
      }
    }
    if (missing.length > 0) {
      checks.push({
        subject: `subscription ${id}`,
        ok: false,
        message: `the identity lacks ${missing.join(' and ')} on subscription ${id}`,
        hint: `grant it the Reader role on subscription ${id}`,
      });
    } else if (failure) {
      checks.push({ subject: `subscription ${id}`, ok: false, message: failure });
    } else {
      checks.push({ subject: `subscription ${id}`, ok: true, message: `can list ${PROBES.map((p) => p.what).join(' and ')}` });
    }
  }
  return result(conn.credentialLabel);
}
