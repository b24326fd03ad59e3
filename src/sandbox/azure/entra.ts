// Microsoft Entra ID (Azure AD) as MSAL's client-credentials flow uses it: the tenant's OpenID
// discovery document, the v2.0 token endpoint, instance discovery and the signing-key set.
// @azure/identity's ClientSecretCredential with `authorityHost` = the sandbox origin talks to it
// unchanged. Tokens are HS256 JWTs signed with a key that lives as long as the server, so ARM
// modules (this one's and the costs/monitor ones) can check them with `authenticateArmRequest`.

import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { Estate } from '../estate/types.js';
import { type SandboxState, serverSlot } from '../server/state.js';
import type { SandboxContext, SandboxRequest, SandboxResponse, SandboxService } from '../server/types.js';
import { armError } from './arm-protocol.js';

const TOKEN_LIFETIME_SECONDS = 3599;
/** Audiences ARM accepts besides its own origin (the public cloud's, as real ARM lists them). */
const PUBLIC_ARM_AUDIENCES = ['https://management.azure.com', 'https://management.core.windows.net'];

interface EntraState {
  signingKey: Buffer;
  issued: number;
}

const ENTRA = serverSlot<EntraState>('azure.entra', () => ({ signingKey: randomBytes(32), issued: 0 }));

function entraState(ctx: SandboxContext): EntraState {
  return ctx.state.get(ENTRA);
}

/** The claims of a token the sandbox issued. */
export interface EntraClaims {
  aud: string;
  iss: string;
  tid: string;
  appid: string;
  oid: string;
  iat: number;
  nbf: number;
  exp: number;
}

const base64url = (value: Buffer | string) => Buffer.from(value).toString('base64url');

function sign(ctx: SandboxContext, claims: EntraClaims): string {
  const header = base64url(JSON.stringify({ typ: 'JWT', alg: 'HS256', kid: 'sandbox' }));
  const payload = base64url(JSON.stringify(claims));
  const signature = createHmac('sha256', entraState(ctx).signingKey).update(`${header}.${payload}`).digest('base64url');
  return `${header}.${payload}.${signature}`;
}

function verify(ctx: SandboxContext, token: string): EntraClaims | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  const expected = createHmac('sha256', entraState(ctx).signingKey).update(`${parts[0]}.${parts[1]}`).digest();
  const given = Buffer.from(parts[2], 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  try {
    return JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as EntraClaims;
  } catch {
    return undefined;
  }
}

const trimSlash = (value: string) => value.replace(/\/+$/, '');

/** The audiences this sandbox's ARM accepts: its own origin and the public cloud's. */
export function armAudiences(origin: string): string[] {
  return [trimSlash(origin), ...PUBLIC_ARM_AUDIENCES];
}

/**
 * Check an ARM request's bearer token the way ARM does. Returns the caller's claims, or the
 * 401 ARM answers (with its WWW-Authenticate challenge naming this authority).
 */
export function authenticateArmRequest(req: SandboxRequest, ctx: SandboxContext): { claims: EntraClaims } | { response: SandboxResponse } {
  const tenant = ctx.estate.azure.tenantId;
  const challenge = (error: string, description: string) => ({
    'www-authenticate': `Bearer authorization_uri="${ctx.origin}/${tenant}", error="${error}", error_description="${description}"`,
  });
  const header = req.headers.authorization;
  if (!header) {
    return {
      response: armError(
        401,
        'AuthenticationFailed',
        "Authentication failed. The 'Authorization' header is missing.",
        challenge('invalid_token', "The authentication failed because of missing 'Authorization' header."),
      ),
    };
  }
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match) {
    return {
      response: armError(
        401,
        'AuthenticationFailed',
        "Authentication failed. The 'Authorization' header is provided in an invalid format.",
        challenge('invalid_token', "The authentication failed because of invalid 'Authorization' header."),
      ),
    };
  }
  const claims = verify(ctx, match[1]);
  if (!claims) {
    return {
      response: armError(
        401,
        'InvalidAuthenticationToken',
        'The access token is invalid.',
        challenge('invalid_token', 'The access token is invalid.'),
      ),
    };
  }
  if (claims.exp * 1000 < Date.now()) {
    return {
      response: armError(
        401,
        'ExpiredAuthenticationToken',
        `The access token expiry UTC time '${new Date(claims.exp * 1000).toUTCString()}' is earlier than current UTC time '${new Date().toUTCString()}'.`,
        challenge('invalid_token', 'The access token has expired.'),
      ),
    };
  }
  const allowed = armAudiences(ctx.origin);
  if (!allowed.includes(trimSlash(claims.aud))) {
    return {
      response: armError(
        401,
        'InvalidAuthenticationTokenAudience',
        `The access token has been obtained for wrong audience or resource '${claims.aud}'. It should exactly match with one of the allowed audiences ${allowed.map((a) => `'${a}/','${a}'`).join(',')}.`,
        challenge('invalid_token', 'The access token has been obtained from wrong audience or resource.'),
      ),
    };
  }
  if (claims.tid !== tenant) {
    return {
      response: armError(
        401,
        'InvalidAuthenticationTokenTenant',
        `The access token is from the wrong issuer '${claims.iss}'. It must match the tenant '${ctx.origin}/${tenant}/' associated with this subscription.`,
      ),
    };
  }
  return { claims };
}

