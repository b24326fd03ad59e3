// Amazon S3's REST/XML API, path-style (the SDK uses path-style against an IP endpoint such as
// 127.0.0.1): ListBuckets with max-buckets/continuation-token/bucket-region, and the bucket
// posture reads discovery needs. Bucket calls must be signed for the bucket's own region, as on AWS.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListBuckets.html

import { createHash } from 'node:crypto';
import type { S3Bucket } from '../estate/types.js';
import { estateSlot } from '../server/state.js';
import type { SandboxContext, SandboxRequest, SandboxResponse, SandboxService } from '../server/types.js';
import { type AwsCaller, accountOfKey, resolveCaller } from './identity.js';
import { decodeToken, el, encodeToken, esc, requestId, s3Error, xmlResponse } from './protocol.js';

const XMLNS = 'http://s3.amazonaws.com/doc/2006-03-01/';
const HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n';

interface BucketState {
  byName: Map<string, S3Bucket>;
  /** Per account, sorted by name as ListBuckets returns them. */
  byAccount: Map<string, S3Bucket[]>;
}

const BUCKETS = estateSlot<BucketState>('aws.s3', ({ estate, index }) => {
  const state: BucketState = { byName: new Map(), byAccount: new Map() };
  for (const account of estate.aws.accounts) {
    const buckets = [...((index.byAccount.get(`aws.s3.bucket|${account.id}`) ?? []) as S3Bucket[])].sort((a, b) =>
      a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
    );
    state.byAccount.set(account.id, buckets);
    for (const bucket of buckets) state.byName.set(bucket.name, bucket);
  }
  return state;
});

function bucketState(ctx: SandboxContext): BucketState {
  return ctx.state.get(BUCKETS);
}

function canonicalUserId(account: string): string {
  return createHash('sha256').update(`s3-owner:${account}`).digest('hex');
}

function ok(body: string): SandboxResponse {
  return xmlResponse(200, HEAD + body, { 'content-type': 'application/xml', 'x-amz-request-id': requestId() });
}

function listBuckets(req: SandboxRequest, ctx: SandboxContext, caller: AwsCaller): SandboxResponse {
  const query = req.url.searchParams;
  let buckets = bucketState(ctx).byAccount.get(caller.account.id) ?? [];
  const prefix = query.get('prefix');
  if (prefix) buckets = buckets.filter((bucket) => bucket.name.startsWith(prefix));
  const region = query.get('bucket-region');
  if (region) buckets = buckets.filter((bucket) => bucket.region === region);
  const rawMax = query.get('max-buckets');
  let size = buckets.length;
  if (rawMax !== null) {
    size = Number(rawMax);
    if (!Number.isInteger(size) || size < 1 || size > 10000) {
      return s3Error(400, 'InvalidArgument', 'Argument max-buckets must be an integer between 1 and 10000', {
        ArgumentName: 'max-buckets',
        ArgumentValue: rawMax,
      });
    }
  }
  let offset = 0;
  const token = query.get('continuation-token');
  if (token) {
    const decoded = decodeToken('ListBuckets', token);
    if (decoded === undefined) {
      return s3Error(400, 'InvalidArgument', 'The continuation token provided is incorrect', { ArgumentName: 'continuation-token' });
    }
    offset = decoded;
  }
  const page = buckets.slice(offset, offset + size);
  const end = offset + page.length;
  let items = '';
  for (const bucket of page) {
    items += `<Bucket><Name>${esc(bucket.name)}</Name><CreationDate>${bucket.createdAt}</CreationDate><BucketRegion>${bucket.region}</BucketRegion><BucketArn>arn:aws:s3:::${esc(bucket.name)}</BucketArn></Bucket>`;
  }
  return ok(
    `<ListAllMyBucketsResult xmlns="${XMLNS}"><Owner><ID>${canonicalUserId(caller.account.id)}</ID></Owner><Buckets>${items}</Buckets>` +
      `${el('ContinuationToken', end < buckets.length ? encodeToken('ListBuckets', end) : undefined)}${el('Prefix', prefix ?? undefined)}</ListAllMyBucketsResult>`,
  );
}

