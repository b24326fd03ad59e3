// The built-in `demo` profile: starts the sandbox in-process and writes the files a real user
// would have — an AWS shared config and credentials file with a named profile, a GCP
// service-account key whose token_uri is the sandbox, the CA that signs the Azure listener — so
// the providers run exactly the code paths they run against the real clouds.

import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Profile } from '../config/profile.js';
import { registerSecret } from '../config/redact.js';
import { createServiceAccountKey, sandboxBillingExportTable } from './gcp/index.js';
import { createSandbox, SANDBOX_DEFAULTS, type Sandbox } from './index.js';
import {
  parseDay,
  parseLatency,
  parseMilliseconds,
  parseOperationFaults,
  parseOutageRegions,
  parseRate,
  parseSeed,
  parseSize,
  parseSwitch,
  parseThrottle,
} from './options.js';
import type { FaultOptions } from './server/faults.js';

/** The AWS named profile the demo writes (the management account's keys, region us-east-1). */
export const DEMO_AWS_PROFILE = 'guardian-demo';
export const DEMO_AWS_REGION = 'us-east-1';
export const DEMO_DEFAULTS = SANDBOX_DEFAULTS;

export interface DemoOptions {
  seed?: number;
  size?: number;
  now?: string;
  faults?: FaultOptions;
  /** How long each stage of an asynchronous change takes (a stopping instance, a pending snapshot), ms. */
  settleMs?: number;
  /** Serve Cost Explorer's resource-level data (default true). */
  resourceLevelData?: boolean;
  port?: number;
  azurePort?: number;
}

export interface DemoFiles {
  awsConfig: string;
  awsCredentials: string;
  gcpKey: string;
  caFile: string;
}

export interface Demo {
  profile: Profile;
  /** Variables to add to the environment the providers get (the AWS SDK reads its files from them). */
  env: { AWS_CONFIG_FILE: string; AWS_SHARED_CREDENTIALS_FILE: string };
  files: DemoFiles;
  sandbox: Sandbox;
  close(): Promise<void>;
}

/** Reads GUARDIAN_DEMO_* (seed, size, now, latency, throttle, errors, resets, outage, fail, settle, resource data); UsageError on a bad value. */
export function demoOptionsFromEnv(env: NodeJS.ProcessEnv): DemoOptions {
  const options: DemoOptions = {};
  const faults: FaultOptions = {};
  const readers: [string, (name: string, text: string) => void][] = [
    ['GUARDIAN_DEMO_SEED', (name, text) => (options.seed = parseSeed(name, text))],
    ['GUARDIAN_DEMO_SIZE', (name, text) => (options.size = parseSize(name, text))],
    ['GUARDIAN_DEMO_NOW', (name, text) => (options.now = parseDay(name, text))],
    ['GUARDIAN_DEMO_LATENCY', (name, text) => Object.assign(faults, parseLatency(name, text))],
    ['GUARDIAN_DEMO_THROTTLE', (name, text) => (faults.throttle = parseThrottle(name, text))],
    ['GUARDIAN_DEMO_ERRORS', (name, text) => (faults.errorRate = parseRate(name, text))],
    ['GUARDIAN_DEMO_RESETS', (name, text) => (faults.resetRate = parseRate(name, text))],
    ['GUARDIAN_DEMO_OUTAGE', (name, text) => (faults.outages = parseOutageRegions(name, text))],
    ['GUARDIAN_DEMO_FAIL', (name, text) => (faults.failOperations = parseOperationFaults(name, text))],
    ['GUARDIAN_DEMO_SETTLE', (name, text) => (options.settleMs = parseMilliseconds(name, text))],
    ['GUARDIAN_DEMO_RESOURCE_DATA', (name, text) => (options.resourceLevelData = parseSwitch(name, text))],
  ];
  for (const [name, read] of readers) {
    const text = env[name];
    if (text !== undefined && text.trim() !== '') read(name, text);
  }
  if (Object.keys(faults).length) options.faults = faults;
  return options;
}

/** Starts the sandbox and writes the demo's credential files into `tempDir` (which the caller owns). */
export async function startDemo(options: DemoOptions, tempDir: string): Promise<Demo> {
  const sandbox = await createSandbox({
    seed: options.seed ?? DEMO_DEFAULTS.seed,
    size: options.size ?? DEMO_DEFAULTS.size,
    now: options.now,
    faults: options.faults,
    settleMs: options.settleMs,
    resourceLevelData: options.resourceLevelData,
    port: options.port,
    azurePort: options.azurePort,
  });
  try {
    const { estate } = sandbox;
    const management = estate.aws.accounts.find((a) => a.management) ?? estate.aws.accounts[0];
    registerSecret(management.secretAccessKey);
    registerSecret(estate.azure.clientSecret);
    const files: DemoFiles = {
      awsConfig: path.join(tempDir, 'aws-config'),
      awsCredentials: path.join(tempDir, 'aws-credentials'),
      gcpKey: path.join(tempDir, 'gcp-service-account.json'),
      caFile: path.join(tempDir, 'sandbox-ca.pem'),
    };
    const key = createServiceAccountKey(sandbox.server.state, estate, `${sandbox.gcpOrigin}/token`);
    const secret = { mode: 0o600 } as const;
    await Promise.all([
      writeFile(
        files.awsConfig,
        `[profile ${DEMO_AWS_PROFILE}]\nregion = ${DEMO_AWS_REGION}\nendpoint_url = ${sandbox.awsOrigin}\noutput = json\n`,
        secret,
      ),
      writeFile(
        files.awsCredentials,
        `[${DEMO_AWS_PROFILE}]\naws_access_key_id = ${management.accessKeyId}\naws_secret_access_key = ${management.secretAccessKey}\n`,
        secret,
      ),
      writeFile(files.gcpKey, `${JSON.stringify(key, null, 2)}\n`, secret),
      writeFile(files.caFile, sandbox.caPem),
    ]);
    const profile: Profile = {
      aws: { profiles: [DEMO_AWS_PROFILE], assumeRole: estate.aws.organizationRole, endpoint: sandbox.awsOrigin },
      azure: {
        auth: 'client-secret',
        tenantId: estate.azure.tenantId,
        clientId: estate.azure.clientId,
        clientSecret: estate.azure.clientSecret,
        authorityHost: sandbox.azureOrigin,
        endpoint: sandbox.azureOrigin,
        caFile: files.caFile,
      },
      gcp: {
        projects: estate.gcp.projects.map((p) => p.id),
        keyFile: files.gcpKey,
        endpoint: sandbox.gcpOrigin,
        billingExportTable: sandboxBillingExportTable(estate),
      },
    };
    return {
      profile,
      env: { AWS_CONFIG_FILE: files.awsConfig, AWS_SHARED_CREDENTIALS_FILE: files.awsCredentials },
      files,
      sandbox,
      close: () => sandbox.close(),
    };
  } catch (error) {
    await sandbox.close();
    throw error;
  }
}
