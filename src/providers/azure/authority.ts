// When MSAL cannot fetch the tenant's OpenID configuration it reports only
// `endpoints_resolution_error`, whether the tenant does not exist (permanent), the authority's
// certificate is untrusted (permanent) or the request hit a blip (retryable). Guardian asks the
// authority itself, once, so the engine retries the blips and reports the rest precisely.

import { request } from 'node:https';
import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/core-auth';

export const PUBLIC_AUTHORITY_HOST = 'https://login.microsoftonline.com';

export interface AuthorityTarget {
  authorityHost?: string;
  tenantId?: string;
  ca?: string;
}

export interface AuthorityDiagnosis {
  /** 'auth': the configuration is wrong; 'transient': try again. */
  errorClass: 'auth' | 'transient';
  code: string;
  message: string;
}

/** An authority failure explained: what classify() maps for the engine. */
export class AuthorityError extends Error {
  override readonly name = 'AuthorityError';
  constructor(readonly diagnosis: AuthorityDiagnosis) {
    super(diagnosis.message);
  }
}

/** Fetch the tenant's OpenID configuration the way MSAL does and say what went wrong. */
export function diagnoseAuthority(target: AuthorityTarget, signal?: AbortSignal): Promise<AuthorityDiagnosis> {
  const host = (target.authorityHost ?? PUBLIC_AUTHORITY_HOST).replace(/\/+$/, '');
  const url = `${host}/${target.tenantId ?? 'organizations'}/v2.0/.well-known/openid-configuration`;
  return new Promise((resolve) => {
    const req = request(url, { ca: target.ca, signal, timeout: 10_000 }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const status = response.statusCode ?? 0;
        if (status === 200) {
          resolve({
            errorClass: 'transient',
            code: 'endpoints_resolution_error',
            message: `the authority ${host} did not answer MSAL but answers now`,
          });
          return;
        }
        const body = Buffer.concat(chunks).toString('utf8');
        const aadsts = /AADSTS(\d+): [^\\\r\n]*/.exec(body);
        const permanent = status >= 400 && status < 500 && status !== 429;
        resolve({
          errorClass: permanent ? 'auth' : 'transient',
          code: aadsts ? `AADSTS${aadsts[1]}` : `HTTP${status}`,
          message: `the authority ${host} answered ${status}${aadsts ? `: ${aadsts[0]}` : ''}`,
        });
      });
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })));
    req.on('error', (error: NodeJS.ErrnoException) => {
      const code = error.code ?? error.name;
      if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ALTNAME/.test(code)) {
        resolve({
          errorClass: 'auth',
          code,
          message: `the authority ${host} presented a TLS certificate this machine does not trust (${code}); set azure.caFile to its CA`,
        });
      } else {
        resolve({ errorClass: 'transient', code, message: `the authority ${host} is unreachable (${code})` });
      }
    });
    req.end();
  });
}

function mentionsEndpointResolution(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error.message.includes('endpoints_resolution_error')) return true;
  const inner = (error as { errors?: unknown[] }).errors;
  return Array.isArray(inner) && inner.some(mentionsEndpointResolution);
}

/** Wrap a credential so an unexplained authority failure is diagnosed before it is thrown. */
export function diagnosingCredential(inner: TokenCredential, target: AuthorityTarget): TokenCredential {
  return {
    async getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken | null> {
      try {
        return await inner.getToken(scopes, options);
      } catch (error) {
        if (!mentionsEndpointResolution(error)) throw error;
        throw new AuthorityError(await diagnoseAuthority(target, options?.abortSignal as AbortSignal | undefined));
      }
    },
  };
}
