// The changes face on AWS: each of optimize --apply's (and undo's) operations is one EC2 call
// through the official client, in the account the request names (its own identity or the
// organisation role, as metrics are read). The client is built with SDK retries off: a change
// that failed is told to the walk, which stops, rather than sent again.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_Operations.html

import {
  AllocateAddressCommand,
  CreateSnapshotCommand,
  CreateVolumeCommand,
  DeleteVolumeCommand,
  DescribeSnapshotsCommand,
  ModifyVolumeCommand,
  ReleaseAddressCommand,
  StartInstancesCommand,
  StopInstancesCommand,
  type VolumeType,
} from '@aws-sdk/client-ec2';
import type { AwsSettings } from '../../config/profile.js';
import type { ChangeAnswer, ChangeOp, ChangeRequest } from '../../model/change.js';
import type { FaceReader } from '../types.js';
import type { AwsClients, AwsSession } from './session.js';

/** The IAM action each operation sends (the sandbox's authorizer reads the same from the request). */
export const CHANGE_ACTIONS: Record<ChangeOp, string> = {
  'release-address': 'ec2:ReleaseAddress',
  'allocate-address': 'ec2:AllocateAddress',
  'create-snapshot': 'ec2:CreateSnapshot',
  'snapshot-state': 'ec2:DescribeSnapshots',
  'delete-volume': 'ec2:DeleteVolume',
  'stop-instance': 'ec2:StopInstances',
  'start-instance': 'ec2:StartInstances',
  'modify-volume-type': 'ec2:ModifyVolume',
  'create-volume': 'ec2:CreateVolume',
};

export function changePermissions(settings: AwsSettings): string[] {
  return [
    ...new Set(Object.values(CHANGE_ACTIONS)),
    'ec2:CreateTags',
    'sts:GetCallerIdentity',
    ...(settings.assumeRole ? ['sts:AssumeRole'] : []),
  ];
}

export function createEc2Changes(
  clients: AwsClients,
  sessionOf: (account: string, signal: AbortSignal) => Promise<AwsSession | undefined>,
): FaceReader<ChangeRequest, ChangeAnswer> {
  return async (request, { signal }) => {
    const session = await sessionOf(request.account, signal);
    if (!session) throw new Error(`no identity in the profile reaches AWS account ${request.account}`);
    const ec2 = clients.client('ec2', session, request.region);
    const options = { abortSignal: signal };
    switch (request.op) {
      case 'release-address':
        await ec2.send(new ReleaseAddressCommand({ AllocationId: request.id }), options);
        return {};
      case 'allocate-address': {
        const answer = await ec2.send(new AllocateAddressCommand({ Domain: 'vpc' }), options);
        return { id: answer.AllocationId, address: answer.PublicIp };
      }
      case 'create-snapshot': {
        const answer = await ec2.send(
          new CreateSnapshotCommand({
            VolumeId: request.id,
            Description: request.description,
            TagSpecifications: [{ ResourceType: 'snapshot', Tags: [{ Key: 'guardian:optimize', Value: request.id }] }],
          }),
          options,
        );
        return { id: answer.SnapshotId, state: answer.State };
      }
      case 'snapshot-state': {
        const answer = await ec2.send(new DescribeSnapshotsCommand({ SnapshotIds: [request.id] }), options);
        return { id: request.id, state: answer.Snapshots?.[0]?.State };
      }
      case 'delete-volume':
        await ec2.send(new DeleteVolumeCommand({ VolumeId: request.id }), options);
        return {};
      case 'stop-instance': {
        const answer = await ec2.send(new StopInstancesCommand({ InstanceIds: [request.id] }), options);
        const item = answer.StoppingInstances?.[0];
        return { state: item?.CurrentState?.Name, previousState: item?.PreviousState?.Name };
      }
      case 'start-instance': {
        const answer = await ec2.send(new StartInstancesCommand({ InstanceIds: [request.id] }), options);
        const item = answer.StartingInstances?.[0];
        return { state: item?.CurrentState?.Name, previousState: item?.PreviousState?.Name };
      }
      case 'create-volume': {
        // A new volume from the snapshot: EC2 gives it a new id (the deleted one's cannot come back).
        const tags = Object.entries(request.tags ?? {}).map(([Key, Value]) => ({ Key, Value }));
        const answer = await ec2.send(
          new CreateVolumeCommand({
            SnapshotId: request.id,
            AvailabilityZone: request.availabilityZone,
            VolumeType: request.volumeType as VolumeType | undefined,
            Size: request.sizeGb,
            Iops: request.iops,
            ...(tags.length > 0 ? { TagSpecifications: [{ ResourceType: 'volume', Tags: tags }] } : {}),
          }),
          options,
        );
        return { id: answer.VolumeId, state: answer.State };
      }
      case 'modify-volume-type': {
        const answer = await ec2.send(
          new ModifyVolumeCommand({ VolumeId: request.id, VolumeType: request.volumeType as VolumeType, Iops: request.iops }),
          options,
        );
        return { state: answer.VolumeModification?.ModificationState };
      }
    }
  };
}
