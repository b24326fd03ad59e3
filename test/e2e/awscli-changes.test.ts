// EC2's mutating calls as a second, independent client makes them: the AWS CLI (botocore, its
// own signer and XML parser) changes the sandbox's estate and reads the change back, and gets
// EC2's own error codes for what EC2 refuses.

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { services } from '../../src/sandbox/aws/index.js';
import { generateEstate } from '../../src/sandbox/estate/generate.js';
import type { AwsAccount, EbsVolume, Ec2Instance, ElasticIp, EstateResource } from '../../src/sandbox/estate/types.js';
import { SandboxServer } from '../../src/sandbox/server/server.js';
import { EstateStore } from '../../src/sandbox/server/store.js';

const AWS = existsSync('/usr/bin/aws') ? '/usr/bin/aws' : 'aws';
const awsCli = spawnSync(AWS, ['--version'], { encoding: 'utf8' });
const haveAwsCli = awsCli.status === 0;
if (!haveAwsCli) console.warn('skipping the awscli change checks: `aws` is not on PATH (scripts/ci-apt.sh installs Debian’s awscli)');

let server: SandboxServer;
let store: EstateStore;
let origin: string;
let home: string;
let account: AwsAccount;
let region: string;

async function aws(args: string[]): Promise<{ exitCode: number; json: Record<string, unknown>; stderr: string }> {
  const result = await execa(AWS, [...args, '--endpoint-url', origin, '--region', region, '--output', 'json'], {
    env: {
      PATH: process.env.PATH,
      HOME: home,
      AWS_ACCESS_KEY_ID: account.accessKeyId,
      AWS_SECRET_ACCESS_KEY: account.secretAccessKey,
      AWS_CONFIG_FILE: path.join(home, 'no-config'),
      AWS_SHARED_CREDENTIALS_FILE: path.join(home, 'no-credentials'),
      AWS_PAGER: '',
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_MAX_ATTEMPTS: '1',
    },
    extendEnv: false,
    reject: false,
  });
  return { exitCode: result.exitCode ?? -1, json: result.stdout ? JSON.parse(result.stdout) : {}, stderr: result.stderr };
}

const mine = <K extends EstateResource['kind']>(kind: K) =>
  (store.index.byScope.get(`${kind}|${account.id}|${region}`) ?? []) as Extract<EstateResource, { kind: K }>[];

beforeAll(async () => {
  const estate = generateEstate({ seed: 42, size: 2000, now: '2026-01-15' });
  // Changes settle at once, so the CLI's next call sees them without waiting.
  store = new EstateStore(estate, { settleMs: 0 });
  server = new SandboxServer(store, services);
  origin = await server.listen();
  home = await mkdtemp(path.join(tmpdir(), 'guardian-awscli-changes-'));
  account = estate.aws.accounts.find((a) => a.management)!;
  // The management account's region with the most volumes, so every kind the checks need is there.
  const counts = new Map<string, number>();
  for (const r of estate.resources)
    if (r.account === account.id && r.kind === 'aws.ec2.volume') counts.set(r.region, (counts.get(r.region) ?? 0) + 1);
  region = [...counts].sort((a, b) => b[1] - a[1])[0][0];
});

afterAll(async () => {
  await server?.close();
  if (home) await rm(home, { recursive: true, force: true });
});

