// EC2's mutating calls through the official client against the sandbox: each changes the estate
// (later Describe* answers and the manifest follow), asynchronous changes settle by the sandbox's
// clock, refusals carry EC2's own error codes, DryRun answers DryRunOperation, and an operation
// chosen to fail does so with a 5xx or UnauthorizedOperation while the estate stays as it was.

import {
  AllocateAddressCommand,
  CreateSnapshotCommand,
  CreateVolumeCommand,
  DeleteVolumeCommand,
  DescribeAddressesCommand,
  DescribeInstancesCommand,
  DescribeSnapshotsCommand,
  DescribeVolumesCommand,
  DescribeVolumesModificationsCommand,
  EC2Client,
  ModifyVolumeCommand,
  ReleaseAddressCommand,
  StartInstancesCommand,
  StopInstancesCommand,
} from '@aws-sdk/client-ec2';
import { afterEach, describe, expect, it } from 'vitest';
import type { EbsVolume, Ec2Instance, ElasticIp, EstateResource } from '../../src/sandbox/estate/types.js';
import { createSandbox, type Sandbox } from '../../src/sandbox/index.js';
import type { FaultOptions } from '../../src/sandbox/server/faults.js';
import { buildAwsEstate } from './aws-fixture.js';

const REGION = 'us-east-1';
const SETTLE = 1000;
let sandbox: Sandbox | undefined;
let now = Date.UTC(2026, 0, 15, 12);

afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});

async function start(faults?: FaultOptions): Promise<{ client: EC2Client; sandbox: Sandbox; account: string }> {
  sandbox = await createSandbox({ estate: buildAwsEstate({ instances: 12 }), clock: () => now, settleMs: SETTLE, faults });
  const account = sandbox.estate.aws.accounts[0];
  const client = new EC2Client({
    endpoint: sandbox.awsOrigin,
    region: REGION,
    maxAttempts: 1,
    credentials: { accessKeyId: account.accessKeyId, secretAccessKey: account.secretAccessKey },
  });
  return { client, sandbox, account: account.id };
}

function mine<K extends EstateResource['kind']>(s: Sandbox, account: string, kind: K): Extract<EstateResource, { kind: K }>[] {
  return (s.store.index.byScope.get(`${kind}|${account}|${REGION}`) ?? []) as Extract<EstateResource, { kind: K }>[];
}

async function failure(promise: Promise<unknown>): Promise<{ name: string; status?: number; message: string }> {
  try {
    await promise;
  } catch (error) {
    const e = error as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    return { name: e.name, status: e.$metadata?.httpStatusCode, message: e.message };
  }
  throw new Error('expected the call to fail');
}

const manifestCount = (s: Sandbox, account: string, kind: EstateResource['kind']) =>
  s.manifest().counts.byAccount[account].byRegion[REGION][kind] ?? 0;

