// What every EC2 action handler shares: the call it serves (parameters, caller, region), EC2's
// success envelope and error, its paging limits and filters, and the caller's resources in scope.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/Query-Requests.html

import type { Ami, EbsSnapshot, EstateResource } from '../estate/types.js';
import type { SandboxContext, SandboxResponse } from '../server/types.js';
import type { AwsCaller } from './identity.js';
import { decodeToken, ec2Filters, encodeToken, filterMatches, requestId, xmlResponse } from './protocol.js';

export const XMLNS = 'http://ec2.amazonaws.com/doc/2016-11-15/';

export const STATE_CODES: Record<string, number> = {
  pending: 0,
  running: 16,
  'shutting-down': 32,
  terminated: 48,
  stopping: 64,
  stopped: 80,
};

export class Ec2Failure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export function fail(code: string, message: string, status = 400): never {
  throw new Ec2Failure(status, code, message);
}

export function envelope(action: string, body: string): SandboxResponse {
  return xmlResponse(
    200,
    `<?xml version="1.0" encoding="UTF-8"?>\n<${action}Response xmlns="${XMLNS}"><requestId>${requestId()}</requestId>${body}</${action}Response>`,
  );
}

export interface Call {
  params: URLSearchParams;
  caller: AwsCaller;
  region: string;
  ctx: SandboxContext;
}

// ---- paging and filtering -----------------------------------------------------------------------

export interface PageLimits {
  min: number;
  max: number;
  /** Over the maximum: clamp (DescribeVolumes/DescribeSnapshots) instead of rejecting. */
  clamp?: boolean;
}

export function pageOf<T>(call: Call, listing: string, items: T[], limits: PageLimits): { items: T[]; next?: string } {
  const raw = call.params.get('MaxResults');
  const token = call.params.get('NextToken');
  let offset = 0;
  if (token) {
    const decoded = decodeToken(listing, token);
    if (decoded === undefined) fail('InvalidPaginationToken', `Invalid pagination token: ${token}`);
    offset = decoded;
  }
  if (raw === null) {
    // Without MaxResults EC2 answers everything left in one response.
    return { items: offset ? items.slice(offset) : items };
  }
  let size = Number(raw);
  if (!Number.isInteger(size) || size < limits.min || (size > limits.max && !limits.clamp)) {
    fail(
      'InvalidParameterValue',
      `Value ( ${raw} ) for parameter maxResults is invalid. Expecting a value between ${limits.min} and ${limits.max}.`,
    );
  }
  size = Math.min(size, limits.max);
  const slice = items.slice(offset, offset + size);
  const end = offset + slice.length;
  return { items: slice, next: end < items.length ? encodeToken(listing, end) : undefined };
}

export function rejectIdsWithMaxResults(call: Call, idParam: string, ids: string[]): void {
  if (ids.length > 0 && call.params.get('MaxResults') !== null) {
    fail('InvalidParameterCombination', `The parameter ${idParam} cannot be used with the parameter maxResults`);
  }
}

export type FilterGetter<R> = (resource: R) => string | string[] | undefined;

export function applyFilters<R extends EstateResource>(
  call: Call,
  resources: R[],
  getters: Record<string, FilterGetter<R>>,
  nameOf: (resource: R) => string | undefined,
): R[] {
  const filters = ec2Filters(call.params);
  if (filters.size === 0) return resources;
  const checks: ((resource: R) => boolean)[] = [];
  for (const [name, values] of filters) {
    if (name.startsWith('tag:')) {
      const key = name.slice(4);
      checks.push((resource) => filterMatches(values, key === 'Name' ? (resource.tags.Name ?? nameOf(resource)) : resource.tags[key]));
    } else if (name === 'tag-key') {
      checks.push((resource) => Object.keys(resource.tags).some((key) => filterMatches(values, key)) || filterMatches(values, 'Name'));
    } else if (name === 'owner-id') {
      checks.push((resource) => filterMatches(values, resource.account));
    } else {
      const getter = getters[name];
      if (!getter) fail('InvalidParameterValue', `The filter '${name}' is invalid`);
      checks.push((resource) => {
        const actual = getter(resource);
        return Array.isArray(actual) ? actual.some((value) => filterMatches(values, value)) : filterMatches(values, actual);
      });
    }
  }
  return resources.filter((resource) => checks.every((check) => check(resource)));
}

export function byIds<R extends EstateResource>(
  resources: R[],
  ids: string[],
  notFoundCode: string,
  noun: string,
  idOf = (r: R) => r.id,
): R[] {
  if (ids.length === 0) return resources;
  const wanted = new Map(resources.map((resource) => [idOf(resource), resource]));
  const missing = ids.filter((id) => !wanted.has(id));
  if (missing.length > 0) fail(notFoundCode, `The ${noun} '${missing.join(', ')}' does not exist`);
  return ids.map((id) => wanted.get(id)!);
}

export function inScope<K extends EstateResource['kind']>(
  call: Call,
  kind: K,
  account = call.caller.account.id,
): Extract<EstateResource, { kind: K }>[] {
  return (call.ctx.index.byScope.get(`${kind}|${account}|${call.region}`) ?? []) as Extract<EstateResource, { kind: K }>[];
}

/** Public resources of other accounts in the region (EC2 lists them when no owner is given). */
export function othersPublic(call: Call, kind: 'aws.ec2.snapshot' | 'aws.ec2.image'): (EbsSnapshot | Ami)[] {
  const found: (EbsSnapshot | Ami)[] = [];
  for (const account of call.ctx.estate.aws.accounts) {
    if (account.id === call.caller.account.id) continue;
    for (const resource of inScope(call, kind, account.id) as (EbsSnapshot | Ami)[]) if (resource.spec.public) found.push(resource);
  }
  return found;
}

export const bool = (value: boolean) => (value ? 'true' : 'false');