// ---- Entra error responses ------------------------------------------------------------------

function entraError(ctx: SandboxContext, status: number, error: string, code: number, description: string): SandboxResponse {
  const now = new Date();
  const timestamp = `${now.toISOString().slice(0, 19).replace('T', ' ')}Z`;
  const traceId = randomUUID();
  const correlationId = randomUUID();
  return {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store, no-cache', 'x-ms-request-id': traceId },
    body: JSON.stringify({
      error,
      error_description: `AADSTS${code}: ${description}\r\nTrace ID: ${traceId}\r\nCorrelation ID: ${correlationId}\r\nTimestamp: ${timestamp}`,
      error_codes: [code],
      timestamp,
      trace_id: traceId,
      correlation_id: correlationId,
      error_uri: `${ctx.origin}/error?code=${code}`,
    }),
  };
}

function tenantNotFound(ctx: SandboxContext, tenant: string): SandboxResponse {
  return entraError(
    ctx,
    400,
    'invalid_tenant',
    90002,
    `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.`,
  );
}

const json = (body: unknown): SandboxResponse => ({
  status: 200,
  headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'max-age=86400, private' },
  body: JSON.stringify(body),
});

/** Tenants the authority answers for: the estate's, and the multi-tenant aliases MSAL may use. */
function knownTenant(estate: Estate, tenant: string): boolean {
  return tenant === estate.azure.tenantId || tenant === 'organizations' || tenant === 'common';
}