describe.skipIf(!haveAwsCli)(`awscli (${awsCli.stdout?.trim() || 'absent'}) changing the sandbox's EC2 estate`, () => {
  it('stops an instance, which a later describe-instances shows stopped', { timeout: 180_000 }, async () => {
    const instance = mine('aws.ec2.instance').find((i: Ec2Instance) => i.spec.state === 'running')!;
    const stop = await aws(['ec2', 'stop-instances', '--instance-ids', instance.id]);
    expect(stop.exitCode).toBe(0);
    expect(stop.json.StoppingInstances).toEqual([
      { InstanceId: instance.id, CurrentState: { Code: 64, Name: 'stopping' }, PreviousState: { Code: 16, Name: 'running' } },
    ]);
    const described = await aws([
      'ec2',
      'describe-instances',
      '--instance-ids',
      instance.id,
      '--query',
      'Reservations[0].Instances[0].State',
    ]);
    expect(described.json).toEqual({ Code: 80, Name: 'stopped' });
  });

  it('modifies a volume to gp3 and creates a snapshot, both read back completed', { timeout: 180_000 }, async () => {
    const volume = mine('aws.ec2.volume').find((v: EbsVolume) => v.spec.volumeType !== 'gp3')!;
    const modify = await aws(['ec2', 'modify-volume', '--volume-id', volume.id, '--volume-type', 'gp3']);
    expect(modify.exitCode).toBe(0);
    expect(modify.json.VolumeModification).toMatchObject({ VolumeId: volume.id, ModificationState: 'modifying', TargetVolumeType: 'gp3' });
    const snapshot = await aws(['ec2', 'create-snapshot', '--volume-id', volume.id, '--description', 'guardian optimize']);
    expect(snapshot.json).toMatchObject({ VolumeId: volume.id, State: 'pending', Description: 'guardian optimize' });
    const modifications = await aws(['ec2', 'describe-volumes-modifications', '--volume-ids', volume.id]);
    expect(modifications.json.VolumesModifications).toMatchObject([{ VolumeId: volume.id, ModificationState: 'completed' }]);
    const snapshots = await aws(['ec2', 'describe-snapshots', '--snapshot-ids', String(snapshot.json.SnapshotId)]);
    expect(snapshots.json.Snapshots).toMatchObject([{ SnapshotId: snapshot.json.SnapshotId, State: 'completed', Progress: '100%' }]);
  });

  it('deletes an unattached volume and releases an unassociated address; refuses an attached volume with VolumeInUse', {
    timeout: 180_000,
  }, async () => {
    const attached = mine('aws.ec2.volume').find((v: EbsVolume) => v.spec.attachedInstanceId)!;
    const refused = await aws(['ec2', 'delete-volume', '--volume-id', attached.id]);
    expect(refused.exitCode).not.toBe(0);
    expect(refused.stderr).toContain('(VolumeInUse)');
    const orphan = mine('aws.ec2.volume').find((v: EbsVolume) => !v.spec.attachedInstanceId);
    if (orphan) {
      expect((await aws(['ec2', 'delete-volume', '--volume-id', orphan.id])).exitCode).toBe(0);
      const gone = await aws(['ec2', 'describe-volumes', '--volume-ids', orphan.id]);
      expect(gone.stderr).toContain('(InvalidVolume.NotFound)');
    }
    const spare = mine('aws.ec2.address').find((a: ElasticIp) => !a.spec.associationId);
    if (spare) {
      expect((await aws(['ec2', 'release-address', '--allocation-id', spare.id])).exitCode).toBe(0);
      expect(store.get(spare.id)).toBeUndefined();
    }
    expect(orphan ?? spare).toBeDefined();
  });

  it('creates a volume from a completed snapshot in its zone, with its type and tags, read back available', {
    timeout: 180_000,
  }, async () => {
    const source = mine('aws.ec2.volume').find((v: EbsVolume) => v.spec.state === 'available' || v.spec.state === 'in-use')!;
    const snapshot = await aws(['ec2', 'create-snapshot', '--volume-id', source.id]);
    const zone = source.spec.availabilityZone;
    const created = await aws([
      'ec2',
      'create-volume',
      '--snapshot-id',
      String(snapshot.json.SnapshotId),
      '--availability-zone',
      zone,
      '--volume-type',
      'gp3',
      '--tag-specifications',
      'ResourceType=volume,Tags=[{Key=Name,Value=restored}]',
    ]);
    expect(created.exitCode, created.stderr).toBe(0);
    expect(created.json).toMatchObject({
      SnapshotId: snapshot.json.SnapshotId,
      AvailabilityZone: zone,
      Size: source.spec.sizeGb,
      VolumeType: 'gp3',
      Iops: 3000,
      State: 'creating',
      Tags: [{ Key: 'Name', Value: 'restored' }],
    });
    const described = await aws(['ec2', 'describe-volumes', '--volume-ids', String(created.json.VolumeId)]);
    expect(described.json.Volumes).toMatchObject([
      { VolumeId: created.json.VolumeId, SnapshotId: snapshot.json.SnapshotId, State: 'available' },
    ]);
    const elsewhere = await aws([
      'ec2',
      'create-volume',
      '--snapshot-id',
      String(snapshot.json.SnapshotId),
      '--availability-zone',
      'xx-nowhere-1a',
    ]);
    expect(elsewhere.exitCode).not.toBe(0);
    expect(elsewhere.stderr).toContain('(InvalidZone.NotFound)');
  });
});
