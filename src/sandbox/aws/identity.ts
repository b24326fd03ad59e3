// Who is calling: the SigV4 access key id names an estate account (its static keys) or a set of
// temporary credentials that STS AssumeRole issued into a member account. The issued keys live in
// the server's shared state so every AWS module sees them.

import { createHash, randomBytes } from 'node:crypto';
import { AWS_DEFAULT_REGIONS } from '../estate/names.js';
import type { AwsAccount, Estate } from '../estate/types.js';
import { serverSlot } from '../server/state.js';
import type { FaultScope, SandboxContext, SandboxRequest, SandboxResponse } from '../server/types.js';
import { queryError } from './protocol.js';

export interface AwsCaller {
  account: AwsAccount;
  arn: string;
  userId: string;
  /** Set for temporary credentials from AssumeRole. */
  assumedRole?: string;
}

interface IssuedCredentials {
  caller: AwsCaller;
  secretAccessKey: string;
  sessionToken: string;
  expiresAt: number;
}

interface IdentityState {
  staticKeys: Map<string, AwsCaller>;
  issued: Map<string, IssuedCredentials>;
  accounts: Map<string, AwsAccount>;
}

/** The estate's accounts never change (only its resources do), so this lives as long as the server. */
const IDENTITY = serverSlot<IdentityState>('aws.identity', ({ estate }) => {
  const state: IdentityState = { staticKeys: new Map(), issued: new Map(), accounts: new Map() };
  for (const account of estate.aws.accounts) {
    state.accounts.set(account.id, account);
    state.staticKeys.set(account.accessKeyId, {
      account,
      arn: `arn:aws:iam::${account.id}:user/guardian-sandbox`,
      userId: `AIDA${stableId(account.id, 17)}`,
    });
  }
  return state;
});

function identityState(ctx: SandboxContext): IdentityState {
  return ctx.state.get(IDENTITY);
}

/** A deterministic upper-case alphanumeric id derived from a seed (IAM unique ids look like this). */
export function stableId(seed: string, length: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const digest = createHash('sha256').update(seed).digest();
  let id = '';
  for (let i = 0; i < length; i++) id += alphabet[digest[i] % alphabet.length];
  return id;
}

export type CallerResult = { ok: true; caller: AwsCaller } | { ok: false; reason: 'unknown' | 'expired' | 'missing-token' };

/** Resolve the caller of a signed request. */
export function resolveCaller(req: SandboxRequest, ctx: SandboxContext): CallerResult {
  const keyId = req.aws?.accessKeyId;
  if (!keyId) return { ok: false, reason: 'unknown' };
  const state = identityState(ctx);
  const caller = state.staticKeys.get(keyId);
  if (caller) return { ok: true, caller };
  const issued = state.issued.get(keyId);
  if (!issued) return { ok: false, reason: 'unknown' };
  const token = req.headers['x-amz-security-token'] ?? req.url.searchParams.get('X-Amz-Security-Token') ?? undefined;
  if (token !== issued.sessionToken) return { ok: false, reason: 'missing-token' };
  if (Date.now() >= issued.expiresAt) return { ok: false, reason: 'expired' };
  return { ok: true, caller: issued.caller };
}

/** The secret of a static or issued access key (the sandbox checks signatures with it). */
export function secretOfKey(keyId: string, ctx: SandboxContext): string | undefined {
  const state = identityState(ctx);
  return state.staticKeys.get(keyId)?.account.secretAccessKey ?? state.issued.get(keyId)?.secretAccessKey;
}

/** The account a request's access key belongs to, without the session checks (fault scoping only). */
export function accountOfKey(keyId: string | undefined, ctx: SandboxContext): string | undefined {
  if (!keyId) return undefined;
  const state = identityState(ctx);
  return state.staticKeys.get(keyId)?.account.id ?? state.issued.get(keyId)?.caller.account.id;
}

export function findAccount(ctx: SandboxContext, accountId: string): AwsAccount | undefined {
  return identityState(ctx).accounts.get(accountId);
}

export function managementAccount(estate: Estate): AwsAccount | undefined {
  return estate.aws.accounts.find((account) => account.management);
}

export function issueCredentials(
  ctx: SandboxContext,
  account: AwsAccount,
  roleName: string,
  sessionName: string,
  durationSeconds: number,
): { accessKeyId: string; secretAccessKey: string; sessionToken: string; expiration: Date; caller: AwsCaller } {
  const state = identityState(ctx);
  const accessKeyId = `ASIA${randomBytes(8).toString('hex').toUpperCase()}`;
  const secretAccessKey = randomBytes(30).toString('base64');
  const sessionToken = randomBytes(96).toString('base64');
  const expiration = new Date(Math.floor(Date.now() / 1000) * 1000 + durationSeconds * 1000);
  const roleId = `AROA${stableId(`${account.id}/${roleName}`, 17)}`;
  const caller: AwsCaller = {
    account,
    arn: `arn:aws:sts::${account.id}:assumed-role/${roleName}/${sessionName}`,
    userId: `${roleId}:${sessionName}`,
    assumedRole: roleName,
  };
  state.issued.set(accessKeyId, { caller, secretAccessKey, sessionToken, expiresAt: expiration.getTime() });
  return { accessKeyId, secretAccessKey, sessionToken, expiration, caller };
}

const DEFAULT_REGIONS: ReadonlySet<string> = new Set(AWS_DEFAULT_REGIONS);

/** Every account has the default regions; any later region only once the account opts in. */
export function regionEnabled(account: AwsAccount, region: string): boolean {
  return DEFAULT_REGIONS.has(region) || account.regions.includes(region);
}

/** DescribeRegions' OptInStatus. */
export function optInStatus(account: AwsAccount, region: string): 'opt-in-not-required' | 'opted-in' | 'not-opted-in' {
  if (DEFAULT_REGIONS.has(region)) return 'opt-in-not-required';
  return account.regions.includes(region) ? 'opted-in' : 'not-opted-in';
}

/**
 * The caller of a regional query-protocol request (RDS, ELBv2), or the error AWS answers with:
 * an unknown or expired key, or a region the account has not enabled.
 */
export function regionalQueryCaller(
  req: SandboxRequest,
  ctx: SandboxContext,
  xmlns: string,
): { caller: AwsCaller; region: string } | { error: SandboxResponse } {
  const who = resolveCaller(req, ctx);
  if (!who.ok) {
    if (who.reason === 'expired')
      return { error: queryError(403, 'ExpiredToken', 'The security token included in the request is expired', xmlns) };
    return { error: queryError(403, 'InvalidClientTokenId', 'The security token included in the request is invalid.', xmlns) };
  }
  const region = req.aws?.region ?? '';
  if (!regionEnabled(who.caller.account, region)) {
    return {
      error: queryError(
        403,
        'OptInRequired',
        'You are not subscribed to this service. Please go to http://aws.amazon.com to subscribe.',
        xmlns,
      ),
    };
  }
  return { caller: who.caller, region };
}

/** Throttling and outages count against the caller's account × the signed region. */
export function callerScope(req: SandboxRequest, ctx: SandboxContext): FaultScope | undefined {
  const account = accountOfKey(req.aws?.accessKeyId, ctx);
  return account && req.aws ? { account, region: req.aws.region } : undefined;
}
