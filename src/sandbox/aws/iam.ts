// The IAM action a signed AWS request needs, read from the request alone as AWS's authorizer does
// (the query protocols' Action, the JSON protocols' X-Amz-Target, S3's method and subresource),
// and AWS's refusal of it in the request's own protocol. A permission check for tests: put it in
// front of the services with `SandboxServer.intercept` to grant a principal exactly one policy.
// https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html

import type { SandboxRequest, SandboxResponse } from '../server/types.js';
import { type AwsProtocol, awsProtocol, awsProtocolError } from './front-door.js';
import { queryParams } from './protocol.js';

/** SigV4 signing names whose IAM prefix differs (CloudWatch signs as `monitoring`). */
const IAM_PREFIX: Record<string, string> = { monitoring: 'cloudwatch' };

/** S3 bucket subresources → IAM action (a GET of the subresource). */
const S3_SUBRESOURCES: [string, string][] = [
  ['location', 's3:GetBucketLocation'],
  ['encryption', 's3:GetEncryptionConfiguration'],
  ['publicAccessBlock', 's3:GetBucketPublicAccessBlock'],
  ['versioning', 's3:GetBucketVersioning'],
  ['tagging', 's3:GetBucketTagging'],
  ['policy', 's3:GetBucketPolicy'],
  ['acl', 's3:GetBucketAcl'],
];

function s3Action(req: SandboxRequest): string | undefined {
  if (req.method !== 'GET' && req.method !== 'HEAD') return undefined;
  const bucket = req.url.pathname.split('/')[1] ?? '';
  if (!bucket) return 's3:ListAllMyBuckets';
  for (const [subresource, action] of S3_SUBRESOURCES) if (req.url.searchParams.has(subresource)) return action;
  return req.url.pathname.split('/').length > 2 && req.url.pathname.split('/')[2] ? 's3:GetObject' : 's3:ListBucket';
}

/** The IAM action of a SigV4-signed request, or undefined when it cannot be told (not AWS, or an unknown S3 route). */
export function iamActionOf(req: SandboxRequest): string | undefined {
  if (!req.aws) return undefined;
  const protocol: AwsProtocol = awsProtocol(req);
  if (protocol === 'rest-xml') return s3Action(req);
  const prefix = IAM_PREFIX[req.aws.service] ?? req.aws.service;
  if (protocol === 'json') {
    const target = req.headers['x-amz-target'] ?? '';
    const operation = target.slice(target.lastIndexOf('.') + 1);
    return operation ? `${prefix}:${operation}` : undefined;
  }
  if (protocol === 'ec2' || protocol === 'query') {
    const action = queryParams(req).get('Action');
    return action ? `${prefix}:${action}` : undefined;
  }
  return undefined;
}

/** AWS's answer to a request whose principal is not allowed `action`, in the request's protocol. */
export function accessDenied(req: SandboxRequest, action: string, principal: string): SandboxResponse {
  const protocol = awsProtocol(req);
  if (protocol === 'ec2') return awsProtocolError(req, 403, 'UnauthorizedOperation', 'You are not authorized to perform this operation.');
  const message = `User: ${principal} is not authorized to perform: ${action} because no identity-based policy allows the ${action} action`;
  if (protocol === 'json') return awsProtocolError(req, 400, 'AccessDeniedException', message);
  return awsProtocolError(req, 403, 'AccessDenied', protocol === 'rest-xml' ? 'Access Denied' : message);
}
