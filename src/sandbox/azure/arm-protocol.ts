// What every Azure Resource Manager response shares: JSON bodies with ARM's request-id headers,
// ARM's error envelope ({error:{code,message}}), and stable GUIDs derived from resource ids so
// vmId/resourceGuid/etag values are the same on every run of a seed.

import { createHash, randomUUID } from 'node:crypto';
import type { SandboxResponse } from '../server/types.js';

export function armJson(status: number, body: unknown, headers: Record<string, string> = {}): SandboxResponse {
  const requestId = randomUUID();
  return {
    status,
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-cache',
      'x-ms-request-id': requestId,
      'x-ms-correlation-request-id': requestId,
      ...headers,
    },
    body: JSON.stringify(body),
  };
}

/** ARM's error envelope; the SDKs surface `code` as RestError.code. */
export function armError(status: number, code: string, message: string, headers: Record<string, string> = {}): SandboxResponse {
  return armJson(status, { error: { code, message } }, headers);
}

/** A GUID that is a pure function of `seed` (formatted like the ones ARM returns). */
export function stableGuid(seed: string): string {
  const hex = createHash('sha1').update(seed).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** ARM etags are weak validators around a GUID. */
export function etagOf(seed: string): string {
  return `W/"${stableGuid(`etag:${seed}`)}"`;
}

/** `/subscriptions/{sub}/resourceGroups/{rg}/providers/{ns}/{type}/{name}` → its last segment. */
export function nameOfId(id: string): string {
  return id.slice(id.lastIndexOf('/') + 1);
}
