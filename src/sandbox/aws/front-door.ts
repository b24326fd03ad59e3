// What every request to the sandbox's AWS endpoint passes before any service module sees it,
// whatever the route (including modules added later): the SigV4 signature is checked against
// the key's known secret, and a request for a service the sandbox does not serve is answered in
// that protocol's own error shape. The expected signature comes from @smithy/signature-v4, the
// signer the JS SDK itself uses; awscli (botocore, an independent Python signer) checks the pair.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html

import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import { serverSlot } from '../server/state.js';
import type { FrontDoor, SandboxContext, SandboxRequest, SandboxResponse } from '../server/types.js';
import { secretOfKey } from './identity.js';
import { ec2Error, jsonError, queryError, queryParams, s3Error } from './protocol.js';

/** Which of AWS's wire protocols a request speaks, read from the request alone. */
export type AwsProtocol = 'ec2' | 'query' | 'json' | 'rest-xml' | 'rest-json';

export function awsProtocol(req: SandboxRequest): AwsProtocol {
  if (req.aws?.service === 'ec2') return 'ec2';
  if (req.aws?.service === 's3') return 'rest-xml';
  if (req.headers['x-amz-target']) return 'json';
  if ((req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded') || req.url.searchParams.has('Action')) {
    return 'query';
  }
  return 'rest-json';
}

/** An error in the request's own protocol (the query namespace is not checked by the SDK parsers). */
export function awsProtocolError(req: SandboxRequest, status: number, code: string, message: string): SandboxResponse {
  switch (awsProtocol(req)) {
    case 'ec2':
      return ec2Error(status, code, message);
    case 'rest-xml':
      return s3Error(status, code, message);
    case 'query':
      return queryError(status, code, message, `https://${req.aws?.service ?? 'aws'}.amazonaws.com/doc/`);
    default:
      return jsonError(status, code, message);
  }
}

/** Node's SHA-256 and HMAC-SHA-256 in the shape the signer takes (the SDK's own is @smithy/hash-node). */
export class Sha256 {
  private readonly key: string | Uint8Array | undefined;
  private hash;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.key = secret === undefined || typeof secret === 'string' ? secret : toBytes(secret);
    this.hash = this.fresh();
  }
  private fresh() {
    return this.key === undefined ? createHash('sha256') : createHmac('sha256', this.key);
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.hash.update(typeof data === 'string' ? data : toBytes(data));
  }
  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.hash.digest()));
  }
  reset(): void {
    this.hash = this.fresh();
  }
}

function toBytes(data: ArrayBuffer | ArrayBufferView): Uint8Array {
  return ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : new Uint8Array(data);
}

const AUTHORIZATION =
  /^AWS4-HMAC-SHA256 Credential=([^/,\s]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request,\s*SignedHeaders=([a-z0-9;._-]+),\s*Signature=([0-9a-f]{64})$/;
const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;
const HEX_SHA256 = /^[0-9a-f]{64}$/;
/** Payload hashes a client may send instead of the body's own (S3's unsigned and chunked forms). */
const PAYLOAD_LITERALS = new Set([
  'UNSIGNED-PAYLOAD',
  'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
  'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
  'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER',
]);

const SIGNATURE_MISMATCH =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

/** The request's query as the signer takes it: decoded keys and values, repeated keys as lists. */
function queryOf(rawQuery: string): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  if (!rawQuery) return query;
  for (const pair of rawQuery.split('&')) {
    if (!pair) continue;
    const eq = pair.indexOf('=');
    const key = decodeComponent(eq < 0 ? pair : pair.slice(0, eq));
    const value = eq < 0 ? '' : decodeComponent(pair.slice(eq + 1));
    const previous = query[key];
    query[key] = previous === undefined ? value : Array.isArray(previous) ? [...previous, value] : [previous, value];
  }
  return query;
}

