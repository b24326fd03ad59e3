// What `guardian sandbox serve` does between its parsed flags and its output: start the sandbox
// with its credential files in a temporary directory, describe how to point the SDKs (or a
// Guardian profile) at it, serve until the run's signal, then close it and remove the files.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Profile } from '../config/profile.js';
import { DEMO_AWS_PROFILE, DEMO_AWS_REGION, type Demo, type DemoFiles, startDemo } from './demo.js';
import { servedServices } from './index.js';
import type { FaultOptions } from './server/faults.js';

export interface ServeOptions {
  seed: number;
  size: number;
  now?: string;
  port: number;
  azurePort: number;
  faults: FaultOptions;
  settleMs?: number;
  /** Serve Cost Explorer's resource-level data (default true; --no-resource-data turns it off). */
  resourceLevelData?: boolean;
}

/** What `serve` prints: endpoints, the variables to export, and Guardian profile settings. */
export interface ServeInfo {
  seed: number;
  size: number;
  now: string;
  endpoints: { aws: string; gcp: string; azure: string };
  env: Record<string, string>;
  files: DemoFiles;
  awsProfile: string;
  profile: Profile;
  /** Commands that store the same settings as a Guardian profile named 'sandbox'. */
  guardianConfig: string[];
  faults: FaultOptions;
  /** The services each endpoint serves; anything else is answered with that cloud's not-found error. */
  served: Record<'aws' | 'azure' | 'gcp', string[]>;
}

export interface ServeHooks {
  /** Stops the server (Ctrl-C, SIGTERM). */
  signal: AbortSignal;
  log: { verbose(line: string): void };
  /** The sandbox is up: say where it is. */
  onReady(info: ServeInfo): void;
}

/** Runs the sandbox until `hooks.signal` aborts; everything it started and wrote is gone when it returns. */
export async function serveSandbox(options: ServeOptions, hooks: ServeHooks): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'guardian-sandbox-'));
  try {
    hooks.log.verbose(`generating a ${options.size}-resource estate (seed ${options.seed})…`);
    const demo = await startDemo(options, dir);
    try {
      hooks.onReady(serveInfo(demo, options.faults));
      await new Promise<void>((resolve) => {
        if (hooks.signal.aborted) resolve();
        else hooks.signal.addEventListener('abort', () => resolve(), { once: true });
      });
      const stats = demo.sandbox.faultStats();
      hooks.log.verbose(
        `served ${stats.requests} requests (throttled ${stats.throttled}, 5xx ${stats.serverErrors}, resets ${stats.resets}, held ${stats.outages})`,
      );
    } finally {
      await demo.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export function serveInfo(demo: Pick<Demo, 'sandbox' | 'files' | 'profile'>, faults: FaultOptions): ServeInfo {
  const { estate, awsOrigin, gcpOrigin, azureOrigin } = demo.sandbox;
  const management = estate.aws.accounts.find((a) => a.management) ?? estate.aws.accounts[0];
  const env: Record<string, string> = {
    AWS_ENDPOINT_URL: awsOrigin,
    AWS_ACCESS_KEY_ID: management.accessKeyId,
    AWS_SECRET_ACCESS_KEY: management.secretAccessKey,
    AWS_REGION: DEMO_AWS_REGION,
    // awscli v1 (botocore) and older SDK releases read the region only from AWS_DEFAULT_REGION.
    AWS_DEFAULT_REGION: DEMO_AWS_REGION,
    GOOGLE_APPLICATION_CREDENTIALS: demo.files.gcpKey,
    NODE_EXTRA_CA_CERTS: demo.files.caFile,
    AZURE_TENANT_ID: estate.azure.tenantId,
    AZURE_CLIENT_ID: estate.azure.clientId,
    AZURE_CLIENT_SECRET: estate.azure.clientSecret,
    AZURE_AUTHORITY_HOST: azureOrigin,
  };
  return {
    seed: estate.seed,
    size: estate.size,
    now: estate.now,
    endpoints: { aws: awsOrigin, gcp: gcpOrigin, azure: azureOrigin },
    env,
    files: demo.files,
    awsProfile: DEMO_AWS_PROFILE,
    profile: demo.profile,
    guardianConfig: guardianConfigLines(demo.profile, demo.files),
    faults,
    served: servedServices(),
  };
}

/** `config set` lines that store the sandbox's settings as a Guardian profile named 'sandbox'. */
export function guardianConfigLines(profile: Profile, files: DemoFiles): string[] {
  const set = (key: string, value: string) => `guardian --profile sandbox config set ${key} ${value}`;
  const { aws, azure, gcp } = profile;
  return [
    `export AWS_CONFIG_FILE=${files.awsConfig} AWS_SHARED_CREDENTIALS_FILE=${files.awsCredentials}`,
    set('aws.profiles', aws?.profiles?.join(',') ?? ''),
    set('aws.assumeRole', aws?.assumeRole ?? ''),
    set('aws.endpoint', aws?.endpoint ?? ''),
    set('azure.auth', 'client-secret'),
    set('azure.tenantId', azure?.tenantId ?? ''),
    set('azure.clientId', azure?.clientId ?? ''),
    `printenv AZURE_CLIENT_SECRET | guardian --profile sandbox config set azure.clientSecret - --secret`,
    set('azure.authorityHost', azure?.authorityHost ?? ''),
    set('azure.endpoint', azure?.endpoint ?? ''),
    set('azure.caFile', files.caFile),
    set('gcp.projects', gcp?.projects?.join(',') ?? ''),
    set('gcp.keyFile', files.gcpKey),
    set('gcp.endpoint', gcp?.endpoint ?? ''),
    ...(gcp?.billingExportTable ? [set('gcp.billingExportTable', gcp.billingExportTable)] : []),
  ];
}

/** The text form of `ServeInfo`, for a person at a terminal. */
export function renderServeText(info: ServeInfo): string {
  const lines = [
    `Guardian sandbox: seed ${info.seed}, ${info.size.toLocaleString('en-US')} resources, as of ${info.now.slice(0, 10)}`,
    `  AWS and GCP  ${info.endpoints.aws}`,
    `    AWS: ${info.served.aws.join(', ')}`,
    `    GCP: ${info.served.gcp.join(', ')}`,
    `  Azure        ${info.endpoints.azure}`,
    `    ${info.served.azure.join(', ')}`,
    '  Any other service is answered with its cloud’s own not-found error.',
    '',
    '# Point the SDKs or another tool at it (these keys exist only in the sandbox):',
    ...Object.entries(info.env).map(([name, value]) => `export ${name}=${value}`),
    '',
    `# Or an AWS named profile: AWS_CONFIG_FILE=${info.files.awsConfig} AWS_SHARED_CREDENTIALS_FILE=${info.files.awsCredentials} AWS_PROFILE=${info.awsProfile}`,
    '',
    "# Or a Guardian profile named 'sandbox' (the files above live while this command runs):",
    ...info.guardianConfig,
    '',
    '# (guardian --profile demo runs its own in-process sandbox instead.)',
  ];
  return lines.join('\n');
}
