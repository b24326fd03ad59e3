// AWS STS over the query protocol: GetCallerIdentity (which account a key belongs to) and
// AssumeRole into the organization's member accounts through the estate's organization role.
// https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html

import type { SandboxContext, SandboxResponse, SandboxService } from '../server/types.js';
import { accountOfKey, findAccount, issueCredentials, resolveCaller } from './identity.js';
import { el, queryError, queryFaultResponse, queryParams, queryResult } from './protocol.js';

const XMLNS = 'https://sts.amazonaws.com/doc/2011-06-15/';
const ROLE_ARN = /^arn:aws:iam::(\d{12}):role\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]{1,64})$/;
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;

function assumeRole(ctx: SandboxContext, params: URLSearchParams, callerArn: string, callerAccount: string): SandboxResponse {
  const roleArn = params.get('RoleArn');
  const sessionName = params.get('RoleSessionName');
  if (!roleArn)
    return queryError(
      400,
      'ValidationError',
      "1 validation error detected: Value null at 'roleArn' failed to satisfy constraint: Member must not be null",
      XMLNS,
    );
  if (!sessionName || !SESSION_NAME.test(sessionName)) {
    return queryError(
      400,
      'ValidationError',
      `1 validation error detected: Value '${sessionName ?? 'null'}' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*`,
      XMLNS,
    );
  }
  const duration = Number(params.get('DurationSeconds') ?? 3600);
  if (!Number.isInteger(duration) || duration < 900 || duration > 43200) {
    return queryError(
      400,
      'ValidationError',
      `1 validation error detected: Value '${params.get('DurationSeconds')}' at 'durationSeconds' failed to satisfy constraint: Member must have value between 900 and 43200`,
      XMLNS,
    );
  }
  const match = ROLE_ARN.exec(roleArn);
  const target = match ? findAccount(ctx, match[1]) : undefined;
  const caller = findAccount(ctx, callerAccount);
  // The organization role trusts the management account only (as OrganizationAccountAccessRole does).
  if (!match || !target || target.management || match[2] !== ctx.estate.aws.organizationRole || !caller?.management) {
    return queryError(
      403,
      'AccessDenied',
      `User: ${callerArn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`,
      XMLNS,
    );
  }
  const issued = issueCredentials(ctx, target, match[2], sessionName, duration);
  return queryResult(
    'AssumeRole',
    XMLNS,
    `<AssumedRoleUser><AssumedRoleId>${issued.caller.userId}</AssumedRoleId><Arn>${issued.caller.arn}</Arn></AssumedRoleUser>` +
      `<Credentials><AccessKeyId>${issued.accessKeyId}</AccessKeyId><SecretAccessKey>${issued.secretAccessKey}</SecretAccessKey>` +
      `<SessionToken>${issued.sessionToken}</SessionToken><Expiration>${issued.expiration.toISOString()}</Expiration></Credentials>` +
      el('PackedPolicySize', params.get('Policy') ? 6 : undefined),
  );
}

export const sts: SandboxService = {
  name: 'aws.sts',
  matches: (req) => req.aws?.service === 'sts',
  scope(req, ctx) {
    const account = accountOfKey(req.aws?.accessKeyId, ctx);
    return account && req.aws ? { account, region: req.aws.region } : undefined;
  },
  handle(req, ctx) {
    const who = resolveCaller(req, ctx);
    if (!who.ok) {
      if (who.reason === 'expired') return queryError(403, 'ExpiredToken', 'The security token included in the request is expired', XMLNS);
      return queryError(403, 'InvalidClientTokenId', 'The security token included in the request is invalid.', XMLNS);
    }
    const params = queryParams(req);
    const action = params.get('Action');
    if (action === 'GetCallerIdentity') {
      const { caller } = who;
      return queryResult(
        'GetCallerIdentity',
        XMLNS,
        `<Arn>${caller.arn}</Arn><UserId>${caller.userId}</UserId><Account>${caller.account.id}</Account>`,
      );
    }
    if (action === 'AssumeRole') return assumeRole(ctx, params, who.caller.arn, who.caller.account.id);
    return queryError(400, 'InvalidAction', `Could not find operation ${action} for version 2011-06-15`, XMLNS);
  },
  faultResponse: queryFaultResponse(XMLNS),
};