describe('EC2 mutating calls', () => {
  it('releases an unassociated address, refuses an associated or unknown one, and allocates a new one', async () => {
    const { client, sandbox: s, account } = await start();
    const addresses = mine(s, account, 'aws.ec2.address');
    const spare = addresses.find((a) => !a.spec.associationId) as ElasticIp;
    const used = addresses.find((a) => a.spec.associationId) as ElasticIp;
    const before = manifestCount(s, account, 'aws.ec2.address');

    await client.send(new ReleaseAddressCommand({ AllocationId: spare.id }));
    const listed = (await client.send(new DescribeAddressesCommand({}))).Addresses?.map((a) => a.AllocationId);
    expect(listed).not.toContain(spare.id);
    expect(manifestCount(s, account, 'aws.ec2.address')).toBe(before - 1);
    expect(s.manifest().planted['address-unassociated']).not.toContain(spare.id);

    expect(await failure(client.send(new ReleaseAddressCommand({ AllocationId: used.id })))).toMatchObject({
      name: 'InvalidIPAddress.InUse',
      status: 400,
    });
    expect(await failure(client.send(new ReleaseAddressCommand({ AllocationId: spare.id })))).toMatchObject({
      name: 'InvalidAllocationID.NotFound',
    });

    const allocated = await client.send(new AllocateAddressCommand({ Domain: 'vpc', Address: spare.spec.publicIp }));
    expect(allocated.PublicIp).toBe(spare.spec.publicIp);
    const again = await client.send(new DescribeAddressesCommand({ AllocationIds: [allocated.AllocationId ?? ''] }));
    expect(again.Addresses?.[0]).toMatchObject({ PublicIp: spare.spec.publicIp, Domain: 'vpc' });
    expect(manifestCount(s, account, 'aws.ec2.address')).toBe(before);
  });

  it('stops an instance through stopping to stopped once the settle time has passed, and starts it again', async () => {
    const { client, sandbox: s, account } = await start();
    const instance = mine(s, account, 'aws.ec2.instance').find((i) => i.spec.state === 'running') as Ec2Instance;
    const stopped = await client.send(new StopInstancesCommand({ InstanceIds: [instance.id] }));
    expect(stopped.StoppingInstances?.[0]).toMatchObject({
      InstanceId: instance.id,
      CurrentState: { Code: 64, Name: 'stopping' },
      PreviousState: { Code: 16, Name: 'running' },
    });
    const stateOf = async () =>
      (await client.send(new DescribeInstancesCommand({ InstanceIds: [instance.id] }))).Reservations?.[0]?.Instances?.[0]?.State?.Name;
    expect(await stateOf()).toBe('stopping');
    expect(await failure(client.send(new StartInstancesCommand({ InstanceIds: [instance.id] })))).toMatchObject({
      name: 'IncorrectInstanceState',
    });
    now += SETTLE;
    expect(await stateOf()).toBe('stopped');

    const started = await client.send(new StartInstancesCommand({ InstanceIds: [instance.id] }));
    expect(started.StartingInstances?.[0]?.CurrentState).toEqual({ Code: 0, Name: 'pending' });
    now += SETTLE;
    expect(await stateOf()).toBe('running');
    expect(await failure(client.send(new StopInstancesCommand({ InstanceIds: ['i-0000000000000dead'] })))).toMatchObject({
      name: 'InvalidInstanceID.NotFound',
    });
  });

  it('modifies a gp2 volume to gp3: modifying, then optimizing with the new type, then completed', async () => {
    const { client, sandbox: s, account } = await start();
    const volume = mine(s, account, 'aws.ec2.volume').find((v) => v.spec.volumeType === 'gp2') as EbsVolume;
    const answer = await client.send(new ModifyVolumeCommand({ VolumeId: volume.id, VolumeType: 'gp3' }));
    expect(answer.VolumeModification).toMatchObject({
      VolumeId: volume.id,
      ModificationState: 'modifying',
      OriginalVolumeType: 'gp2',
      TargetVolumeType: 'gp3',
      TargetIops: 3000,
    });
    const modification = async () =>
      (await client.send(new DescribeVolumesModificationsCommand({ VolumeIds: [volume.id] }))).VolumesModifications?.[0];
    const typeNow = async () => (await client.send(new DescribeVolumesCommand({ VolumeIds: [volume.id] }))).Volumes?.[0]?.VolumeType;
    expect((await modification())?.ModificationState).toBe('modifying');
    expect(await failure(client.send(new ModifyVolumeCommand({ VolumeId: volume.id, VolumeType: 'io1' })))).toMatchObject({
      name: 'IncorrectModificationState',
    });
    now += SETTLE;
    expect((await modification())?.ModificationState).toBe('optimizing');
    expect(await typeNow()).toBe('gp3');
    now += SETTLE;
    expect(await modification()).toMatchObject({ ModificationState: 'completed', Progress: 100 });
    expect((await modification())?.EndTime).toBeInstanceOf(Date);
    const filtered = await client.send(
      new DescribeVolumesModificationsCommand({ Filters: [{ Name: 'modification-state', Values: ['completed'] }] }),
    );
    expect(filtered.VolumesModifications?.map((m) => m.VolumeId)).toEqual([volume.id]);
  });

  it("takes a volume out of the manifest's gp2 waste once it is gp3, and puts it back when it is gp2 again", async () => {
    const { client, sandbox: s, account } = await start();
    const volume = mine(s, account, 'aws.ec2.volume').find((v) => v.spec.volumeType === 'gp2') as EbsVolume;
    if (!volume.planted.includes('volume-gp2')) volume.planted.push('volume-gp2');
    await client.send(new ModifyVolumeCommand({ VolumeId: volume.id, VolumeType: 'gp3' }));
    expect(s.manifest().planted['volume-gp2']).toContain(volume.id);
    now += SETTLE;
    await client.send(new DescribeVolumesCommand({ VolumeIds: [volume.id] }));
    expect(s.manifest().planted['volume-gp2']).not.toContain(volume.id);
    now += SETTLE;
    await client.send(new ModifyVolumeCommand({ VolumeId: volume.id, VolumeType: 'gp2' }));
    now += SETTLE;
    await client.send(new DescribeVolumesCommand({ VolumeIds: [volume.id] }));
    expect(s.manifest().planted['volume-gp2']).toContain(volume.id);
  });

  it('creates a snapshot that is pending until the settle time has passed, then completed', async () => {
    const { client, sandbox: s, account } = await start();
    const volume = mine(s, account, 'aws.ec2.volume')[0];
    const created = await client.send(
      new CreateSnapshotCommand({
        VolumeId: volume.id,
        Description: 'before optimize',
        TagSpecifications: [{ ResourceType: 'snapshot', Tags: [{ Key: 'guardian:optimize', Value: 'undo' }] }],
      }),
    );
    expect(created).toMatchObject({ VolumeId: volume.id, State: 'pending', Description: 'before optimize' });
    const snapshot = async () =>
      (await client.send(new DescribeSnapshotsCommand({ SnapshotIds: [created.SnapshotId ?? ''] }))).Snapshots?.[0];
    expect(await snapshot()).toMatchObject({ State: 'pending', Tags: [{ Key: 'guardian:optimize', Value: 'undo' }] });
    now += SETTLE - 1;
    expect((await snapshot())?.State).toBe('pending');
    now += 1;
    expect(await snapshot()).toMatchObject({ State: 'completed', Progress: '100%' });
    expect(s.manifest().counts.byAccount[account].byKind['aws.ec2.snapshot']).toBe(
      s.estate.resources.filter((r) => r.kind === 'aws.ec2.snapshot' && r.account === account).length,
    );
  });

  it('creates a volume from a completed snapshot in its zone, creating until the settle time has passed, then available and unattached', async () => {
    const { client, sandbox: s, account } = await start();
    const source = mine(s, account, 'aws.ec2.volume').find((v) => !v.spec.attachedInstanceId) as EbsVolume;
    const { SnapshotId } = await client.send(new CreateSnapshotCommand({ VolumeId: source.id }));
    const zone = source.spec.availabilityZone;
    const create = (extra: Record<string, unknown> = {}) =>
      client.send(
        new CreateVolumeCommand({
          SnapshotId,
          AvailabilityZone: zone,
          VolumeType: 'gp2',
          TagSpecifications: [{ ResourceType: 'volume', Tags: [{ Key: 'Name', Value: source.name }] }],
          ...extra,
        }),
      );
    // A pending snapshot cannot be restored yet.
    await expect(create()).rejects.toMatchObject({ name: 'IncorrectState' });
    now += SETTLE;
    const created = await create();
    expect(created).toMatchObject({ SnapshotId, AvailabilityZone: zone, Size: source.spec.sizeGb, VolumeType: 'gp2', State: 'creating' });
    expect(created.VolumeId).toMatch(/^vol-[0-9a-f]{17}$/);
    expect(created.VolumeId).not.toBe(source.id);
    const read = async () => (await client.send(new DescribeVolumesCommand({ VolumeIds: [created.VolumeId ?? ''] }))).Volumes?.[0];
    expect(await read()).toMatchObject({ State: 'creating', SnapshotId, Tags: [{ Key: 'Name', Value: source.name }] });
    now += SETTLE;
    expect(await read()).toMatchObject({ State: 'available', Attachments: [] });
    // The manifest's ground truth: an unattached gp2 volume is both wastes.
    const planted = s.manifest().planted;
    expect(planted['volume-unattached']).toContain(created.VolumeId);
    expect(planted['volume-gp2']).toContain(created.VolumeId);
    await expect(create({ Size: 1 })).rejects.toMatchObject({ name: 'InvalidParameterValue' });
    await expect(
      create({ TagSpecifications: [{ ResourceType: 'volume', Tags: [{ Key: 'aws:cloudformation:stack-name', Value: 's' }] }] }),
    ).rejects.toMatchObject({ name: 'InvalidParameterValue', message: expect.stringMatching(/reserved/) });
    await expect(create({ AvailabilityZone: 'eu-west-1a' })).rejects.toMatchObject({ name: 'InvalidZone.NotFound' });
    await expect(create({ SnapshotId: 'snap-00000000000000000' })).rejects.toMatchObject({ name: 'InvalidSnapshot.NotFound' });
  });

  it('deletes an unattached volume, refuses an attached one with VolumeInUse and an unknown one with InvalidVolume.NotFound', async () => {
    const { client, sandbox: s, account } = await start();
    const volumes = mine(s, account, 'aws.ec2.volume');
    const orphan = volumes.find((v) => !v.spec.attachedInstanceId) as EbsVolume;
    const attached = volumes.find((v) => v.spec.attachedInstanceId) as EbsVolume;
    expect(await failure(client.send(new DeleteVolumeCommand({ VolumeId: attached.id })))).toMatchObject({
      name: 'VolumeInUse',
      status: 400,
      message: `Volume ${attached.id} is currently attached to ${attached.spec.attachedInstanceId}`,
    });
    await client.send(new DeleteVolumeCommand({ VolumeId: orphan.id }));
    expect(await failure(client.send(new DeleteVolumeCommand({ VolumeId: orphan.id })))).toMatchObject({
      name: 'InvalidVolume.NotFound',
      message: `The volume '${orphan.id}' does not exist.`,
    });
    const listed = (await client.send(new DescribeVolumesCommand({}))).Volumes?.map((v) => v.VolumeId);
    expect(listed).not.toContain(orphan.id);
    expect(s.manifest().planted['volume-unattached']).not.toContain(orphan.id);
  });

  it('answers DryRun with DryRunOperation and changes nothing', async () => {
    const { client, sandbox: s, account } = await start();
    const orphan = mine(s, account, 'aws.ec2.volume').find((v) => !v.spec.attachedInstanceId) as EbsVolume;
    const version = s.store.version;
    expect(await failure(client.send(new DeleteVolumeCommand({ VolumeId: orphan.id, DryRun: true })))).toMatchObject({
      name: 'DryRunOperation',
      status: 412,
    });
    expect(s.store.get(orphan.id)).toBe(orphan);
    expect(s.store.version).toBe(version);
  });

  it('fails the chosen call of an operation with UnauthorizedOperation and leaves the estate unchanged', async () => {
    const { client, sandbox: s, account } = await start({ failOperations: [{ operation: 'DeleteVolume', nth: 2, answer: 'denied' }] });
    const orphans = s.estate.resources.filter((r): r is EbsVolume => r.kind === 'aws.ec2.volume' && !r.spec.attachedInstanceId);
    const here = orphans.filter((v) => v.account === account && v.region === REGION);
    expect(here.length).toBeGreaterThanOrEqual(1);
    const attached = mine(s, account, 'aws.ec2.volume').find((v) => v.spec.attachedInstanceId) as EbsVolume;
    // The first call (refused for being attached) counts as a DeleteVolume call like any other.
    expect((await failure(client.send(new DeleteVolumeCommand({ VolumeId: attached.id })))).name).toBe('VolumeInUse');
    const denied = await failure(client.send(new DeleteVolumeCommand({ VolumeId: here[0].id })));
    expect(denied).toMatchObject({ name: 'UnauthorizedOperation', status: 403 });
    expect(denied.message).toMatch(/^You are not authorized to perform this operation\. Encoded authorization failure message: /);
    expect(s.store.get(here[0].id)).toBe(here[0]);
    await client.send(new DeleteVolumeCommand({ VolumeId: here[0].id }));
    expect(s.store.get(here[0].id)).toBeUndefined();
    expect(s.faultStats().operationFaults).toBe(1);
  });

  it('fails every call of an operation with its 5xx when no call number is given, other operations unaffected', async () => {
    const { client, sandbox: s, account } = await start({ failOperations: [{ operation: 'StopInstances', answer: 'server-error' }] });
    const instance = mine(s, account, 'aws.ec2.instance').find((i) => i.spec.state === 'running') as Ec2Instance;
    for (let i = 0; i < 2; i++) {
      expect(await failure(client.send(new StopInstancesCommand({ InstanceIds: [instance.id] })))).toMatchObject({
        name: 'InternalError',
        status: 500,
      });
    }
    expect(instance.spec.state).toBe('running');
    await client.send(new DescribeInstancesCommand({ InstanceIds: [instance.id] }));
    expect(s.faultStats()).toMatchObject({ operationFaults: 2, requests: 3 });
  });
});