function openIdConfiguration(ctx: SandboxContext, tenant: string): SandboxResponse {
  if (!knownTenant(ctx.estate, tenant)) return tenantNotFound(ctx, tenant);
  // Like Entra, the multi-tenant aliases answer with a `{tenantid}` placeholder in the issuer.
  const issuerTenant = tenant === ctx.estate.azure.tenantId ? tenant : '{tenantid}';
  const base = `${ctx.origin}/${tenant}`;
  return json({
    token_endpoint: `${base}/oauth2/v2.0/token`,
    token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
    jwks_uri: `${base}/discovery/v2.0/keys`,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    issuer: `${ctx.origin}/${issuerTenant}/v2.0`,
    request_uri_parameter_supported: false,
    userinfo_endpoint: `${ctx.origin}/oidc/userinfo`,
    authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
    device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${base}/oauth2/v2.0/logout`,
    claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'auth_time', 'acr', 'nonce', 'tid', 'ver', 'at_hash', 'c_hash', 'email'],
    tenant_region_scope: 'EU',
    cloud_instance_name: new URL(ctx.origin).host,
    cloud_graph_host_name: new URL(ctx.origin).host,
    msgraph_host: new URL(ctx.origin).host,
    rbac_url: ctx.origin,
  });
}

function instanceDiscovery(ctx: SandboxContext, req: SandboxRequest): SandboxResponse {
  const host = new URL(ctx.origin).host;
  const tenant = ctx.estate.azure.tenantId;
  const authorize = req.url.searchParams.get('authorization_endpoint');
  const tenantInPath = authorize ? /^https?:\/\/[^/]+\/([^/]+)\//.exec(authorize)?.[1] : undefined;
  return json({
    tenant_discovery_endpoint: `${ctx.origin}/${tenantInPath ?? tenant}/v2.0/.well-known/openid-configuration`,
    'api-version': '1.1',
    metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
  });
}

function parseClientAuth(req: SandboxRequest, form: URLSearchParams): { clientId?: string; clientSecret?: string } {
  const basic = /^Basic\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  if (basic) {
    const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon > 0)
      return { clientId: decodeURIComponent(decoded.slice(0, colon)), clientSecret: decodeURIComponent(decoded.slice(colon + 1)) };
  }
  return { clientId: form.get('client_id') ?? undefined, clientSecret: form.get('client_secret') ?? undefined };
}

function token(ctx: SandboxContext, req: SandboxRequest, tenant: string): SandboxResponse {
  const { azure } = ctx.estate;
  if (req.method !== 'POST') {
    return entraError(ctx, 400, 'invalid_request', 900561, 'The endpoint only accepts POST requests. Received a GET request.');
  }
  if (!knownTenant(ctx.estate, tenant)) return tenantNotFound(ctx, tenant);
  const form = new URLSearchParams(req.body.toString('utf8'));
  const grantType = form.get('grant_type');
  if (!grantType) {
    return entraError(ctx, 400, 'invalid_request', 900144, "The request body must contain the following parameter: 'grant_type'.");
  }
  if (grantType !== 'client_credentials') {
    return entraError(ctx, 400, 'unsupported_grant_type', 70003, `The app requested an unsupported grant type '${grantType}'.`);
  }
  if (tenant !== azure.tenantId) {
    return entraError(
      ctx,
      400,
      'invalid_request',
      50059,
      'No tenant-identifying information found in either the request or implied by any provided credentials.',
    );
  }
  const { clientId, clientSecret } = parseClientAuth(req, form);
  if (!clientId) {
    return entraError(ctx, 400, 'invalid_request', 900144, "The request body must contain the following parameter: 'client_id'.");
  }
  if (clientId !== azure.clientId) {
    return entraError(
      ctx,
      400,
      'unauthorized_client',
      700016,
      `Application with identifier '${clientId}' was not found in the directory '${tenant}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
    );
  }
  if (!clientSecret) {
    return entraError(
      ctx,
      401,
      'invalid_client',
      7000218,
      "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
    );
  }
  if (clientSecret !== azure.clientSecret) {
    // Entra answers 401 (not 400) for a wrong secret: the client did try to authenticate.
    return entraError(
      ctx,
      401,
      'invalid_client',
      7000215,
      `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`,
    );
  }
  const scopes = (form.get('scope') ?? '').split(/\s+/).filter(Boolean);
  const resourceScope = scopes.find((scope) => scope.endsWith('/.default'));
  if (!resourceScope) {
    return entraError(
      ctx,
      400,
      'invalid_scope',
      1002012,
      `The provided value for scope ${scopes.join(' ') || '(none)'} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
    );
  }
  const audience = resourceScope.slice(0, -'/.default'.length);
  if (!armAudiences(ctx.origin).includes(trimSlash(audience))) {
    return entraError(
      ctx,
      400,
      'invalid_resource',
      500011,
      `The resource principal named ${audience} was not found in the tenant named ${tenant}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.`,
    );
  }
  const now = Math.floor(Date.now() / 1000);
  const state = entraState(ctx);
  state.issued += 1;
  const accessToken = sign(ctx, {
    aud: audience,
    iss: `${ctx.origin}/${tenant}/`,
    tid: tenant,
    appid: clientId,
    oid: azure.clientId,
    iat: now,
    nbf: now,
    exp: now + TOKEN_LIFETIME_SECONDS,
  });
  return {
    status: 200,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store, no-cache', pragma: 'no-cache' },
    body: JSON.stringify({
      token_type: 'Bearer',
      expires_in: TOKEN_LIFETIME_SECONDS,
      ext_expires_in: TOKEN_LIFETIME_SECONDS,
      access_token: accessToken,
    }),
  };
}

/** How many tokens the sandbox has issued (tests check MSAL caches them). */
export function tokensIssued(state: SandboxState): number {
  return state.get(ENTRA).issued;
}

const OPENID = /^\/([^/]+)\/v2\.0\/\.well-known\/openid-configuration$/;
const TOKEN = /^\/([^/]+)\/oauth2\/v2\.0\/token$/;
const INSTANCE = /^\/([^/]+)\/discovery\/instance$/;
const KEYS = /^\/([^/]+)\/discovery\/v2\.0\/keys$/;

export const entraService: SandboxService = {
  name: 'azure.entra',
  matches(req) {
    if (req.aws) return false;
    const path = req.url.pathname;
    return OPENID.test(path) || TOKEN.test(path) || INSTANCE.test(path) || KEYS.test(path);
  },
  // Entra is not part of a subscription's throttling bucket or a region's outage.
  scope: () => undefined,
  handle(req, ctx) {
    const path = req.url.pathname;
    let match = OPENID.exec(path);
    if (match) return openIdConfiguration(ctx, decodeURIComponent(match[1]));
    match = TOKEN.exec(path);
    if (match) return token(ctx, req, decodeURIComponent(match[1]));
    if (INSTANCE.test(path)) return instanceDiscovery(ctx, req);
    match = KEYS.exec(path);
    if (match && !knownTenant(ctx.estate, decodeURIComponent(match[1]))) return tenantNotFound(ctx, decodeURIComponent(match[1]));
    return json({ keys: [] });
  },
  faultResponse(_req, fault, retryAfterSeconds?: number): SandboxResponse {
    if (fault === 'throttle') {
      return {
        status: 429,
        headers: { 'content-type': 'application/json; charset=utf-8', 'retry-after': String(retryAfterSeconds ?? 1) },
        body: JSON.stringify({
          error: 'temporarily_unavailable',
          error_description: 'AADSTS50196: The server terminated an operation because it encountered a client request loop.',
          error_codes: [50196],
        }),
      };
    }
    return {
      status: fault === 'outage' ? 504 : 503,
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify({
        error: 'temporarily_unavailable',
        error_description: 'AADSTS90033: A transient error has occurred. Please try again.',
        error_codes: [90033],
      }),
    };
  },
};
