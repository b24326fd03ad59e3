// `guardian config test` for Azure: can the configured credential get a Resource Manager token,
// which subscriptions can it see, and can it read each kind discovery lists in each one (one probe
// per spec: its first page)? Every failed step says exactly what is missing (the AADSTS reason,
// the subscription, the RBAC operations).

import type { AzureSettings } from '../../config/profile.js';
import { isGuardianError } from '../../errors.js';
import type { Resource } from '../../model/resource.js';
import { probeSpec } from '../probe.js';
import type { Scope } from '../types.js';
import { type AzureConnection, connectAzure, resolveAzureSettings } from './connection.js';
import { classifyAzureError } from './errors.js';
import { azureKindContext, azureKinds } from './kinds.js';
import type { AzureScopeHandle } from './pages.js';

/** One check, in the same shape as the GCP report's (`subject`, `ok`, `message`). */
export interface AzureCheck {
  /** What was checked: 'configuration', 'token', 'subscriptions', 'subscription <id>'. */
  subject: string;
  ok: boolean;
  message: string;
  /** What to do about a failure. */
  hint?: string;
  /** The RBAC operations a spec's probe stands for. */
  permissions?: readonly string[];
}

export interface AzureCredentialCheck {
  cloud: 'azure';
  ok: boolean;
  /** The credential in words (never its secret). */
  source?: string;
  checks: AzureCheck[];
  /** What the probes' pages held (the face probes ask about one of them). */
  seen: Resource[];
}

export async function checkAzureCredentials(
  settings: AzureSettings,
  env: NodeJS.ProcessEnv,
  options: { signal?: AbortSignal } = {},
): Promise<AzureCredentialCheck> {
  const signal = options.signal ?? new AbortController().signal;
  const checks: AzureCheck[] = [];
  const seen: Resource[] = [];
  const result = (source?: string): AzureCredentialCheck => ({ cloud: 'azure', ok: checks.every((c) => c.ok), source, checks, seen });

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

  const kinds = azureKinds(azureKindContext(async () => conn));
  for (const id of subscriptionIds) {
    checks.push({ subject: `subscription ${id}`, ok: true, message: `subscription ${id} is enabled and readable` });
    const scope: Scope = {
      cloud: 'azure',
      type: 'account',
      account: id,
      region: 'global',
      label: `azure ${id}`,
      handle: { subscriptionId: id } satisfies AzureScopeHandle,
    };
    for (const spec of kinds) {
      const probe = await probeSpec(spec, scope, classifyAzureError, signal, seen, `subscription ${id}: ${spec.kind}`);
      const denied = probe.class === 'denied' || probe.class === 'auth';
      checks.push({
        subject: probe.subject,
        ok: probe.ok,
        permissions: spec.permissions,
        message: probe.ok
          ? `allowed: ${spec.permissions.join(', ')}`
          : denied
            ? `the identity lacks ${spec.permissions.join(', ')} on subscription ${id} (${probe.code})`
            : `listing ${spec.kind} failed: ${probe.code}: ${probe.message}`,
        ...(probe.ok ? {} : { hint: `grant it the Reader role on subscription ${id}, or a role with 'guardian config policy azure'` }),
      });
    }
  }
  return result(conn.credentialLabel);
}