function bucketRequest(req: SandboxRequest, ctx: SandboxContext, caller: AwsCaller, name: string): SandboxResponse {
  const bucket = bucketState(ctx).byName.get(name);
  if (!bucket) return s3Error(404, 'NoSuchBucket', 'The specified bucket does not exist', { BucketName: name });
  if (bucket.account !== caller.account.id) return s3Error(403, 'AccessDenied', 'Access Denied');
  const query = req.url.searchParams;
  if (query.has('location')) {
    // us-east-1 is the empty LocationConstraint, a historical S3 quirk.
    const constraint = bucket.region === 'us-east-1' ? '' : bucket.region;
    return ok(`<LocationConstraint xmlns="${XMLNS}">${constraint}</LocationConstraint>`);
  }
  const signed = req.aws?.region;
  if (signed !== bucket.region) {
    return s3Error(
      400,
      'AuthorizationHeaderMalformed',
      `The authorization header is malformed; the region '${signed}' is wrong; expecting '${bucket.region}'`,
      { Region: bucket.region },
      { 'x-amz-bucket-region': bucket.region },
    );
  }
  const s = bucket.spec;
  if (query.has('encryption')) {
    if (!s.encryption) {
      return s3Error(404, 'ServerSideEncryptionConfigurationNotFoundError', 'The server side encryption configuration was not found', {
        BucketName: name,
      });
    }
    const key =
      s.encryption === 'aws:kms' ? `<KMSMasterKeyID>arn:aws:kms:${bucket.region}:${bucket.account}:alias/aws/s3</KMSMasterKeyID>` : '';
    return ok(
      `<ServerSideEncryptionConfiguration xmlns="${XMLNS}"><Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>${s.encryption}</SSEAlgorithm>${key}</ApplyServerSideEncryptionByDefault><BucketKeyEnabled>${s.encryption === 'aws:kms'}</BucketKeyEnabled></Rule></ServerSideEncryptionConfiguration>`,
    );
  }
  if (query.has('publicAccessBlock')) {
    const block = s.publicAccessBlock;
    if (!block) {
      return s3Error(404, 'NoSuchPublicAccessBlockConfiguration', 'The public access block configuration was not found', {
        BucketName: name,
      });
    }
    return ok(
      `<PublicAccessBlockConfiguration xmlns="${XMLNS}"><BlockPublicAcls>${block.blockPublicAcls}</BlockPublicAcls><IgnorePublicAcls>${block.ignorePublicAcls}</IgnorePublicAcls><BlockPublicPolicy>${block.blockPublicPolicy}</BlockPublicPolicy><RestrictPublicBuckets>${block.restrictPublicBuckets}</RestrictPublicBuckets></PublicAccessBlockConfiguration>`,
    );
  }
  if (query.has('versioning')) {
    // A bucket that never had versioning enabled answers an empty configuration.
    return ok(`<VersioningConfiguration xmlns="${XMLNS}">${s.versioning ? '<Status>Enabled</Status>' : ''}</VersioningConfiguration>`);
  }
  if (query.has('tagging')) {
    const keys = Object.keys(bucket.tags);
    if (keys.length === 0) return s3Error(404, 'NoSuchTagSet', 'The TagSet does not exist', { BucketName: name });
    let tags = '';
    for (const key of keys) tags += `<Tag><Key>${esc(key)}</Key><Value>${esc(bucket.tags[key])}</Value></Tag>`;
    return ok(`<Tagging xmlns="${XMLNS}"><TagSet>${tags}</TagSet></Tagging>`);
  }
  return s3Error(501, 'NotImplemented', 'A header you provided implies functionality that is not implemented');
}

export const s3: SandboxService = {
  name: 'aws.s3',
  matches: (req) => req.aws?.service === 's3',
  scope(req, ctx) {
    const account = accountOfKey(req.aws?.accessKeyId, ctx);
    return account && req.aws ? { account, region: req.aws.region } : undefined;
  },
  handle(req, ctx) {
    const who = resolveCaller(req, ctx);
    if (!who.ok) {
      if (who.reason === 'expired') return s3Error(400, 'ExpiredToken', 'The provided token has expired.');
      return s3Error(403, 'InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.', {
        AWSAccessKeyId: req.aws?.accessKeyId ?? '',
      });
    }
    if (req.method !== 'GET') return s3Error(405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.');
    const bucket = decodeURIComponent(req.url.pathname.split('/')[1] ?? '');
    if (!bucket) return listBuckets(req, ctx, who.caller);
    return bucketRequest(req, ctx, who.caller, bucket);
  },
  faultResponse(_req, fault) {
    if (fault === 'throttle') return s3Error(503, 'SlowDown', 'Please reduce your request rate.');
    if (fault === 'outage') return s3Error(503, 'ServiceUnavailable', 'Service is unable to handle request.');
    return s3Error(500, 'InternalError', 'We encountered an internal error. Please try again.');
  },
};
