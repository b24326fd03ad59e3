// `guardian config test` for AWS: for each configured identity, whether credentials resolve, which
// account they reach, and whether each permission discovery relies on is granted — one probe per
// scope step and per spec (its first page, as small as the API allows), each naming its actions.

import type { AwsSettings } from '../../config/profile.js';
import type { Resource } from '../../model/resource.js';
import { type PermissionProbe, probe, probeSpec } from '../probe.js';
import type { Scope } from '../types.js';
import { classifyAwsError } from './errors.js';
import { awsKinds } from './kinds.js';
import { type AwsScopeHandle, callerAccount, enabledRegions, organizationAccounts } from './scopes.js';
import { AwsClients, type AwsProviderOptions, baseSessions } from './session.js';

export type AwsPermissionCheck = PermissionProbe;

export interface AwsCredentialCheck {
  /** Profile name, 'environment' (AWS_ACCESS_KEY_ID…) or the AWS_PROFILE / 'default' chain. */
  profile: string;
  ok: boolean;
  account?: string;
  arn?: string;
  /** Set when the credentials themselves are missing or rejected. */
  problem?: string;
  checks: AwsPermissionCheck[];
  /** What the probes' pages held (the face probes ask about one of them). */
  seen: Resource[];
}

export async function checkAwsCredentials(
  settings: AwsSettings,
  env: NodeJS.ProcessEnv,
  options: AwsProviderOptions & { signal?: AbortSignal } = {},
): Promise<AwsCredentialCheck[]> {
  const clients = new AwsClients(settings, env, { requestTimeoutMs: 15_000, connectionTimeoutMs: 5_000, ...options });
  const signal = options.signal ?? new AbortController().signal;
  try {
    return await Promise.all(
      baseSessions(settings, env).map(async (session): Promise<AwsCredentialCheck> => {
        try {
          await session.credentials();
        } catch (error) {
          const { code, message } = classifyAwsError(error);
          return { profile: session.label, ok: false, problem: `no usable credentials (${code}): ${message}`, checks: [], seen: [] };
        }
        let identity: { account: string; arn: string };
        try {
          identity = await callerAccount(clients, session, signal);
        } catch (error) {
          const { code, message } = classifyAwsError(error);
          return {
            profile: session.label,
            ok: false,
            problem: `credentials rejected by sts:GetCallerIdentity (${code}): ${message}`,
            checks: [{ subject: 'sts:GetCallerIdentity', permissions: ['sts:GetCallerIdentity'], ok: false, code, message }],
            seen: [],
          };
        }
        const region = clients.globalRegion;
        const checks: AwsPermissionCheck[] = [{ subject: 'sts:GetCallerIdentity', permissions: ['sts:GetCallerIdentity'], ok: true }];
        checks.push(
          await probe('ec2:DescribeRegions', ['ec2:DescribeRegions'], classifyAwsError, () => enabledRegions(clients, session, signal)),
        );
        const scope: Scope = {
          cloud: 'aws',
          type: 'region',
          account: identity.account,
          region,
          label: `aws ${identity.account} ${region}`,
          handle: { session } satisfies AwsScopeHandle,
        };
        const seen: Resource[] = [];
        for (const spec of awsKinds(clients)) checks.push(await probeSpec(spec, scope, classifyAwsError, signal, seen));
        if (settings.assumeRole) {
          let members: string[] = [];
          checks.push(
            await probe('organizations:ListAccounts', ['organizations:ListAccounts'], classifyAwsError, async () => {
              members = (await organizationAccounts(clients, session, signal))
                .map((account) => account.Id ?? '')
                .filter((id) => id && id !== identity.account && (!settings.accounts?.length || settings.accounts.includes(id)));
            }),
          );
          if (members.length > 0) {
            checks.push(
              await probe(`sts:AssumeRole ${settings.assumeRole} in ${members[0]}`, ['sts:AssumeRole'], classifyAwsError, () =>
                clients.assumedSession(session, members[0], settings.assumeRole!).credentials(),
              ),
            );
          }
        }
        return {
          profile: session.label,
          ok: checks.every((check) => check.ok),
          account: identity.account,
          arn: identity.arn,
          checks,
          seen,
        };
      }),
    );
  } finally {
    clients.destroy();
  }
}
