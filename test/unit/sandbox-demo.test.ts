// The demo profile: GUARDIAN_DEMO_* parsing, and the files and Profile startDemo hands the
// providers, used the way a real user's would be (AWS named profile from shared files, Azure
// client secret against a private authority over TLS, GCP key file with its own token_uri).

import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { fromIni } from '@aws-sdk/credential-providers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { connectAzure, resolveAzureSettings } from '../../src/providers/azure/connection.js';
import { resolveGcpCredentials } from '../../src/providers/gcp/credentials.js';
import { DEMO_DEFAULTS, type Demo, demoOptionsFromEnv, startDemo } from '../../src/sandbox/demo.js';
import { createSandboxTls } from '../../src/sandbox/server/tls.js';

describe('GUARDIAN_DEMO_* settings', () => {
  it('reads every variable into demo options', () => {
    expect(
      demoOptionsFromEnv({
        GUARDIAN_DEMO_SEED: '7',
        GUARDIAN_DEMO_SIZE: '5000',
        GUARDIAN_DEMO_NOW: '2026-01-31',
        GUARDIAN_DEMO_LATENCY: '40:10',
        GUARDIAN_DEMO_THROTTLE: '100:20',
        GUARDIAN_DEMO_ERRORS: '0.05',
        GUARDIAN_DEMO_RESETS: '2%',
        GUARDIAN_DEMO_OUTAGE: 'eu-west-1, westeurope',
      }),
    ).toEqual({
      seed: 7,
      size: 5000,
      now: '2026-01-31T00:00:00.000Z',
      faults: {
        latencyMs: 40,
        jitterMs: 10,
        throttle: { capacity: 100, refillPerSecond: 20 },
        errorRate: 0.05,
        resetRate: 0.02,
        outages: ['eu-west-1', 'westeurope'],
      },
    });
    expect(demoOptionsFromEnv({})).toEqual({});
    expect(DEMO_DEFAULTS).toEqual({ seed: 42, size: 2000 });
  });

  it('names the variable in one line when a value is bad', () => {
    const bad: [string, string][] = [
      ['GUARDIAN_DEMO_SEED', '-3'],
      ['GUARDIAN_DEMO_SIZE', '10'],
      ['GUARDIAN_DEMO_NOW', 'yesterday'],
      ['GUARDIAN_DEMO_LATENCY', '5s'],
      ['GUARDIAN_DEMO_THROTTLE', '100'],
      ['GUARDIAN_DEMO_ERRORS', '1.2'],
      ['GUARDIAN_DEMO_RESETS', 'often'],
      ['GUARDIAN_DEMO_OUTAGE', 'EU WEST'],
    ];
    for (const [name, value] of bad) {
      let error: unknown;
      try {
        demoOptionsFromEnv({ [name]: value });
      } catch (caught) {
        error = caught;
      }
      expect(error, name).toBeInstanceOf(UsageError);
      expect((error as Error).message).toContain(name);
      expect((error as Error).message).not.toContain('\n');
    }
  });
});

describe('the demo profile', () => {
  let dir: string;
  let demo: Demo;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'guardian-demo-test-'));
    demo = await startDemo({ size: 300, now: '2026-11-25' }, dir);
  });

  afterAll(async () => {
    await demo.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('describes all three clouds with the sandbox endpoints', () => {
    const { estate, awsOrigin, azureOrigin, gcpOrigin } = demo.sandbox;
    expect(demo.profile).toMatchObject({
      aws: { profiles: ['guardian-demo'], assumeRole: 'OrganizationAccountAccessRole', endpoint: awsOrigin },
      azure: {
        auth: 'client-secret',
        tenantId: estate.azure.tenantId,
        clientId: estate.azure.clientId,
        clientSecret: estate.azure.clientSecret,
        authorityHost: azureOrigin,
        endpoint: azureOrigin,
        caFile: demo.files.caFile,
      },
      gcp: { projects: estate.gcp.projects.map((p) => p.id), keyFile: demo.files.gcpKey, endpoint: gcpOrigin },
    });
    expect(demo.env).toEqual({ AWS_CONFIG_FILE: demo.files.awsConfig, AWS_SHARED_CREDENTIALS_FILE: demo.files.awsCredentials });
    expect(estate.seed).toBe(42);
  });

  it('writes an AWS named profile the SDK’s own file loader accepts', async () => {
    expect((await stat(demo.files.awsCredentials)).mode & 0o077).toBe(0);
    const names = ['AWS_CONFIG_FILE', 'AWS_SHARED_CREDENTIALS_FILE', 'AWS_PROFILE'] as const;
    const previous = names.map((name) => process.env[name]);
    Object.assign(process.env, demo.env, { AWS_PROFILE: 'guardian-demo' });
    try {
      // Region and endpoint_url come from the profile's config section, keys from the credentials file.
      // (The SDK reads endpoint_url only for the AWS_PROFILE profile, so Guardian passes aws.endpoint too.)
      const client = new STSClient({ credentials: fromIni({ profile: 'guardian-demo' }), maxAttempts: 1 });
      const identity = await client.send(new GetCallerIdentityCommand({}));
      expect(identity.Account).toBe(demo.sandbox.estate.aws.accounts.find((a) => a.management)!.id);
      expect(await client.config.region()).toBe('us-east-1');
    } finally {
      names.forEach((name, i) => {
        if (previous[i] === undefined) delete process.env[name];
        else process.env[name] = previous[i];
      });
    }
  });

  it('gets an Azure token from the sandbox authority over TLS trusted through caFile', async () => {
    const connection = await connectAzure(resolveAzureSettings(demo.profile.azure!, {}));
    const token = await connection.credential.getToken(connection.scope);
    expect(token?.token).toBeTruthy();
  });

  it('gets a GCP token with the written key file, whose token_uri is the sandbox', async () => {
    const key = JSON.parse(await readFile(demo.files.gcpKey, 'utf8'));
    expect(key).toMatchObject({
      type: 'service_account',
      client_email: demo.sandbox.estate.gcp.serviceAccountEmail,
      token_uri: `${demo.sandbox.gcpOrigin}/token`,
    });
    const { auth } = await resolveGcpCredentials(demo.profile.gcp!, {});
    const client = 'getClient' in auth ? await auth.getClient() : auth;
    expect((await client.getAccessToken()).token).toBeTruthy();
  });
});

describe('sandbox TLS', () => {
  it('issues a CA and a server certificate for 127.0.0.1 and localhost', async () => {
    const { X509Certificate } = await import('node:crypto');
    const tls = await createSandboxTls();
    const ca = new X509Certificate(tls.caPem);
    const server = new X509Certificate(tls.certPem);
    expect(ca.ca).toBe(true);
    expect(server.verify(ca.publicKey)).toBe(true);
    expect(server.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(server.checkHost('localhost')).toBe('localhost');
    expect(tls.keyPem).toContain('BEGIN PRIVATE KEY');
  });
});
