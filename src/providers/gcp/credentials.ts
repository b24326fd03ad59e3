// Where GCP credentials come from: the profile's key file, else Application Default Credentials
// resolved from the env passed in (GOOGLE_APPLICATION_CREDENTIALS, then gcloud's
// application_default_credentials.json, then the metadata server), read-only scope unless the
// caller asks for another (optimize --apply's changes ask for Compute's read-write scope).

import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { AuthClient, GoogleAuth } from 'google-auth-library';
import type { GcpSettings } from '../../config/profile.js';
import { ConfigError } from '../../errors.js';

export const READ_ONLY_SCOPE = 'https://www.googleapis.com/auth/cloud-platform.read-only';
/** Compute Engine read-write: what a change (addresses.delete, disks.createSnapshot, instances.stop…) needs. */
export const COMPUTE_WRITE_SCOPE = 'https://www.googleapis.com/auth/compute';
/** google-auth-library's JWT client always posts here, whatever the key file's token_uri says. */
const GOOGLE_TOKEN_URL = 'https://oauth2.googleapis.com/token';

export interface GcpCredentials {
  /** What the compute clients authenticate with. */
  auth: GoogleAuth | AuthClient;
  /** Human description of where the credential came from (never the secret itself). */
  source: string;
  /** The service account or user the credential belongs to, when the file names one. */
  principal?: string;
  /** The project the credential file names (a hint; scopes come from settings.projects). */
  projectId?: string;
}

interface CredentialFile {
  path: string;
  origin: string;
}

/** The ADC file a user would expect, looked up in the env given (not process.env). */
export function findCredentialFile(settings: GcpSettings, env: NodeJS.ProcessEnv): CredentialFile | undefined {
  if (settings.keyFile) return { path: settings.keyFile, origin: 'the profile key file' };
  if (env.GOOGLE_APPLICATION_CREDENTIALS) return { path: env.GOOGLE_APPLICATION_CREDENTIALS, origin: 'GOOGLE_APPLICATION_CREDENTIALS' };
  const configDir =
    env.CLOUDSDK_CONFIG ??
    (process.platform === 'win32' && env.APPDATA ? join(env.APPDATA, 'gcloud') : join(env.HOME ?? homedir(), '.config', 'gcloud'));
  const adc = join(configDir, 'application_default_credentials.json');
  return existsSync(adc) ? { path: adc, origin: "gcloud's application default credentials" } : undefined;
}

async function readCredentialFile(file: CredentialFile): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(file.path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigError(`cannot read the GCP credential file ${file.path} (${file.origin}): ${code ?? String(error)}`, {
      hint: 'check gcp.keyFile in the profile or GOOGLE_APPLICATION_CREDENTIALS',
    });
  }
  try {
    const json = JSON.parse(text);
    if (json && typeof json === 'object' && typeof json.type === 'string') return json;
  } catch {
    // fall through to the error below
  }
  throw new ConfigError(`the GCP credential file ${file.path} (${file.origin}) is not a Google credential JSON file`, {
    hint: 'download a service-account key from the Cloud Console, or run `gcloud auth application-default login`',
  });
}

/**
 * Build the auth object the Compute clients use. Node's google-auth-library ignores a service-account
 * key file's token_uri (it always posts to oauth2.googleapis.com); Python's google-auth honours it,
 * and key files for private endpoints and the sandbox rely on that, so we route the token request there.
 */
export async function resolveGcpCredentials(
  settings: GcpSettings,
  env: NodeJS.ProcessEnv,
  scopes: string[] = [READ_ONLY_SCOPE],
): Promise<GcpCredentials> {
  const { Compute, gaxios, GoogleAuth, gcpMetadata } = await import('google-auth-library');
  const file = findCredentialFile(settings, env);
  if (!file) {
    if (!(await gcpMetadata.isAvailable())) {
      throw new ConfigError(
        'no GCP credentials found: no gcp.keyFile, no GOOGLE_APPLICATION_CREDENTIALS, no gcloud ADC file and no metadata server',
        {
          hint: "set gcp.keyFile in the profile, export GOOGLE_APPLICATION_CREDENTIALS, or run 'gcloud auth application-default login'",
        },
      );
    }
    return { auth: new Compute({ scopes }), source: 'the GCE metadata server' };
  }
  const json = await readCredentialFile(file);
  const transporter = new gaxios.Gaxios();
  const tokenUri = typeof json.token_uri === 'string' ? json.token_uri : undefined;
  if (json.type === 'service_account' && tokenUri && tokenUri !== GOOGLE_TOKEN_URL) {
    transporter.interceptors.request.add({
      resolved: async (config) => {
        if (String(config.url) === GOOGLE_TOKEN_URL) config.url = new URL(tokenUri);
        return config;
      },
    });
  }
  const auth = new GoogleAuth({ credentials: json, scopes, clientOptions: { transporter } });
  const principal = typeof json.client_email === 'string' ? json.client_email : undefined;
  const projectId = typeof json.project_id === 'string' ? json.project_id : undefined;
  return { auth, source: `${file.origin} (${file.path}, ${String(json.type).replace(/_/g, ' ')})`, principal, projectId };
}
