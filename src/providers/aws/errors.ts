// Maps whatever the AWS SDK throws (service exceptions named after the wire error code, Node
// socket errors, credential-chain failures, timeouts) to the class the discovery engine acts on.

import type { ClassifiedError, ErrorClass } from '../types.js';

const THROTTLE = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'TooManyRequestsException',
  'SlowDown',
  'ProvisionedThroughputExceededException',
  'BandwidthLimitExceeded',
  'PriorRequestNotComplete',
]);

const AUTH = new Set([
  'AuthFailure',
  'InvalidClientTokenId',
  'ExpiredToken',
  'ExpiredTokenException',
  'RequestExpired',
  'UnrecognizedClientException',
  'CredentialsProviderError',
  'TokenProviderError',
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'InvalidSignatureException',
  'IncompleteSignature',
  'MissingAuthenticationToken',
  'InvalidToken',
]);

const DENIED = new Set([
  'AccessDenied',
  'AccessDeniedException',
  'UnauthorizedOperation',
  'AuthorizationError',
  'OptInRequired',
  'AWSOrganizationsNotInUseException',
  'AllAccessDisabled',
]);

const TRANSIENT = new Set([
  'InternalError',
  'InternalFailure',
  'InternalServerError',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'Unavailable',
  'ServiceException',
  'EC2ThrottledException',
]);

const TIMEOUT = new Set(['TimeoutError', 'RequestTimeout', 'RequestTimeoutException', 'ETIMEDOUT', 'AbortError']);

const NETWORK = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'ECONNABORTED']);

interface SdkError {
  name?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
  $response?: { headers?: Record<string, string | undefined> };
  cause?: unknown;
}

function retryAfter(error: SdkError): number | undefined {
  const header = error.$response?.headers?.['retry-after'];
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

export function classifyAwsError(error: unknown): ClassifiedError {
  const e = (typeof error === 'object' && error !== null ? error : { message: String(error) }) as SdkError;
  const name = e.name && e.name !== 'Error' ? e.name : (e.code ?? 'Error');
  const code = e.code && NETWORK.has(e.code) ? e.code : name;
  const message = e.message ?? String(error);
  const status = e.$metadata?.httpStatusCode;
  let cls: ErrorClass;
  if (THROTTLE.has(code) || status === 429) cls = 'throttle';
  else if (AUTH.has(code)) cls = 'auth';
  else if (DENIED.has(code)) cls = 'denied';
  else if (TIMEOUT.has(code) || e.code === 'ETIMEDOUT') cls = 'timeout';
  else if (
    NETWORK.has(code) ||
    TRANSIENT.has(code) ||
    (status !== undefined && status >= 500) ||
    /socket hang up|network socket disconnected|ECONNRESET/i.test(message)
  )
    cls = 'transient';
  else if (/NotFound(Exception)?$|^NoSuch/.test(code)) cls = 'not-found';
  else cls = 'fatal';
  const retryAfterMs = retryAfter(e);
  return { class: cls, code, message, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
}