/** A malformed escape stays as it is (the signature then fails to match, as it would on AWS). */
function decodeComponent(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** One signer per key and path-escaping rule, kept in the server's state so its signing-key cache is reused. */
const SIGNERS = serverSlot('aws.signers', () => new Map<string, SignatureV4>());

function signerFor(ctx: SandboxContext, accessKeyId: string, secretAccessKey: string, s3: boolean): SignatureV4 {
  const signers = ctx.state.get(SIGNERS);
  const key = `${accessKeyId}|${s3}`;
  let signer = signers.get(key);
  if (!signer) {
    // S3 signs the path as sent; every other service signs it URI-encoded once more.
    signer = new SignatureV4({
      credentials: { accessKeyId, secretAccessKey },
      region: 'us-east-1',
      service: 's3',
      sha256: Sha256,
      uriEscapePath: !s3,
      applyChecksum: false,
    });
    if (signers.size > 1000) signers.clear();
    signers.set(key, signer);
  }
  return signer;
}

function mismatch(req: SandboxRequest, accessKeyId: string, provided: string): SandboxResponse {
  const protocol = awsProtocol(req);
  // EC2 answers a bad signature as it answers a bad key; JSON services with their own exception.
  if (protocol === 'ec2') return ec2Error(401, 'AuthFailure', 'AWS was not able to validate the provided access credentials');
  if (protocol === 'rest-xml') {
    return s3Error(403, 'SignatureDoesNotMatch', SIGNATURE_MISMATCH, { AWSAccessKeyId: accessKeyId, SignatureProvided: provided });
  }
  if (protocol === 'query') return awsProtocolError(req, 403, 'SignatureDoesNotMatch', SIGNATURE_MISMATCH);
  return jsonError(400, 'InvalidSignatureException', SIGNATURE_MISMATCH);
}

/** AWS refuses a signature dated more than 15 minutes from its clock, either way. */
const MAX_SKEW_MS = 15 * 60_000;

function skewed(req: SandboxRequest, amzDate: string): SandboxResponse {
  const protocol = awsProtocol(req);
  if (protocol === 'ec2') return ec2Error(400, 'RequestExpired', 'Request has expired.');
  if (protocol === 'rest-xml') {
    return s3Error(403, 'RequestTimeTooSkewed', 'The difference between the request time and the current time is too large.', {
      RequestTime: amzDate,
      ServerTime: new Date().toISOString(),
      MaxAllowedSkewMilliseconds: String(MAX_SKEW_MS),
    });
  }
  const earliest = new Date(Date.now() - MAX_SKEW_MS).toISOString().replace(/[-:]|\.\d{3}/g, '');
  const message = `Signature expired: ${amzDate} is now earlier than ${earliest} (${new Date().toISOString().replace(/[-:]|\.\d{3}/g, '')} - 15 min.)`;
  if (protocol === 'query') return awsProtocolError(req, 403, 'SignatureDoesNotMatch', message);
  return jsonError(400, 'InvalidSignatureException', message);
}

/**
 * Checks the request's SigV4 signature; undefined when it holds (or the key is not one the
 * sandbox knows: the service then answers with its own unknown-key error).
 */
export async function verifySignature(req: SandboxRequest, ctx: SandboxContext): Promise<SandboxResponse | undefined> {
  const authorization = req.headers.authorization;
  if (!authorization) {
    // Only a presigned URL carries its credential in the query, and no sandbox client sends one.
    return awsProtocolError(req, 403, 'AccessDenied', 'The sandbox does not serve presigned requests.');
  }
  const keyId = req.aws?.accessKeyId ?? '';
  const secret = secretOfKey(keyId, ctx);
  if (secret === undefined) return undefined;
  const parts = AUTHORIZATION.exec(authorization);
  const amzDate = req.headers['x-amz-date'] ?? '';
  const date = AMZ_DATE.exec(amzDate);
  if (!parts || !date) {
    const detail = !parts ? 'The authorization header is malformed.' : 'The request must contain a valid X-Amz-Date header.';
    return awsProtocolError(req, 400, awsProtocol(req) === 'rest-xml' ? 'AuthorizationHeaderMalformed' : 'IncompleteSignature', detail);
  }
  const [, , scopeDate, region, service, signedHeaderList, provided] = parts;
  if (scopeDate !== amzDate.slice(0, 8)) return mismatch(req, keyId, provided);
  const signingDate = new Date(Date.UTC(+date[1], +date[2] - 1, +date[3], +date[4], +date[5], +date[6]));
  if (Math.abs(Date.now() - signingDate.getTime()) > MAX_SKEW_MS) return skewed(req, amzDate);
  const signed = new Set(signedHeaderList.split(';'));
  const headers: Record<string, string> = {};
  for (const name of signed) {
    const value = req.headers[name];
    if (value === undefined) return mismatch(req, keyId, provided);
    headers[name] = value;
  }
  const declared = req.headers['x-amz-content-sha256'];
  if (declared !== undefined && !PAYLOAD_LITERALS.has(declared)) {
    if (!HEX_SHA256.test(declared) || createHash('sha256').update(req.body).digest('hex') !== declared) {
      return awsProtocolError(
        req,
        400,
        'XAmzContentSHA256Mismatch',
        "The provided 'x-amz-content-sha256' header does not match what was computed.",
      );
    }
  }
  const target = req.rawTarget ?? `${req.url.pathname}${req.url.search}`;
  const question = target.indexOf('?');
  const path = question < 0 ? target : target.slice(0, question);
  const s3 = service === 's3';
  let expected: string;
  try {
    const signedRequest = await signerFor(ctx, keyId, secret, s3).sign(
      {
        method: req.method,
        protocol: req.url.protocol,
        hostname: req.url.hostname,
        path,
        query: queryOf(question < 0 ? '' : target.slice(question + 1)),
        headers,
        body: req.body,
      },
      { signingDate, signingRegion: region, signingService: service, signableHeaders: signed },
    );
    expected = /Signature=([0-9a-f]{64})$/.exec(signedRequest.headers.authorization ?? '')?.[1] ?? '';
  } catch {
    return mismatch(req, keyId, provided);
  }
  if (expected.length !== provided.length || !timingSafeEqual(Buffer.from(expected), Buffer.from(provided))) {
    return mismatch(req, keyId, provided);
  }
  return undefined;
}

/** The action a request calls: the query protocol's Action, the JSON protocols' X-Amz-Target operation. */
export function awsOperation(req: SandboxRequest): string | undefined {
  switch (awsProtocol(req)) {
    case 'ec2':
    case 'query':
      return queryParams(req).get('Action') ?? undefined;
    case 'json': {
      const target = req.headers['x-amz-target'] ?? '';
      return target.slice(target.lastIndexOf('.') + 1) || undefined;
    }
    default:
      return undefined;
  }
}

/**
 * AWS's answer to a call IAM does not allow, in the request's protocol: EC2's UnauthorizedOperation
 * (403, with the encoded authorization message EC2 attaches), AccessDenied elsewhere.
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html
 */
export function awsDenied(req: SandboxRequest, operation: string): SandboxResponse {
  const service = req.aws?.service ?? 'aws';
  const action = `${service}:${operation}`;
  const protocol = awsProtocol(req);
  if (protocol === 'ec2') {
    const encoded = Buffer.from(JSON.stringify({ allowed: false, explicitDeny: false, action })).toString('base64url');
    return ec2Error(
      403,
      'UnauthorizedOperation',
      `You are not authorized to perform this operation. Encoded authorization failure message: ${encoded}`,
    );
  }
  const message = `User is not authorized to perform: ${action} because no identity-based policy allows the ${action} action`;
  if (protocol === 'json' || protocol === 'rest-json') return jsonError(400, 'AccessDeniedException', message);
  return awsProtocolError(req, 403, 'AccessDenied', message);
}

/** The AWS front door: SigV4-signed requests, whichever service they name. */
export const awsFrontDoor: FrontDoor = {
  cloud: 'aws',
  claims: (req) => req.aws !== undefined,
  admit: verifySignature,
  operation: awsOperation,
  denied: awsDenied,
  unrouted(req) {
    const service = req.aws?.service ?? '';
    const protocol = awsProtocol(req);
    const served = 'the Guardian sandbox does not serve this service';
    if (protocol === 'json') {
      const target = req.headers['x-amz-target'] ?? '';
      return jsonError(400, 'UnknownOperationException', `Unknown operation ${target} (${served}: ${service})`);
    }
    if (protocol === 'query') {
      const action = queryParams(req).get('Action') ?? '';
      return awsProtocolError(req, 400, 'InvalidAction', `The action ${action} is not valid for this web service (${served}: ${service}).`);
    }
    return awsProtocolError(
      req,
      400,
      'UnknownOperationException',
      `No operation matches ${req.method} ${req.url.pathname} (${served}: ${service}).`,
    );
  },
};
