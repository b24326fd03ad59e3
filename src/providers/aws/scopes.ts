// Resolves which accounts and regions the AWS provider covers: each configured identity's account
// (GetCallerIdentity), optionally every Organizations member account through an assumed role, and
// each account's enabled regions (DescribeRegions). Failures become ScopeFailures, never throws.

import { DescribeRegionsCommand } from '@aws-sdk/client-ec2';
import { type Account, ListAccountsCommand } from '@aws-sdk/client-organizations';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import type { AwsSettings } from '../../config/profile.js';
import type { ClassifiedError, Scope, ScopeFailure, ScopeListing } from '../types.js';
import { classifyAwsError } from './errors.js';
import type { AwsClients, AwsSession } from './session.js';

/**
 * What listing scopes calls: each identity's account (GetCallerIdentity) and enabled regions;
 * with an organisation role, the organisation's members and the role assumed into each.
 */
export function awsScopePermissions(settings: AwsSettings): string[] {
  return ['sts:GetCallerIdentity', 'ec2:DescribeRegions', ...(settings.assumeRole ? ['organizations:ListAccounts', 'sts:AssumeRole'] : [])];
}

export interface AwsScopeHandle {
  session: AwsSession;
}

function failure(account: string, error: unknown, context: string, region?: string): ScopeFailure {
  const classified: ClassifiedError = classifyAwsError(error);
  return { cloud: 'aws', account, ...(region ? { region } : {}), error: { ...classified, message: `${context}: ${classified.message}` } };
}

export async function callerAccount(
  clients: AwsClients,
  session: AwsSession,
  signal: AbortSignal,
): Promise<{ account: string; arn: string }> {
  const identity = await clients
    .client('sts', session, clients.globalRegion)
    .send(new GetCallerIdentityCommand({}), { abortSignal: signal });
  return { account: identity.Account ?? '', arn: identity.Arn ?? '' };
}

export async function organizationAccounts(clients: AwsClients, session: AwsSession, signal: AbortSignal): Promise<Account[]> {
  const client = clients.client('organizations', session, clients.globalRegion);
  const accounts: Account[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(new ListAccountsCommand({ MaxResults: 20, NextToken: token }), { abortSignal: signal });
    accounts.push(...(page.Accounts ?? []));
    token = page.NextToken || undefined;
  } while (token);
  return accounts;
}

export async function enabledRegions(clients: AwsClients, session: AwsSession, signal: AbortSignal): Promise<string[]> {
  const answer = await clients.client('ec2', session, clients.globalRegion).send(new DescribeRegionsCommand({}), { abortSignal: signal });
  return (answer.Regions ?? [])
    .filter((region) => region.OptInStatus !== 'not-opted-in')
    .flatMap((region) => (region.RegionName ? [region.RegionName] : []));
}

export async function listAwsScopes(
  clients: AwsClients,
  settings: AwsSettings,
  sessions: AwsSession[],
  options: { regions?: string[]; signal: AbortSignal },
): Promise<ScopeListing> {
  const failures: ScopeFailure[] = [];
  const wantedAccounts = settings.accounts && settings.accounts.length > 0 ? new Set(settings.accounts) : undefined;
  // The account sessions to cover, one per account (the first identity that reaches it wins).
  const accounts = new Map<string, AwsSession>();

  await Promise.all(
    sessions.map(async (session) => {
      let own: string;
      try {
        own = (await callerAccount(clients, session, options.signal)).account;
      } catch (error) {
        failures.push(failure(session.label, error, `AWS profile ${session.label}`));
        return;
      }
      if (!settings.assumeRole) {
        if (!wantedAccounts || wantedAccounts.has(own)) if (!accounts.has(own)) accounts.set(own, session);
        return;
      }
      if (!wantedAccounts || wantedAccounts.has(own)) if (!accounts.has(own)) accounts.set(own, session);
      let members: Account[];
      try {
        members = await organizationAccounts(clients, session, options.signal);
      } catch (error) {
        failures.push(failure(own, error, `AWS Organizations ListAccounts with profile ${session.label}`));
        return;
      }
      await Promise.all(
        members
          .filter((member) => member.Id && member.Id !== own && (member.Status ?? member.State) === 'ACTIVE')
          .filter((member) => !wantedAccounts || wantedAccounts.has(member.Id!))
          .map(async (member) => {
            const id = member.Id!;
            if (accounts.has(id)) return;
            const assumed = clients.assumedSession(session, id, settings.assumeRole!);
            try {
              // Assume once now so a refused role is reported as this account's failure up front.
              await assumed.credentials();
              if (!accounts.has(id)) accounts.set(id, assumed);
            } catch (error) {
              failures.push(failure(id, error, `AssumeRole ${settings.assumeRole} into ${id}`));
            }
          }),
      );
    }),
  );

  const filters = [settings.regions, options.regions].filter((list): list is string[] => Boolean(list && list.length > 0));
  const scopes: Scope[] = [];
  const ordered = [...accounts.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const regional = await Promise.all(
    ordered.map(async ([account, session]) => {
      try {
        return { account, session, regions: await enabledRegions(clients, session, options.signal) };
      } catch (error) {
        failures.push(failure(account, error, `DescribeRegions in ${account}`));
        return undefined;
      }
    }),
  );
  for (const entry of regional) {
    if (!entry) continue;
    const { account, session } = entry;
    const regions = entry.regions.filter((region) => filters.every((list) => list.includes(region)));
    scopes.push({
      cloud: 'aws',
      type: 'account',
      account,
      region: 'global',
      label: `aws ${account} global`,
      handle: { session } satisfies AwsScopeHandle,
    });
    for (const region of regions) {
      scopes.push({
        cloud: 'aws',
        type: 'region',
        account,
        region,
        label: `aws ${account} ${region}`,
        handle: { session } satisfies AwsScopeHandle,
      });
    }
  }
  return { scopes, failures };
}
