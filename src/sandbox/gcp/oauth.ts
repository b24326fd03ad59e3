// Google's OAuth2 token endpoint for service accounts (the JWT bearer grant, RFC 7523) and the
// access-token check Compute requests go through. google-auth-library's JWT client signs an RS256
// assertion with the key file's private key and POSTs it here; we verify it against the public
// keys registered for the estate's service account and hand out opaque access tokens.

import { createPublicKey, generateKeyPairSync, type KeyObject, randomBytes, verify } from 'node:crypto';
import type { Estate } from '../estate/types.js';
import { type SandboxState, serverSlot } from '../server/state.js';
import type { SandboxContext, SandboxRequest, SandboxResponse, SandboxService } from '../server/types.js';
import { googleError, jsonResponse, oauthError } from './google-errors.js';

const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
/** The audience google-auth-library puts in every assertion, whatever token_uri the key file names. */
export const GOOGLE_TOKEN_URL = 'https://oauth2.googleapis.com/token';
const TOKEN_LIFETIME_SECONDS = 3599;
/** Scopes that allow reading Compute Engine (anything else is ACCESS_TOKEN_SCOPE_INSUFFICIENT). */
const COMPUTE_READ_SCOPES = new Set([
  'https://www.googleapis.com/auth/cloud-platform',
  'https://www.googleapis.com/auth/cloud-platform.read-only',
  'https://www.googleapis.com/auth/compute',
  'https://www.googleapis.com/auth/compute.readonly',
]);
/** Scopes that allow changing Compute Engine resources. */
const COMPUTE_WRITE_SCOPES = new Set(['https://www.googleapis.com/auth/cloud-platform', 'https://www.googleapis.com/auth/compute']);

interface IssuedToken {
  email: string;
  scopes: string[];
  expiresAt: number;
}

interface OAuthState {
  keys: { email?: string; key: KeyObject }[];
  tokens: Map<string, IssuedToken>;
}

const OAUTH = serverSlot<OAuthState>('gcp.oauth', () => ({ keys: [], tokens: new Map() }));

function oauthState(state: SandboxState): OAuthState {
  return state.get(OAUTH);
}

/**
 * Accept assertions signed by this key. Whoever writes a service-account key file for the sandbox
 * (the demo profile, `sandbox serve`, tests) registers its public half here. Without `email`, the key
 * is valid for the estate's service account.
 */
export function registerServiceAccountKey(state: SandboxState, publicKeyPem: string, email?: string): void {
  oauthState(state).keys.push({ email, key: createPublicKey(publicKeyPem) });
}

/** A service-account key file as the IAM API / Cloud Console hands it out. */
export interface ServiceAccountKeyFile {
  type: 'service_account';
  project_id: string;
  private_key_id: string;
  private_key: string;
  client_email: string;
  client_id: string;
  auth_uri: string;
  token_uri: string;
  auth_provider_x509_cert_url: string;
  client_x509_cert_url: string;
  universe_domain: string;
}

/**
 * Generate an RSA key pair for the estate's service account, register its public half and return
 * the key file (write it with mode 0600). `tokenUri` is the sandbox's `${origin}/token`.
 */
export function createServiceAccountKey(state: SandboxState, estate: Estate, tokenUri: string): ServiceAccountKeyFile {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  const email = estate.gcp.serviceAccountEmail;
  registerServiceAccountKey(state, publicKey, email);
  return {
    type: 'service_account',
    project_id: estate.gcp.projects[0]?.id ?? email.split('@')[1]?.split('.')[0] ?? 'sandbox',
    private_key_id: randomBytes(20).toString('hex'),
    private_key: privateKey,
    client_email: email,
    client_id: `1${Array.from(randomBytes(20), (byte) => byte % 10).join('')}`,
    auth_uri: 'https://accounts.google.com/o/oauth2/auth',
    token_uri: tokenUri,
    auth_provider_x509_cert_url: 'https://www.googleapis.com/oauth2/v1/certs',
    client_x509_cert_url: `https://www.googleapis.com/robot/v1/metadata/x509/${encodeURIComponent(email)}`,
    universe_domain: 'googleapis.com',
  };
}

