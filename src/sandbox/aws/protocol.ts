// The pieces of AWS's wire protocols that every sandbox AWS module shares: reading query-protocol
// parameters (EC2, STS, RDS, ELBv2), escaping XML, and writing each protocol's own error shape.
// Responses are string templates rather than an XML builder: a 1,000-instance DescribeInstances
// page must serialize in a few milliseconds (the discovery benchmark serves tens of thousands).

import { randomUUID } from 'node:crypto';
import type { FaultKind, SandboxRequest, SandboxResponse } from '../server/types.js';

const XML_SPECIAL = /[&<>"']/;
const XML_SPECIAL_ALL = /[&<>"']/g;
const XML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

export function esc(value: string): string {
  return XML_SPECIAL.test(value) ? value.replace(XML_SPECIAL_ALL, (char) => XML_ENTITIES[char]) : value;
}

/** `<name>value</name>`, or nothing when the value is absent (AWS omits unset members). */
export function el(name: string, value: string | number | boolean | undefined): string {
  if (value === undefined) return '';
  return `<${name}>${typeof value === 'string' ? esc(value) : String(value)}</${name}>`;
}

export function requestId(): string {
  return randomUUID();
}

/** Query-protocol parameters: the form body of a POST, or the query string of a GET. */
export function queryParams(req: SandboxRequest): URLSearchParams {
  if (req.method === 'GET') return req.url.searchParams;
  return new URLSearchParams(req.body.toString('utf8'));
}

/** A flattened list parameter: `Prefix.1`, `Prefix.2`… (EC2) or `Prefix.member.1`… (query). */
export function listParam(params: URLSearchParams, prefix: string): string[] {
  const values: string[] = [];
  for (let n = 1; ; n++) {
    const value = params.get(`${prefix}.${n}`);
    if (value === null) break;
    values.push(value);
  }
  return values;
}

/** EC2 filters: `Filter.N.Name` with `Filter.N.Value.M`. */
export function ec2Filters(params: URLSearchParams): Map<string, string[]> {
  const filters = new Map<string, string[]>();
  for (let n = 1; ; n++) {
    const name = params.get(`Filter.${n}.Name`);
    if (name === null) break;
    filters.set(name, [...(filters.get(name) ?? []), ...listParam(params, `Filter.${n}.Value`)]);
  }
  return filters;
}

/** EC2 filter values accept `*` and `?` wildcards. */
export function filterMatches(patterns: string[], actual: string | undefined): boolean {
  if (actual === undefined) return false;
  for (const pattern of patterns) {
    if (!pattern.includes('*') && !pattern.includes('?')) {
      if (pattern === actual) return true;
      continue;
    }
    const regex = new RegExp(
      `^${pattern
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replace(/\*/g, '.*')
        .replace(/\?/g, '.')}$`,
    );
    if (regex.test(actual)) return true;
  }
  return false;
}

/** An opaque continuation token carrying an offset into a listing, bound to the listing's name. */
export function encodeToken(listing: string, offset: number): string {
  return Buffer.from(`${listing}:${offset}`).toString('base64url');
}

/** The offset a token encodes, or undefined when it is not one this listing issued. */
export function decodeToken(listing: string, token: string): number | undefined {
  const text = Buffer.from(token, 'base64url').toString('utf8');
  const colon = text.lastIndexOf(':');
  if (colon < 0 || text.slice(0, colon) !== listing) return undefined;
  const offset = Number(text.slice(colon + 1));
  return Number.isSafeInteger(offset) && offset >= 0 ? offset : undefined;
}

export function xmlResponse(status: number, body: string, headers: Record<string, string> = {}): SandboxResponse {
  // Encoded once here: the server would otherwise walk a multi-megabyte string twice (length, then write).
  return { status, headers: { 'content-type': 'text/xml;charset=UTF-8', ...headers }, body: Buffer.from(body, 'utf8') };
}

/** EC2's error document: https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html */
export function ec2Error(status: number, code: string, message: string): SandboxResponse {
  return xmlResponse(
    status,
    `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${esc(code)}</Code><Message>${esc(message)}</Message></Error></Errors><RequestID>${requestId()}</RequestID></Response>`,
  );
}

/** The query protocol's error document (STS, RDS, ELBv2). */
export function queryError(status: number, code: string, message: string, xmlns: string): SandboxResponse {
  const type = status >= 500 ? 'Receiver' : 'Sender';
  return xmlResponse(
    status,
    `<ErrorResponse xmlns="${xmlns}"><Error><Type>${type}</Type><Code>${esc(code)}</Code><Message>${esc(message)}</Message></Error><RequestId>${requestId()}</RequestId></ErrorResponse>`,
  );
}

/**
 * The injected-fault answers every query-protocol service (STS, RDS, ELBv2) gives alike: 400
 * Throttling, 503 ServiceUnavailable, 500 InternalFailure, in its own namespace.
 */
export function queryFaultResponse(xmlns: string): (req: SandboxRequest, fault: FaultKind) => SandboxResponse {
  return (_req, fault) => {
    if (fault === 'throttle') return queryError(400, 'Throttling', 'Rate exceeded', xmlns);
    if (fault === 'outage') return queryError(503, 'ServiceUnavailable', 'Service unavailable', xmlns);
    return queryError(500, 'InternalFailure', 'An internal error occurred', xmlns);
  };
}

/** The query protocol's success envelope: `<ActionResponse><ActionResult>…</ActionResult><ResponseMetadata>`. */
export function queryResult(action: string, xmlns: string, result: string): SandboxResponse {
  return xmlResponse(
    200,
    `<${action}Response xmlns="${xmlns}"><${action}Result>${result}</${action}Result><ResponseMetadata><RequestId>${requestId()}</RequestId></ResponseMetadata></${action}Response>`,
  );
}

/** AWS JSON 1.1 errors (Organizations): `__type` in the body and x-amzn-ErrorType in the headers. */
export function jsonError(status: number, type: string, message: string, extra: Record<string, unknown> = {}): SandboxResponse {
  return {
    status,
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': `${type}:`, 'x-amzn-requestid': requestId() },
    body: JSON.stringify({ __type: type, Message: message, ...extra }),
  };
}

export function jsonResponse(body: unknown): SandboxResponse {
  return {
    status: 200,
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': requestId() },
    body: JSON.stringify(body),
  };
}

/** S3's REST error document. */
export function s3Error(
  status: number,
  code: string,
  message: string,
  extra: Record<string, string> = {},
  headers: Record<string, string> = {},
): SandboxResponse {
  const id = requestId();
  let fields = '';
  for (const [name, value] of Object.entries(extra)) fields += el(name, value);
  return xmlResponse(
    status,
    `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${esc(code)}</Code><Message>${esc(message)}</Message>${fields}<RequestId>${id}</RequestId><HostId>${id}</HostId></Error>`,
    { 'content-type': 'application/xml', 'x-amz-request-id': id, ...headers },
  );
}

/** `<tagSet><item><key/><value/></item></tagSet>` with the Name tag EC2 consoles show as the name. */
export function ec2TagSet(tags: Record<string, string>, name: string | undefined): string {
  let items = '';
  // A resource made through the API without a Name tag has no name (the generator names everything).
  if (name && tags.Name === undefined) items += `<item><key>Name</key><value>${esc(name)}</value></item>`;
  for (const key in tags) items += `<item><key>${esc(key)}</key><value>${esc(tags[key])}</value></item>`;
  return items ? `<tagSet>${items}</tagSet>` : '';
}
