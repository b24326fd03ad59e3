// AWS Organizations over AWS JSON 1.1 (X-Amz-Target AWSOrganizationsV20161128.*): ListAccounts,
// answered only for the management account, as the real service does.
// https://docs.aws.amazon.com/organizations/latest/APIReference/API_ListAccounts.html

import type { SandboxService } from '../server/types.js';
import { accountOfKey, managementAccount, resolveCaller, stableId } from './identity.js';
import { decodeToken, encodeToken, jsonError, jsonResponse } from './protocol.js';

const TARGET_PREFIX = 'AWSOrganizationsV20161128.';

export const organizations: SandboxService = {
  name: 'aws.organizations',
  matches: (req) => req.aws?.service === 'organizations',
  scope(req, ctx) {
    const account = accountOfKey(req.aws?.accessKeyId, ctx);
    return account && req.aws ? { account, region: req.aws.region } : undefined;
  },
  handle(req, ctx) {
    const who = resolveCaller(req, ctx);
    if (!who.ok) {
      if (who.reason === 'expired') return jsonError(400, 'ExpiredTokenException', 'The security token included in the request is expired');
      return jsonError(400, 'UnrecognizedClientException', 'The security token included in the request is invalid.');
    }
    const target = req.headers['x-amz-target'] ?? '';
    if (!target.startsWith(TARGET_PREFIX)) return jsonError(400, 'UnknownOperationException', '');
    const operation = target.slice(TARGET_PREFIX.length);
    if (operation !== 'ListAccounts') return jsonError(400, 'UnknownOperationException', `Unknown operation ${operation}`);
    const management = managementAccount(ctx.estate);
    if (!management) return jsonError(400, 'AWSOrganizationsNotInUseException', 'Your account is not a member of an organization.');
    if (who.caller.account.id !== management.id) {
      return jsonError(400, 'AccessDeniedException', "You don't have permissions to access this resource.");
    }
    let input: { MaxResults?: number; NextToken?: string };
    try {
      input = req.body.length ? JSON.parse(req.body.toString('utf8')) : {};
    } catch {
      return jsonError(400, 'SerializationException', 'Start of structure or map found where not expected.');
    }
    const size = input.MaxResults ?? 20;
    if (!Number.isInteger(size) || size < 1 || size > 20) {
      return jsonError(400, 'InvalidInputException', 'You provided a value that does not match the required pattern.', {
        Reason: size < 1 ? 'MIN_VALUE_EXCEEDED' : 'MAX_VALUE_EXCEEDED',
      });
    }
    let offset = 0;
    if (input.NextToken) {
      const decoded = decodeToken('ListAccounts', input.NextToken);
      if (decoded === undefined) {
        return jsonError(400, 'InvalidInputException', 'The provided pagination token is invalid.', { Reason: 'INVALID_PAGINATION_TOKEN' });
      }
      offset = decoded;
    }
    const all = ctx.estate.aws.accounts;
    const orgId = `o-${stableId(management.id, 10).toLowerCase()}`;
    const joined = Math.floor(Date.parse(ctx.estate.now) / 1000) - 3 * 365 * 86400;
    const accounts = all.slice(offset, offset + size).map((account, i) => ({
      Id: account.id,
      Arn: `arn:aws:organizations::${management.id}:account/${orgId}/${account.id}`,
      Email: `aws+${account.name}@example.com`,
      Name: account.name,
      Status: 'ACTIVE',
      State: 'ACTIVE',
      JoinedMethod: account.management ? 'CREATED' : 'INVITED',
      JoinedTimestamp: joined + (offset + i) * 86400,
    }));
    const end = offset + accounts.length;
    return jsonResponse({ Accounts: accounts, ...(end < all.length ? { NextToken: encodeToken('ListAccounts', end) } : {}) });
  },
  faultResponse(_req, fault) {
    if (fault === 'throttle')
      return jsonError(
        400,
        'TooManyRequestsException',
        'AWS Organizations can\u2019t complete your request because another request is already in progress.',
      );
    return jsonError(500, 'ServiceException', 'AWS Organizations can\u2019t complete your request because of an internal service error.');
  },
};
