// `guardian sandbox serve` and `guardian sandbox manifest`, through the built binary: the served
// endpoints answer the official SDK clients with what the manifest says, Ctrl-C stops it, and the
// manifest is the same for the same seed, size and day.

import { readFileSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DeleteVolumeCommand,
  DescribeInstancesCommand,
  DescribeVolumesCommand,
  EC2Client,
  paginateDescribeInstances,
} from '@aws-sdk/client-ec2';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { execa, type ResultPromise } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveGcpCredentials } from '../../src/providers/gcp/credentials.js';

const BIN = 'dist/bin/guardian.js';
const NOW = '2026-11-25';
const guardian = (...args: string[]) => execa(process.execPath, [BIN, ...args], { reject: false, env: { NO_COLOR: '1', CI: '1' } });

interface ServeJson {
  schemaVersion: number;
  kind: string;
  seed: number;
  size: number;
  now: string;
  endpoints: { aws: string; gcp: string; azure: string };
  env: Record<string, string>;
  files: { awsConfig: string; awsCredentials: string; gcpKey: string; caFile: string };
  profile: { gcp: { projects: string[] } };
  served: Record<'aws' | 'azure' | 'gcp', string[]>;
}

interface ManifestJson {
  seed: number;
  size: number;
  now: string;
  identities: { aws: { accounts: { id: string; management: boolean }[] } };
  counts: {
    total: number;
    byCloud: Record<string, number>;
    byAccount: Record<string, { byRegion: Record<string, Record<string, number>> }>;
  };
  planted: Record<string, string[]>;
  costs: { days: number };
}

/** Starts `sandbox serve --json` and resolves once its JSON document is complete on stdout. */
async function serve(args: string[]): Promise<{ child: ResultPromise; info: ServeJson }> {
  const child = execa(process.execPath, [BIN, 'sandbox', 'serve', '--json', ...args], { reject: false, env: { NO_COLOR: '1', CI: '1' } });
  let text = '';
  const info = await new Promise<ServeJson>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      try {
        resolve(JSON.parse(text) as ServeJson);
      } catch {
        // not complete yet
      }
    });
    child.then((result) => reject(new Error(`serve exited ${result.exitCode}: ${result.stderr}`)), reject);
  });
  return { child, info };
}

