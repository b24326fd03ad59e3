// Map what the Azure SDKs throw (core-rest-pipeline RestError, @azure/identity's credential
// errors, MSAL's AADSTS codes, Node socket errors) into the classes the discovery engine acts on.

import type { ClassifiedError } from '../types.js';
import { AuthorityError } from './authority.js';

/** What the commonest Entra (AADSTS) codes mean for someone fixing their configuration. */
const AADSTS_MEANING: Record<string, string> = {
  '7000215': 'the client secret is wrong (use the secret value, not its id)',
  '7000222': 'the client secret has expired',
  '700016': 'the application (client id) does not exist in this tenant',
  '90002': 'the tenant does not exist',
  '900023': 'the tenant id is not a valid GUID or domain',
  '500011': 'the resource (the ARM endpoint) is not known to this tenant',
  '1002012': 'the token scope is not a /.default scope',
  '50034': 'the user account does not exist in this tenant',
  '53003': 'a Conditional Access policy blocked the sign-in',
  '70043': 'the refresh token has expired (sign in again with az login)',
};

const TRANSIENT_SOCKET_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ECONNABORTED',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'REQUEST_SEND_ERROR',
  'UND_ERR_SOCKET',
]);
const TIMEOUT_CODES = new Set(['ETIMEDOUT', 'ESOCKETTIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT']);
const TLS_CODES = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

interface RestErrorLike {
  name: string;
  message: string;
  code?: string;
  statusCode?: number;
  response?: { headers: { get(name: string): string | undefined } };
  cause?: unknown;
}

/** Retry-After in seconds or as an HTTP date, or ARM's millisecond variants. */
export function retryAfterMs(headers: { get(name: string): string | undefined } | undefined): number | undefined {
  if (!headers) return undefined;
  for (const name of ['retry-after-ms', 'x-ms-retry-after-ms']) {
    const value = Number(headers.get(name));
    if (Number.isFinite(value) && value >= 0 && headers.get(name) !== undefined) return value;
  }
  const raw = headers.get('retry-after');
  if (raw === undefined) return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(raw);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function firstLine(message: string): string {
  return message.split(/\r?\n/)[0].trim();
}

/** The AADSTS code in an Entra error message, with what it means. */
export function describeEntraError(message: string): { code: string; meaning?: string } | undefined {
  const match = /AADSTS(\d+)/.exec(message);
  if (!match) return undefined;
  return { code: `AADSTS${match[1]}`, meaning: AADSTS_MEANING[match[1]] };
}

/** Entra errors that say "try again", not "your configuration is wrong". */
const ENTRA_RETRYABLE = /temporarily_unavailable|network_error|AADSTS90033|ECONNRESET|ECONNREFUSED|ETIMEDOUT|socket hang up/;

function authError(error: { name: string; message: string }): ClassifiedError {
  if (/AADSTS50196/.test(error.message)) return { class: 'throttle', code: 'AADSTS50196', message: firstLine(error.message) };
  if (ENTRA_RETRYABLE.test(error.message)) {
    return {
      class: 'transient',
      code: describeEntraError(error.message)?.code ?? 'EntraUnavailable',
      message: `Entra ID did not answer: ${firstLine(error.message)}`,
    };
  }
  const entra = describeEntraError(error.message);
  if (entra) {
    const detail = /AADSTS\d+:[^\r\n]*/.exec(error.message)?.[0] ?? firstLine(error.message);
    return {
      class: 'auth',
      code: entra.code,
      message: entra.meaning
        ? `Entra ID refused the credential: ${entra.meaning} (${detail})`
        : `Entra ID refused the credential: ${detail}`,
    };
  }
  if (error.message.includes('endpoints_resolution_error')) {
    return {
      class: 'auth',
      code: 'endpoints_resolution_error',
      message: 'the Entra authority could not resolve the tenant (wrong tenant id or authority host, or the authority is unreachable)',
    };
  }
  // DefaultAzureCredential's chain failed: say what each credential in it said.
  const inner = (error as { errors?: unknown[] }).errors;
  if (Array.isArray(inner) && inner.length > 0) {
    const reasons = inner.map((e) => (e instanceof Error ? firstLine(e.message) : String(e)));
    const entraInner = inner.find((e) => e instanceof Error && describeEntraError(e.message));
    if (entraInner) return authError(entraInner as Error);
    return { class: 'auth', code: error.name, message: `no credential in the chain worked: ${reasons.join('; ')}` };
  }
  return { class: 'auth', code: error.name, message: firstLine(error.message) };
}

export function classifyAzureError(error: unknown): ClassifiedError {
  if (!(error instanceof Error)) return { class: 'fatal', code: 'Unknown', message: String(error) };
  const e = error as RestErrorLike;
  if (error instanceof AuthorityError)
    return { class: error.diagnosis.errorClass, code: error.diagnosis.code, message: error.diagnosis.message };
  // The SDK throws AbortError; a signal's own reason (AbortSignal.timeout's TimeoutError) may surface too.
  if (e.name === 'AbortError' || e.name === 'TimeoutError')
    return { class: 'timeout', code: 'AbortError', message: 'the request was aborted (timeout or cancellation)' };
  if (
    e.name === 'CredentialUnavailableError' ||
    e.name === 'AuthenticationError' ||
    e.name === 'AuthenticationRequiredError' ||
    e.name === 'AggregateAuthenticationError'
  ) {
    return authError(e);
  }
  const status = e.statusCode;
  const code = e.code ?? (status ? `HTTP${status}` : e.name);
  const message = firstLine(e.message);
  if (status !== undefined) {
    const wait = retryAfterMs(e.response?.headers);
    if (status === 429) return { class: 'throttle', code, message, ...(wait !== undefined ? { retryAfterMs: wait } : {}) };
    if (status === 401) return { class: 'auth', code, message };
    if (status === 403) return { class: 'denied', code, message };
    if (status === 404) return { class: 'not-found', code, message };
    if (status === 408 || status === 504) return { class: 'timeout', code, message, ...(wait !== undefined ? { retryAfterMs: wait } : {}) };
    if (status >= 500) return { class: 'transient', code, message, ...(wait !== undefined ? { retryAfterMs: wait } : {}) };
    return { class: 'fatal', code, message };
  }
  const socketCode = e.code ?? (e.cause as { code?: string } | undefined)?.code;
  if (socketCode && TLS_CODES.has(socketCode)) {
    return { class: 'fatal', code: socketCode, message: `TLS: ${message} (trust the endpoint's CA with 'azure.caFile')` };
  }
  if (socketCode && TIMEOUT_CODES.has(socketCode)) return { class: 'timeout', code: socketCode, message };
  if (socketCode && TRANSIENT_SOCKET_CODES.has(socketCode)) return { class: 'transient', code: socketCode, message };
  if (/socket hang up|ECONNRESET/i.test(e.message)) return { class: 'transient', code: 'ECONNRESET', message };
  return { class: 'fatal', code, message };
}
