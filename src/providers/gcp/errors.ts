// Maps what the GCP client stack throws into the engine's error classes. Three shapes arrive:
// gax GoogleErrors (gRPC numeric codes), GaxiosErrors from the REST transport and the token
// request (HTTP status, with Google's JSON error body as the message or in response.data),
// and Node/undici network errors (ECONNRESET…), often wrapped in `cause`.

import { isGuardianError } from '../../errors.js';
import type { ClassifiedError, ErrorClass } from '../types.js';

/** gRPC status numbers (google.rpc.Code) that gax puts in GoogleError.code. */
const GRPC_STATUS: Record<number, string> = {
  1: 'CANCELLED',
  2: 'UNKNOWN',
  3: 'INVALID_ARGUMENT',
  4: 'DEADLINE_EXCEEDED',
  5: 'NOT_FOUND',
  7: 'PERMISSION_DENIED',
  8: 'RESOURCE_EXHAUSTED',
  9: 'FAILED_PRECONDITION',
  10: 'ABORTED',
  13: 'INTERNAL',
  14: 'UNAVAILABLE',
  16: 'UNAUTHENTICATED',
};

const HTTP_STATUS: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  502: 'UNAVAILABLE',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

const THROTTLE_REASONS = new Set(['rateLimitExceeded', 'userRateLimitExceeded', 'RATE_LIMIT_EXCEEDED']);
const OAUTH_ERRORS = new Set([
  'invalid_grant',
  'invalid_scope',
  'invalid_client',
  'unauthorized_client',
  'unsupported_grant_type',
  'invalid_request',
]);
const NETWORK_CODES = new Set([
  'ECONNRESET',
  'EPIPE',
  'ECONNREFUSED',
  'EAI_AGAIN',
  'ENOTFOUND',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'ECONNABORTED',
]);
const TIMEOUT_CODES = new Set(['ETIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

interface Facts {
  httpStatus?: number;
  /** Canonical status name: RESOURCE_EXHAUSTED, PERMISSION_DENIED… */
  status?: string;
  reason?: string;
  oauthError?: string;
  message?: string;
  networkCode?: string;
  retryAfterMs?: number;
  abort?: boolean;
}

function parseJson(text: unknown): Record<string, unknown> | undefined {
  if (typeof text !== 'string' || !text.trimStart().startsWith('{')) return undefined;
  try {
    const value = JSON.parse(text);
    return value && typeof value === 'object' ? value : undefined;
  } catch {
    return undefined;
  }
}

/** Pull status, reason and message out of a Google JSON error body (Compute or OAuth). */
function readBody(body: Record<string, unknown> | undefined, facts: Facts): void {
  if (!body) return;
  const error = body.error;
  if (typeof error === 'string') {
    facts.oauthError ??= error;
    if (typeof body.error_description === 'string') facts.message ??= `${error}: ${body.error_description}`;
    return;
  }
  if (error && typeof error === 'object') {
    const detail = error as {
      code?: number;
      message?: string;
      status?: string;
      errors?: { reason?: string }[];
      details?: { reason?: string }[];
    };
    if (typeof detail.code === 'number') facts.httpStatus ??= detail.code;
    if (detail.status) facts.status ??= detail.status;
    facts.reason ??= detail.errors?.[0]?.reason ?? detail.details?.find((item) => item.reason)?.reason;
    if (detail.message) facts.message ??= detail.message;
  }
}

function retryAfter(headers: unknown): number | undefined {
  const value =
    headers && typeof (headers as Headers).get === 'function'
      ? (headers as Headers).get('retry-after')
      : (headers as Record<string, string> | undefined)?.['retry-after'];
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.max(0, date - Date.now()) : undefined;
}

function collect(error: unknown): Facts {
  const facts: Facts = {};
  let current: unknown = error;
  for (let depth = 0; current && typeof current === 'object' && depth < 6; depth++) {
    const e = current as Record<string, unknown> & { response?: { status?: number; data?: unknown; headers?: unknown } };
    if (e.name === 'AbortError' || e.type === 'aborted') facts.abort = true;
    const isGoogleError = e.constructor?.name === 'GoogleError';
    if (isGoogleError && typeof e.code === 'number') facts.status ??= GRPC_STATUS[e.code];
    if (isGoogleError && typeof e.reason === 'string') facts.reason ??= e.reason;
    if (e.response) {
      if (typeof e.response.status === 'number') facts.httpStatus ??= e.response.status;
      readBody(typeof e.response.data === 'object' ? (e.response.data as Record<string, unknown>) : parseJson(e.response.data), facts);
      facts.retryAfterMs ??= retryAfter(e.response.headers);
    }
    if (!isGoogleError && typeof e.status === 'number') facts.httpStatus ??= e.status;
    if (!isGoogleError && typeof e.code === 'number' && e.code >= 400 && e.code < 600) facts.httpStatus ??= e.code;
    if (typeof e.code === 'string' && (NETWORK_CODES.has(e.code) || TIMEOUT_CODES.has(e.code))) facts.networkCode ??= e.code;
    const message = typeof e.message === 'string' ? e.message : undefined;
    const body = parseJson(message);
    if (body) readBody(body, facts);
    else if (message) {
      facts.message ??= message;
      if (/socket hang up|other side closed/i.test(message)) facts.networkCode ??= 'ECONNRESET';
    }
    current = e.cause;
  }
  if (facts.httpStatus !== undefined) facts.status ??= HTTP_STATUS[facts.httpStatus];
  return facts;
}

function classOf(facts: Facts): ErrorClass {
  if (facts.reason && THROTTLE_REASONS.has(facts.reason)) return 'throttle';
  if (facts.httpStatus === 429 || facts.status === 'RESOURCE_EXHAUSTED') return 'throttle';
  if (facts.oauthError && OAUTH_ERRORS.has(facts.oauthError)) return 'auth';
  if (facts.httpStatus === 401 || facts.status === 'UNAUTHENTICATED') return 'auth';
  if (facts.httpStatus === 403 || facts.status === 'PERMISSION_DENIED') return 'denied';
  if (facts.httpStatus === 404 || facts.status === 'NOT_FOUND') return 'not-found';
  if (facts.httpStatus === 504 || facts.status === 'DEADLINE_EXCEEDED') return 'timeout';
  if (facts.networkCode && TIMEOUT_CODES.has(facts.networkCode)) return 'timeout';
  if ((facts.httpStatus ?? 0) >= 500 || facts.status === 'UNAVAILABLE' || facts.status === 'INTERNAL') return 'transient';
  if (facts.networkCode) return 'transient';
  if (facts.abort || facts.status === 'CANCELLED') return 'timeout';
  // No HTTP answer and no credential: google-auth-library's ADC lookup failing.
  if (facts.message && /default credentials|Could not refresh access token|No authentication|credential/i.test(facts.message))
    return 'auth';
  return 'fatal';
}

export function classifyGcpError(error: unknown): ClassifiedError {
  if (isGuardianError(error)) return { class: 'auth', code: error.name, message: error.message };
  const facts = collect(error);
  const errorClass = classOf(facts);
  const code =
    facts.oauthError ?? facts.status ?? facts.reason ?? facts.networkCode ?? (facts.httpStatus ? String(facts.httpStatus) : 'UNKNOWN');
  const message = (facts.message ?? String(error)).split('\n')[0];
  return { class: errorClass, code, message, ...(facts.retryAfterMs !== undefined ? { retryAfterMs: facts.retryAfterMs } : {}) };
}