function decodeSegment(segment: string): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return value && typeof value === 'object' && !Array.isArray(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

function issueToken(req: SandboxRequest, ctx: SandboxContext): SandboxResponse {
  if (req.method !== 'POST') return oauthError(405, 'invalid_request', 'Method not allowed; the token endpoint takes POST.');
  const form = new URLSearchParams(req.body.toString('utf8'));
  const grantType = form.get('grant_type');
  if (!grantType) return oauthError(400, 'invalid_request', 'Missing required parameter: grant_type');
  if (grantType !== JWT_BEARER) return oauthError(400, 'unsupported_grant_type', `Invalid grant_type: ${grantType}`);
  const assertion = form.get('assertion');
  if (!assertion) return oauthError(400, 'invalid_request', 'Missing required parameter: assertion');
  const parts = assertion.split('.');
  const header = parts.length === 3 ? decodeSegment(parts[0]) : undefined;
  const claims = parts.length === 3 ? decodeSegment(parts[1]) : undefined;
  if (!header || !claims) return oauthError(400, 'invalid_grant', 'Invalid JWT: could not decode the assertion.');
  if (header.alg !== 'RS256') return oauthError(400, 'invalid_grant', 'Invalid JWT Signature.');

  const email = ctx.estate.gcp.serviceAccountEmail;
  if (claims.iss !== email) return oauthError(400, 'invalid_grant', 'Invalid grant: account not found');
  const signed = Buffer.from(`${parts[0]}.${parts[1]}`);
  const signature = Buffer.from(parts[2], 'base64url');
  const keys = oauthState(ctx.state).keys.filter((entry) => entry.email === undefined || entry.email === email);
  if (!keys.some((entry) => verify('sha256', signed, entry.key, signature))) {
    return oauthError(400, 'invalid_grant', 'Invalid JWT Signature.');
  }
  if (claims.aud !== GOOGLE_TOKEN_URL && claims.aud !== `${ctx.origin}/token`) {
    return oauthError(400, 'invalid_grant', `Invalid JWT: Failed audience check. The right audience is ${GOOGLE_TOKEN_URL}`);
  }
  const now = Math.floor(Date.now() / 1000);
  const iat = Number(claims.iat);
  const exp = Number(claims.exp);
  // Google allows a few minutes of clock skew and at most one hour of lifetime.
  if (!Number.isFinite(iat) || !Number.isFinite(exp) || exp <= now - 300 || iat > now + 300 || exp - iat > 3600) {
    return oauthError(
      400,
      'invalid_grant',
      'Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim.',
    );
  }
  const scopes = typeof claims.scope === 'string' ? claims.scope.split(/\s+/).filter(Boolean) : [];
  if (scopes.length === 0) return oauthError(400, 'invalid_scope', 'Invalid OAuth scope or ID token audience provided.');

  const accessToken = `ya29.sandbox.${randomBytes(24).toString('base64url')}`;
  oauthState(ctx.state).tokens.set(accessToken, { email, scopes, expiresAt: Date.now() + TOKEN_LIFETIME_SECONDS * 1000 });
  return jsonResponse({ access_token: accessToken, expires_in: TOKEN_LIFETIME_SECONDS, token_type: 'Bearer' });
}

/**
 * Check a Compute request's bearer token. Returns the error response Google gives when it is
 * missing, unknown, expired or lacks a Compute scope; undefined when the caller may proceed.
 */
export function checkAccessToken(
  req: SandboxRequest,
  ctx: SandboxContext,
  method: string,
  service = 'compute.googleapis.com',
  /** A call that changes resources: a read-only scope is not enough. */
  write = false,
): SandboxResponse | undefined {
  const authorization = req.headers.authorization;
  const metadata = { method: service === 'compute.googleapis.com' ? `compute.v1.${method}` : method, service };
  if (!authorization) {
    return googleError(
      401,
      'Request is missing required authentication credential. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.',
      {
        reason: 'required',
        extra: { location: 'Authorization', locationType: 'header' },
        errorInfo: { reason: 'CREDENTIALS_MISSING', metadata },
        headers: { 'www-authenticate': 'Bearer realm="https://accounts.google.com/"' },
      },
    );
  }
  const match = /^Bearer\s+(\S+)$/i.exec(authorization);
  const token = match ? (oauthState(ctx.state).tokens.get(match[1]) ?? selfSignedJwt(match[1], ctx, service)) : undefined;
  if (!token || token.expiresAt <= Date.now()) {
    return googleError(
      401,
      'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.',
      {
        reason: 'authError',
        extra: { location: 'Authorization', locationType: 'header' },
        errorInfo: { reason: token ? 'ACCESS_TOKEN_EXPIRED' : 'ACCESS_TOKEN_TYPE_UNSUPPORTED', metadata },
        headers: { 'www-authenticate': 'Bearer realm="https://accounts.google.com/", error="invalid_token"' },
      },
    );
  }
  const allowed = write ? COMPUTE_WRITE_SCOPES : COMPUTE_READ_SCOPES;
  if (!token.scopes.some((scope) => allowed.has(scope))) {
    return googleError(403, 'Request had insufficient authentication scopes.', {
      reason: 'insufficientPermissions',
      errorInfo: { reason: 'ACCESS_TOKEN_SCOPE_INSUFFICIENT', metadata },
      headers: { 'www-authenticate': 'Bearer realm="https://accounts.google.com/", error="insufficient_scope"' },
    });
  }
  return undefined;
}

/**
 * A self-signed JWT used directly as the bearer token (https://google.aip.dev/auth/4111): what
 * google-auth-library sends instead of an OAuth token when a client sets useJWTAccessWithScope
 * (the Cloud Monitoring client does). Signed by a registered key of the estate's service account,
 * with its scopes in `scope` or the API as `aud`.
 */
function selfSignedJwt(token: string, ctx: SandboxContext, service: string): IssuedToken | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  const header = decodeSegment(parts[0]);
  const claims = decodeSegment(parts[1]);
  const email = ctx.estate.gcp.serviceAccountEmail;
  if (header?.alg !== 'RS256' || !claims || claims.iss !== email || (claims.sub !== undefined && claims.sub !== email)) return undefined;
  const signed = Buffer.from(`${parts[0]}.${parts[1]}`);
  const signature = Buffer.from(parts[2], 'base64url');
  const keys = oauthState(ctx.state).keys.filter((entry) => entry.email === undefined || entry.email === email);
  if (!keys.some((entry) => verify('sha256', signed, entry.key, signature))) return undefined;
  const exp = Number(claims.exp);
  if (!Number.isFinite(exp)) return undefined;
  const scopes =
    typeof claims.scope === 'string'
      ? claims.scope.split(/\s+/).filter(Boolean)
      : claims.aud === `https://${service}/`
        ? ['https://www.googleapis.com/auth/cloud-platform.read-only']
        : [];
  return { email, scopes, expiresAt: exp * 1000 };
}

export const oauthTokenService: SandboxService = {
  name: 'gcp.oauth',
  matches: (req) => !req.aws && req.url.pathname === '/token',
  // The token endpoint is not a Compute quota: no throttling bucket, no regional outage.
  scope: () => undefined,
  handle: issueToken,
  faultResponse: (_req, fault) =>
    fault === 'throttle'
      ? oauthError(429, 'rate_limit_exceeded', 'Rate limit exceeded.')
      : oauthError(503, 'temporarily_unavailable', 'The service is currently unavailable.'),
};
