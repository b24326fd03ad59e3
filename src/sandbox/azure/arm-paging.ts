// ARM's server-driven paging: a list answers `{value: [...], nextLink}` where nextLink is an
// absolute URL repeating the request's query (api-version, statusOnly…) plus an opaque
// `$skiptoken`. The SDKs GET the nextLink verbatim, so the token is all the state a page needs.

import type { SandboxRequest, SandboxResponse } from '../server/types.js';
import { armError, armJson } from './arm-protocol.js';

interface SkipToken {
  /** Index of the first item of the page. */
  o: number;
  /** The collection's size when the listing started: a stale token is refused, as ARM does. */
  n: number;
}

function decodeSkipToken(raw: string): SkipToken | undefined {
  try {
    const parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as SkipToken;
    if (Number.isInteger(parsed.o) && Number.isInteger(parsed.n) && parsed.o >= 0) return parsed;
  } catch {
    // fall through: not one of ours
  }
  return undefined;
}

/** One page of `items`, rendered; the nextLink points back at the same path and query. */
export function armPage<T>(
  req: SandboxRequest,
  origin: string,
  items: readonly T[],
  pageSize: number,
  render: (item: T) => unknown,
): SandboxResponse {
  const raw = req.url.searchParams.get('$skiptoken');
  let offset = 0;
  if (raw !== null) {
    const token = decodeSkipToken(raw);
    if (!token || token.n !== items.length || token.o > items.length) {
      return armError(400, 'InvalidSkipToken', `The provided skip token '${raw}' is not valid.`);
    }
    offset = token.o;
  }
  const end = Math.min(offset + pageSize, items.length);
  const value = new Array(end - offset);
  for (let i = offset; i < end; i++) value[i - offset] = render(items[i]);
  const body: { value: unknown[]; nextLink?: string } = { value };
  if (end < items.length) {
    const next = new URL(req.url.pathname, origin);
    for (const [key, val] of req.url.searchParams) if (key !== '$skiptoken') next.searchParams.append(key, val);
    const token = Buffer.from(JSON.stringify({ o: end, n: items.length } satisfies SkipToken)).toString('base64url');
    // `$` stays literal in ARM's nextLinks; URLSearchParams would escape it to %24.
    body.nextLink = `${next.toString()}${next.search ? '&' : '?'}$skiptoken=${token}`;
  }
  return armJson(200, body);
}
