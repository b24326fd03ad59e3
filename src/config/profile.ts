// What a Guardian profile holds. Stored by src/config/store.ts; the built-in 'demo' profile is
// resolved at run time against the in-process sandbox (src/sandbox/demo.ts).

import type { Suppression } from '../model/finding.js';

export interface AwsSettings {
  /** Named profiles from ~/.aws/config to cover; empty or absent: the default credential chain (AWS_PROFILE…). */
  profiles?: string[];
  /** Regions to cover; absent: every region enabled for each account (DescribeRegions). */
  regions?: string[];
  /** Role name to assume in each AWS Organizations member account (e.g. OrganizationAccountAccessRole). */
  assumeRole?: string;
  /** Restrict to these account ids (with assumeRole: the member accounts to visit; absent: all of them). */
  accounts?: string[];
  /** Custom endpoint for every AWS service (otherwise AWS_ENDPOINT_URL / the SDK default). */
  endpoint?: string;
}

export interface AzureSettings {
  tenantId?: string;
  /** Subscription ids to cover; absent: every subscription the credential can see. */
  subscriptions?: string[];
  /** 'default' = DefaultAzureCredential (env, workload identity, managed identity, az login…). */
  auth?: 'default' | 'cli' | 'client-secret' | 'managed-identity';
  clientId?: string;
  /** Stored only when the user asks (config set --secret); redacted everywhere. */
  clientSecret?: string;
  /** Resource Manager endpoint (sovereign clouds, Azure Stack, the sandbox). */
  endpoint?: string;
  authorityHost?: string;
  /** PEM file of the CA that signs the endpoint's and authority's TLS certificates (private clouds, the sandbox). */
  caFile?: string;
}

export interface GcpSettings {
  /** Project ids to cover. */
  projects?: string[];
  /** Service-account key file; absent: Application Default Credentials (GOOGLE_APPLICATION_CREDENTIALS, gcloud ADC). */
  keyFile?: string;
  /** Cloud Billing export table, `project.dataset.table`. */
  billingExportTable?: string;
  /** API endpoint override (Private Service Connect, the sandbox). */
  endpoint?: string;
}

export interface Defaults {
  concurrency?: number;
  output?: 'table' | 'json' | 'csv' | 'markdown';
}

export interface LlmSettings {
  baseUrl?: string;
  model?: string;
  /** Secret. */
  apiKey?: string;
}

export interface Profile {
  aws?: AwsSettings;
  azure?: AzureSettings;
  gcp?: GcpSettings;
  defaults?: Defaults;
  llm?: LlmSettings;
  /** Accepted scan findings (rule, optional resource, reason, optional expiry); see guardian scan. */
  suppressions?: Suppression[];
}

/** Dotted keys whose values are secrets: stored only on request, redacted in every listing. */
export const SECRET_KEYS = ['azure.clientSecret', 'llm.apiKey'] as const;

export const DEMO_PROFILE = 'demo';

/**
 * The profile a run asks for: --profile, then GUARDIAN_PROFILE. Undefined leaves the choice to the
 * config store (its current profile, else 'default'). The one place this precedence is written.
 */
export function requestedProfileName(flag: string | undefined, env: NodeJS.ProcessEnv): string | undefined {
  return flag || env.GUARDIAN_PROFILE || undefined;
}

/**
 * The day the demo cloud's data is pinned to (GUARDIAN_DEMO_NOW) when the demo profile is asked
 * for: its bills and metrics end there, not today. Undefined for every other profile.
 */
export function pinnedDemoDay(requested: string | undefined, env: NodeJS.ProcessEnv): string | undefined {
  const day = env.GUARDIAN_DEMO_NOW?.trim();
  return requested === DEMO_PROFILE && day && /^\d{4}-\d{2}-\d{2}$/.test(day) ? day : undefined;
}