describe('guardian sandbox serve', () => {
  let child: ResultPromise;
  let info: ServeJson;
  let manifest: ManifestJson;

  beforeAll(async () => {
    ({ child, info } = await serve(['--port', '0', '--size', '400', '--seed', '9', '--now', NOW]));
    const result = await guardian('sandbox', 'manifest', '--json', '--size', '400', '--seed', '9', '--now', NOW);
    manifest = JSON.parse(result.stdout);
  });

  afterAll(async () => {
    child.kill('SIGINT');
    await child;
  });

  it('prints the endpoints and the variables to export', () => {
    expect(info).toMatchObject({ kind: 'sandbox-serve', seed: 9, size: 400, now: `${NOW}T00:00:00.000Z` });
    expect(info.endpoints.aws).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(info.endpoints.azure).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    for (const name of [
      'AWS_ENDPOINT_URL',
      'AWS_ACCESS_KEY_ID',
      'AWS_SECRET_ACCESS_KEY',
      'AWS_REGION',
      'AWS_DEFAULT_REGION',
      'GOOGLE_APPLICATION_CREDENTIALS',
      'NODE_EXTRA_CA_CERTS',
      'AZURE_TENANT_ID',
      'AZURE_CLIENT_ID',
      'AZURE_CLIENT_SECRET',
      'AZURE_AUTHORITY_HOST',
    ]) {
      expect(info.env[name], name).toBeTruthy();
    }
    // awscli v1 and older SDKs read only AWS_DEFAULT_REGION.
    expect(info.env.AWS_DEFAULT_REGION).toBe(info.env.AWS_REGION);
    expect(readFileSync(info.files.awsConfig, 'utf8')).toContain('[profile guardian-demo]');
    // It names what it serves, not "every service".
    expect(info.served.aws).toEqual(expect.arrayContaining(['ec2', 'sts', 'organizations', 'rds', 'elbv2', 's3', 'ce']));
    expect(info.served.aws).not.toContain('lambda');
    expect(info.served.azure).toEqual(expect.arrayContaining(['entra', 'arm']));
    expect(info.served.gcp).toEqual(expect.arrayContaining(['oauth', 'compute', 'bigquery']));
  });

  it('answers the EC2 and STS clients with the manifest’s estate', async () => {
    const credentials = { accessKeyId: info.env.AWS_ACCESS_KEY_ID, secretAccessKey: info.env.AWS_SECRET_ACCESS_KEY };
    const config = { endpoint: info.env.AWS_ENDPOINT_URL, region: info.env.AWS_REGION, credentials, maxAttempts: 1 };
    const identity = await new STSClient(config).send(new GetCallerIdentityCommand({}));
    const management = manifest.identities.aws.accounts.find((a) => a.management)!;
    expect(identity.Account).toBe(management.id);
    let instances = 0;
    for await (const page of paginateDescribeInstances({ client: new EC2Client(config), pageSize: 5 }, {})) {
      for (const reservation of page.Reservations ?? []) instances += reservation.Instances?.length ?? 0;
    }
    expect(instances).toBe(manifest.counts.byAccount[management.id]?.byRegion['us-east-1']?.['aws.ec2.instance'] ?? 0);
  });

  it('serves GCP tokens for the written key file and Azure over TLS signed by the printed CA', async () => {
    // The GCP provider's credential chain (it routes the JWT grant to the key file's token_uri).
    const { auth } = await resolveGcpCredentials({}, { GOOGLE_APPLICATION_CREDENTIALS: info.env.GOOGLE_APPLICATION_CREDENTIALS });
    const client = 'getClient' in auth ? await auth.getClient() : auth;
    const token = await client.getAccessToken();
    expect(token.token).toBeTruthy();
    const ca = readFileSync(info.env.NODE_EXTRA_CA_CERTS, 'utf8');
    const status = await new Promise<number>((resolve, reject) => {
      https
        .get(`${info.endpoints.azure}/${info.env.AZURE_TENANT_ID}/v2.0/.well-known/openid-configuration`, { ca }, (response) => {
          response.resume();
          resolve(response.statusCode ?? 0);
        })
        .on('error', reject);
    });
    expect(status).toBe(200);
  });

  it('refuses a wrong secret for the right key id, and Guardian says so in one line naming the profile (exit 3)', async () => {
    const wrongSecret = 'WrongSecretWrongSecretWrongSecret0123456';
    const credentials = { accessKeyId: info.env.AWS_ACCESS_KEY_ID, secretAccessKey: wrongSecret };
    const config = { endpoint: info.env.AWS_ENDPOINT_URL, region: info.env.AWS_REGION, credentials, maxAttempts: 1 };
    await expect(new STSClient(config).send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({ name: 'SignatureDoesNotMatch' });
    const root = await mkdtemp(join(tmpdir(), 'guardian-badsecret-'));
    const credentialsFile = join(root, 'credentials');
    await writeFile(
      credentialsFile,
      readFileSync(info.files.awsCredentials, 'utf8').replace(/aws_secret_access_key = .*/, `aws_secret_access_key = ${wrongSecret}`),
    );
    const env = {
      PATH: process.env.PATH,
      HOME: root,
      NO_COLOR: '1',
      CI: '1',
      GUARDIAN_CONFIG_DIR: join(root, 'config'),
      GUARDIAN_DATA_DIR: join(root, 'data'),
      AWS_CONFIG_FILE: info.files.awsConfig,
      AWS_SHARED_CREDENTIALS_FILE: credentialsFile,
    };
    const run = (...args: string[]) =>
      execa(process.execPath, [BIN, '--profile', 'badsecret', ...args], { reject: false, env, extendEnv: false });
    expect((await run('config', 'set', 'aws.profiles', 'guardian-demo')).exitCode).toBe(0);
    expect((await run('config', 'set', 'aws.endpoint', info.endpoints.aws)).exitCode).toBe(0);
    for (const command of [
      ['discover', '--provider', 'aws'],
      ['config', 'test'],
    ]) {
      const result = await run(...command);
      expect(result.exitCode, result.stderr).toBe(3);
      const lines = result.stderr.trim().split('\n');
      expect(lines, command.join(' ')).toHaveLength(1);
      expect(lines[0]).toContain('guardian-demo');
      expect(lines[0]).toContain('SignatureDoesNotMatch');
      expect(result.stdout + result.stderr).not.toContain(wrongSecret);
    }
  });

  it('stops on Ctrl-C with exit code 0, without calling it an interruption, and removes its files', async () => {
    child.kill('SIGINT');
    const result = await child;
    expect(result.exitCode).toBe(0);
    expect(result.stderr).not.toContain('interrupted');
    expect(() => readFileSync(info.files.gcpKey)).toThrow();
  });
});

describe('guardian sandbox serve stopped by SIGTERM', () => {
  it('exits 0 as a service manager expects', async () => {
    const { child } = await serve(['--size', '50', '--now', NOW]);
    child.kill('SIGTERM');
    const result = await child;
    expect(result.exitCode).toBe(0);
    expect(result.stderr).not.toContain('interrupted');
  });
});

describe('guardian sandbox serve with faults', () => {
  it('injects the requested throttling, and refuses bad flag values with exit 2', async () => {
    const { child, info } = await serve(['--size', '100', '--now', NOW, '--throttle', '2:0.01']);
    try {
      const client = new EC2Client({
        endpoint: info.env.AWS_ENDPOINT_URL,
        region: 'us-east-1',
        maxAttempts: 1,
        credentials: { accessKeyId: info.env.AWS_ACCESS_KEY_ID, secretAccessKey: info.env.AWS_SECRET_ACCESS_KEY },
      });
      await client.send(new DescribeInstancesCommand({}));
      await client.send(new DescribeInstancesCommand({}));
      await expect(client.send(new DescribeInstancesCommand({}))).rejects.toMatchObject({ name: 'RequestLimitExceeded' });
    } finally {
      child.kill('SIGINT');
      await child;
    }
    for (const args of [
      ['--throttle', '100'],
      ['--errors', '1.5'],
      ['--latency', 'fast'],
      ['--size', '49'],
      ['--port', '70000'],
      ['--seed', 'x'],
    ]) {
      const result = await guardian('sandbox', 'serve', ...args);
      expect(result.exitCode, args.join(' ')).toBe(2);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toContain(args[0]);
    }
  });
});

describe('guardian sandbox serve with a failing operation', () => {
  it('fails the chosen DeleteVolume call with UnauthorizedOperation, lets the next through, and refuses a bad --fail or --settle with exit 2', async () => {
    const { child, info } = await serve(['--size', '200', '--seed', '4', '--now', NOW, '--fail', 'DeleteVolume#1:denied', '--settle', '0']);
    try {
      const client = new EC2Client({
        endpoint: info.env.AWS_ENDPOINT_URL,
        region: 'us-east-1',
        maxAttempts: 1,
        credentials: { accessKeyId: info.env.AWS_ACCESS_KEY_ID, secretAccessKey: info.env.AWS_SECRET_ACCESS_KEY },
      });
      const volumes = (await client.send(new DescribeVolumesCommand({ MaxResults: 5 }))).Volumes ?? [];
      const volume = volumes.find((v) => v.State === 'in-use') ?? volumes[0];
      await expect(client.send(new DeleteVolumeCommand({ VolumeId: volume.VolumeId }))).rejects.toMatchObject({
        name: 'UnauthorizedOperation',
        $metadata: { httpStatusCode: 403 },
      });
      // The second call reaches EC2's own checks: refused for the attachment, or served.
      if (volume.State === 'in-use') {
        await expect(client.send(new DeleteVolumeCommand({ VolumeId: volume.VolumeId }))).rejects.toMatchObject({ name: 'VolumeInUse' });
      } else {
        await client.send(new DeleteVolumeCommand({ VolumeId: volume.VolumeId }));
        await expect(client.send(new DescribeVolumesCommand({ VolumeIds: [volume.VolumeId ?? ''] }))).rejects.toMatchObject({
          name: 'InvalidVolume.NotFound',
        });
      }
    } finally {
      child.kill('SIGINT');
      await child;
    }
    for (const args of [
      ['--fail', 'DeleteVolume#0'],
      ['--fail', 'DeleteVolume:refuse'],
      ['--settle', '-5'],
    ]) {
      const result = await guardian('sandbox', 'serve', ...args);
      expect(result.exitCode, args.join(' ')).toBe(2);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toContain(args[0]);
    }
  });
});

describe('guardian sandbox manifest', () => {
  it('prints the same ground truth for the same seed, size and day', async () => {
    const a = await guardian('sandbox', 'manifest', '--json', '--seed', '3', '--size', '1000', '--now', NOW);
    const b = await guardian('sandbox', 'manifest', '--json', '--seed', '3', '--size', '1000', '--now', NOW);
    expect(a.exitCode).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    const manifest = JSON.parse(a.stdout) as ManifestJson & { schemaVersion: number; kind: string };
    expect(manifest).toMatchObject({ schemaVersion: 1, kind: 'sandbox-manifest', seed: 3, size: 1000, now: `${NOW}T00:00:00.000Z` });
    expect(manifest.counts.total).toBe(1000);
    expect(manifest.counts.byCloud).toEqual({ aws: 500, azure: 250, gcp: 250 });
    expect(Object.keys(manifest.planted).length).toBeGreaterThan(30);
    expect(manifest.costs.days).toBe(400);
    const other = await guardian('sandbox', 'manifest', '--json', '--seed', '4', '--size', '1000', '--now', NOW);
    expect(other.stdout).not.toBe(a.stdout);
  });

  it('shows counts as a table by default and rejects a bad size', async () => {
    const table = await guardian('sandbox', 'manifest', '--size', '50', '--now', NOW);
    expect(table.exitCode).toBe(0);
    expect(table.stdout).toContain('aws.ec2.instance');
    const bad = await guardian('sandbox', 'manifest', '--size', '200001');
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain('--size');
  });
});
