// Google's JSON error bodies, as Compute Engine and the OAuth2 token endpoint return them.
// The client libraries parse these (gax GoogleError.parseHttpError, gaxios for OAuth), so the
// shape decides which error code, status and reason a provider sees.

import type { SandboxResponse } from '../server/types.js';

const JSON_TYPE = { 'content-type': 'application/json; charset=UTF-8' };

/** Canonical status for an HTTP code, as https://cloud.google.com/apis/design/errors maps them. */
const STATUS_BY_HTTP: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  405: 'INVALID_ARGUMENT',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

export interface GoogleErrorOptions {
  /** The legacy `errors[].reason` (notFound, forbidden, rateLimitExceeded, backendError…). */
  reason: string;
  domain?: string;
  /** google.rpc.ErrorInfo reason (CREDENTIALS_MISSING, RATE_LIMIT_EXCEEDED…), when Google sends one. */
  errorInfo?: { reason: string; metadata?: Record<string, string> };
  extra?: Record<string, string>;
  headers?: Record<string, string>;
}

/** A Compute-style error: `{error: {code, message, errors: [{message, domain, reason}], status, details?}}`. */
export function googleError(code: number, message: string, options: GoogleErrorOptions): SandboxResponse {
  const error: Record<string, unknown> = {
    code,
    message,
    errors: [{ message, domain: options.domain ?? 'global', reason: options.reason, ...options.extra }],
    status: STATUS_BY_HTTP[code] ?? 'UNKNOWN',
  };
  if (options.errorInfo) {
    error.details = [
      {
        '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
        reason: options.errorInfo.reason,
        domain: 'googleapis.com',
        metadata: { service: 'compute.googleapis.com', ...options.errorInfo.metadata },
      },
    ];
  }
  return { status: code, headers: { ...JSON_TYPE, ...options.headers }, body: JSON.stringify({ error }) };
}

/** The token endpoint's RFC 6749 error: `{error, error_description}`. */
export function oauthError(status: number, error: string, description: string): SandboxResponse {
  return {
    status,
    headers: { ...JSON_TYPE, 'cache-control': 'no-store' },
    body: JSON.stringify({ error, error_description: description }),
  };
}

export function jsonResponse(body: unknown): SandboxResponse {
  return { status: 200, headers: JSON_TYPE, body: JSON.stringify(body) };
}
