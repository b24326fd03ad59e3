// EC2 kinds: instances, EBS volumes and snapshots, security groups, Elastic IPs, VPCs and AMIs,
// one KindSpec each, normalized into Resource. Pages are as large as EC2 allows (1,000).

import {
  type Address,
  DescribeAddressesCommand,
  DescribeImagesCommand,
  DescribeInstanceStatusCommand,
  DescribeInstancesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSnapshotAttributeCommand,
  DescribeSnapshotsCommand,
  DescribeVolumesCommand,
  DescribeVpcsCommand,
  type EC2Client,
  type Image,
  type Instance,
  type IpPermission,
  type SecurityGroup,
  type Snapshot,
  type Tag,
  type Volume,
  type Vpc,
} from '@aws-sdk/client-ec2';
import pLimit from 'p-limit';
import type { IngressRule, Relation, Resource, ResourceKind, ScheduledEvent } from '../../model/resource.js';
import { defineKind, type KindSpec, type ListOptions, type Page, type Scope } from '../types.js';
import { classifyAwsError } from './errors.js';
import type { AwsScopeHandle } from './scopes.js';
import type { AwsClients } from './session.js';
import { subCall } from './subcalls.js';

const PAGE = 1000;
/** The smallest MaxResults EC2's Describe calls accept, for `config test`'s probe. */
const PROBE_PAGE = 5;
const pageSize = (options: ListOptions) => (options.probe ? PROBE_PAGE : PAGE);
/** Every state but terminated: terminated instances linger in listings for about an hour. */
const LIVE_STATES = ['pending', 'running', 'shutting-down', 'stopping', 'stopped'];

export function tagRecord(tags: Tag[] | undefined): Record<string, string> {
  const record: Record<string, string> = {};
  for (const tag of tags ?? []) if (tag.Key !== undefined) record[tag.Key] = tag.Value ?? '';
  return record;
}

export function isoDate(value: Date | string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

function base(scope: Scope, kind: ResourceKind, id: string, tags: Record<string, string>, raw: unknown, options: ListOptions) {
  return {
    cloud: 'aws' as const,
    kind,
    id,
    name: tags.Name || id,
    account: scope.account,
    region: scope.region,
    tags,
    ...(options.raw ? { raw } : {}),
  };
}

// ---- normalizers --------------------------------------------------------------------------------

/**
 * When a stopped instance stopped: EC2 says so only inside StateTransitionReason, as
 * "User initiated (2026-10-01 12:00:00 GMT)"; other reasons carry no time and leave it unknown.
 */
export function stoppedAtOf(reason: string | undefined): string | undefined {
  const match = /\((\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}) GMT\)/.exec(reason ?? '');
  return match ? `${match[1]}T${match[2]}.000Z` : undefined;
}

export function normalizeInstance(scope: Scope, instance: Instance, options: ListOptions): Resource {
  const tags = tagRecord(instance.Tags);
  const relations: Relation[] = [];
  if (instance.VpcId) relations.push({ type: 'in-network', target: instance.VpcId });
  for (const group of instance.SecurityGroups ?? []) if (group.GroupId) relations.push({ type: 'protected-by', target: group.GroupId });
  const tokens = instance.MetadataOptions?.HttpTokens;
  return {
    ...base(scope, 'aws.ec2.instance', instance.InstanceId ?? '', tags, instance, options),
    state: instance.State?.Name,
    createdAt: isoDate(instance.LaunchTime),
    attributes: {
      instanceType: instance.InstanceType,
      privateIp: instance.PrivateIpAddress,
      publicIp: instance.PublicIpAddress,
      imdsV1Allowed: tokens === undefined ? undefined : tokens === 'optional',
      availabilityZone: instance.Placement?.AvailabilityZone,
      imageId: instance.ImageId,
      keyName: instance.KeyName,
      vpcId: instance.VpcId,
      subnetId: instance.SubnetId,
      volumeIds: (instance.BlockDeviceMappings ?? []).flatMap((mapping) => (mapping.Ebs?.VolumeId ? [mapping.Ebs.VolumeId] : [])),
      platform: instance.PlatformDetails,
      stoppedAt: instance.State?.Name === 'stopped' ? stoppedAtOf(instance.StateTransitionReason) : undefined,
    },
    relations,
  };
}

/** EC2's scheduled event codes: DescribeInstanceStatus lists only instances with one of these. */
const EVENT_CODES = ['instance-reboot', 'system-reboot', 'system-maintenance', 'instance-retirement', 'instance-stop'];
/** DescribeInstanceStatus takes at most 100 instance ids a call. */
const STATUS_IDS = 100;

export function scheduledEventOf(event: { Code?: string; Description?: string; NotBefore?: Date; NotAfter?: Date }): ScheduledEvent {
  const description = event.Description ?? '';
  return {
    code: event.Code ?? 'unknown',
    ...(description ? { description } : {}),
    ...(event.NotBefore ? { notBefore: isoDate(event.NotBefore) } : {}),
    ...(event.NotAfter ? { notAfter: isoDate(event.NotAfter) } : {}),
    state: description.startsWith('[Completed]') ? 'completed' : description.startsWith('[Canceled]') ? 'canceled' : 'scheduled',
  };
}

/**
 * The scheduled events of a page's instances: DescribeInstanceStatus for their ids (100 a call),
 * every state (IncludeAllInstances), filtered to instances that have an event, so an estate
 * without maintenance answers each call with an empty set.
 */
async function instanceEvents(client: EC2Client, ids: string[], options: ListOptions): Promise<Map<string, ScheduledEvent[]>> {
  const events = new Map<string, ScheduledEvent[]>();
  for (let from = 0; from < ids.length; from += STATUS_IDS) {
    const answer = await subCall(options.signal, () => {
      options.onRequest?.('ec2');
      return client.send(
        new DescribeInstanceStatusCommand({
          InstanceIds: ids.slice(from, from + STATUS_IDS),
          IncludeAllInstances: true,
          Filters: [{ Name: 'event.code', Values: EVENT_CODES }],
        }),
        { abortSignal: options.signal },
      );
    });
    for (const status of answer.InstanceStatuses ?? [])
      if (status.InstanceId) events.set(status.InstanceId, (status.Events ?? []).map(scheduledEventOf));
  }
  return events;
}

export function normalizeVolume(scope: Scope, volume: Volume, options: ListOptions): Resource {
  const tags = tagRecord(volume.Tags);
  const attachments = volume.Attachments ?? [];
  return {
    ...base(scope, 'aws.ec2.volume', volume.VolumeId ?? '', tags, volume, options),
    state: volume.State,
    createdAt: isoDate(volume.CreateTime),
    attributes: {
      sizeGb: volume.Size,
      volumeType: volume.VolumeType,
      encrypted: volume.Encrypted,
      kmsKeyId: volume.KmsKeyId,
      iops: volume.Iops,
      availabilityZone: volume.AvailabilityZone,
      attachedTo: attachments.flatMap((attachment) => (attachment.InstanceId ? [attachment.InstanceId] : [])),
    },
    relations: attachments.flatMap((attachment) =>
      attachment.InstanceId ? [{ type: 'attached-to' as const, target: attachment.InstanceId }] : [],
    ),
  };
}

/** `isPublic` undefined: the snapshot's permissions could not be read, so the rule reports it unverified. */
export function normalizeSnapshot(scope: Scope, snapshot: Snapshot, isPublic: boolean | undefined, options: ListOptions): Resource {
  const tags = tagRecord(snapshot.Tags);
  // Copied snapshots report the placeholder volume vol-ffffffff.
  const volumeId = snapshot.VolumeId && snapshot.VolumeId !== 'vol-ffffffff' ? snapshot.VolumeId : undefined;
  return {
    ...base(scope, 'aws.ec2.snapshot', snapshot.SnapshotId ?? '', tags, snapshot, options),
    state: snapshot.State,
    createdAt: isoDate(snapshot.StartTime),
    attributes: {
      sizeGb: snapshot.VolumeSize,
      encrypted: snapshot.Encrypted,
      public: isPublic,
      volumeId,
      description: snapshot.Description,
    },
    relations: volumeId ? [{ type: 'snapshot-of', target: volumeId }] : [],
  };
}

const PROTOCOLS: Record<string, string> = { '-1': 'all', '6': 'tcp', '17': 'udp', '1': 'icmp', '58': 'icmpv6' };

/** One IngressRule per source of each permission (IPv4 ranges, IPv6 ranges, groups, prefix lists). */
export function flattenIngress(permissions: IpPermission[] | undefined): IngressRule[] {
  const rules: IngressRule[] = [];
  for (const permission of permissions ?? []) {
    const protocol = PROTOCOLS[permission.IpProtocol ?? '-1'] ?? permission.IpProtocol ?? 'all';
    const ports =
      protocol === 'tcp' || protocol === 'udp'
        ? permission.FromPort === undefined || permission.FromPort === -1
          ? {}
          : { fromPort: permission.FromPort, toPort: permission.ToPort ?? permission.FromPort }
        : {};
    const sources = [
      ...(permission.IpRanges ?? []).map((range) => range.CidrIp),
      ...(permission.Ipv6Ranges ?? []).map((range) => range.CidrIpv6),
      ...(permission.UserIdGroupPairs ?? []).map((pair) => pair.GroupId),
      ...(permission.PrefixListIds ?? []).map((list) => list.PrefixListId),
    ];
    for (const source of sources) if (source) rules.push({ protocol, ...ports, source, action: 'allow' });
  }
  return rules;
}

export function normalizeSecurityGroup(scope: Scope, group: SecurityGroup, options: ListOptions): Resource {
  const tags = tagRecord(group.Tags);
  return {
    ...base(scope, 'aws.ec2.security-group', group.GroupId ?? '', tags, group, options),
    name: group.GroupName ?? group.GroupId ?? '',
    attributes: {
      ingress: flattenIngress(group.IpPermissions),
      isDefault: group.GroupName === 'default',
      description: group.Description,
      vpcId: group.VpcId,
    },
    relations: group.VpcId ? [{ type: 'in-network', target: group.VpcId }] : [],
  };
}

export function normalizeAddress(scope: Scope, address: Address, options: ListOptions): Resource {
  const tags = tagRecord(address.Tags);
  const id = address.AllocationId ?? address.PublicIp ?? '';
  return {
    ...base(scope, 'aws.ec2.address', id, tags, address, options),
    name: tags.Name || address.PublicIp || id,
    state: address.AssociationId ? 'associated' : 'unassociated',
    attributes: {
      publicIp: address.PublicIp,
      privateIp: address.PrivateIpAddress,
      addressType: address.Domain,
      associationId: address.AssociationId,
      instanceId: address.InstanceId,
      networkInterfaceId: address.NetworkInterfaceId,
    },
    relations: address.InstanceId ? [{ type: 'associated-with', target: address.InstanceId }] : [],
  };
}

export function normalizeVpc(scope: Scope, vpc: Vpc, options: ListOptions): Resource {
  const tags = tagRecord(vpc.Tags);
  return {
    ...base(scope, 'aws.ec2.vpc', vpc.VpcId ?? '', tags, vpc, options),
    state: vpc.State,
    attributes: { cidr: vpc.CidrBlock, isDefault: vpc.IsDefault },
    relations: [],
  };
}

export function normalizeImage(scope: Scope, image: Image, options: ListOptions): Resource {
  const tags = tagRecord(image.Tags);
  const rootSnapshot = image.BlockDeviceMappings?.find((mapping) => mapping.DeviceName === image.RootDeviceName)?.Ebs?.SnapshotId;
  return {
    ...base(scope, 'aws.ec2.image', image.ImageId ?? '', tags, image, options),
    name: image.Name ?? tags.Name ?? image.ImageId ?? '',
    state: image.State,
    createdAt: isoDate(image.CreationDate),
    attributes: { public: image.Public, architecture: image.Architecture, rootSnapshotId: rootSnapshot, platform: image.PlatformDetails },
    relations: [],
  };
}

// ---- kind specs ---------------------------------------------------------------------------------

/**
 * Which of a page's snapshots are public. Public-ness is not in the listing: one filtered call
 * (RestorableByUserIds=all) names the candidates, and each candidate is confirmed from its own
 * createVolumePermission attribute (one call each), because a store that ignores the filter
 * would otherwise make every snapshot a critical finding. Snapshots the filter leaves out are
 * private; a candidate whose attribute may not be read stays unknown.
 */
async function snapshotPublicity(
  client: EC2Client,
  snapshots: Snapshot[],
  fanOut: number,
  options: ListOptions,
): Promise<Map<string, boolean | undefined>> {
  const publicity = new Map<string, boolean | undefined>();
  if (snapshots.length === 0) return publicity;
  const ids = snapshots.map((s) => s.SnapshotId!);
  for (const id of ids) publicity.set(id, false);
  const shared = await subCall(options.signal, () => {
    options.onRequest?.('ec2');
    return client.send(new DescribeSnapshotsCommand({ OwnerIds: ['self'], RestorableByUserIds: ['all'], SnapshotIds: ids }), {
      abortSignal: options.signal,
    });
  });
  const candidates = [
    ...new Set((shared.Snapshots ?? []).flatMap((s) => (s.SnapshotId && publicity.has(s.SnapshotId) ? [s.SnapshotId] : []))),
  ];
  const limit = pLimit(fanOut);
  await Promise.all(
    candidates.map((id) =>
      limit(async () => {
        try {
          const attribute = await subCall(options.signal, () => {
            options.onRequest?.('ec2');
            return client.send(new DescribeSnapshotAttributeCommand({ SnapshotId: id, Attribute: 'createVolumePermission' }), {
              abortSignal: options.signal,
            });
          });
          publicity.set(
            id,
            (attribute.CreateVolumePermissions ?? []).some((permission) => permission.Group === 'all'),
          );
        } catch (error) {
          const { class: cls } = classifyAwsError(error);
          if (cls !== 'denied' && cls !== 'not-found') throw error;
          publicity.set(id, undefined);
        }
      }),
    ),
  );
  return publicity;
}

export function ec2Kinds(clients: AwsClients): KindSpec[] {
  const ec2 = (scope: Scope, options: ListOptions) => {
    options.onRequest?.('ec2');
    const handle = scope.handle as AwsScopeHandle;
    return clients.client('ec2', handle.session, scope.region);
  };
  const regional = (kind: ResourceKind, permissions: string[], listPage: KindSpec['listPage']): KindSpec =>
    defineKind({ cloud: 'aws', kind, scopeType: 'region', permissions, listPage });

  return [
    regional('aws.ec2.instance', ['ec2:DescribeInstances', 'ec2:DescribeInstanceStatus'], async (scope, token, options): Promise<Page> => {
      const client = ec2(scope, options);
      const answer = await client.send(
        new DescribeInstancesCommand({
          MaxResults: pageSize(options),
          NextToken: token,
          Filters: [{ Name: 'instance-state-name', Values: LIVE_STATES }],
        }),
        { abortSignal: options.signal },
      );
      const resources: Resource[] = [];
      for (const reservation of answer.Reservations ?? []) {
        for (const instance of reservation.Instances ?? []) resources.push(normalizeInstance(scope, instance, options));
      }
      // A policy without ec2:DescribeInstanceStatus leaves the events unknown, not the instances unlisted.
      const events = await instanceEvents(
        client,
        resources.map((r) => r.id),
        options,
      ).catch((error) => {
        if (classifyAwsError(error).class === 'denied') return undefined;
        throw error;
      });
      if (events) for (const resource of resources) resource.attributes.scheduledEvents = events.get(resource.id) ?? [];
      return { resources, next: answer.NextToken || undefined };
    }),
    regional('aws.ec2.volume', ['ec2:DescribeVolumes'], async (scope, token, options) => {
      const answer = await ec2(scope, options).send(new DescribeVolumesCommand({ MaxResults: pageSize(options), NextToken: token }), {
        abortSignal: options.signal,
      });
      return {
        resources: (answer.Volumes ?? []).map((volume) => normalizeVolume(scope, volume, options)),
        next: answer.NextToken || undefined,
      };
    }),
    regional('aws.ec2.snapshot', ['ec2:DescribeSnapshots', 'ec2:DescribeSnapshotAttribute'], async (scope, token, options) => {
      const client = ec2(scope, options);
      const answer = await client.send(
        new DescribeSnapshotsCommand({ OwnerIds: ['self'], MaxResults: pageSize(options), NextToken: token }),
        {
          abortSignal: options.signal,
        },
      );
      const snapshots = answer.Snapshots ?? [];
      const publicity = await snapshotPublicity(client, snapshots, clients.options.pageFanOut ?? 32, options);
      return {
        resources: snapshots.map((snapshot) => normalizeSnapshot(scope, snapshot, publicity.get(snapshot.SnapshotId ?? ''), options)),
        next: answer.NextToken || undefined,
      };
    }),
    regional('aws.ec2.security-group', ['ec2:DescribeSecurityGroups'], async (scope, token, options) => {
      const answer = await ec2(scope, options).send(
        new DescribeSecurityGroupsCommand({ MaxResults: pageSize(options), NextToken: token }),
        {
          abortSignal: options.signal,
        },
      );
      return {
        resources: (answer.SecurityGroups ?? []).map((group) => normalizeSecurityGroup(scope, group, options)),
        next: answer.NextToken || undefined,
      };
    }),
    regional('aws.ec2.address', ['ec2:DescribeAddresses'], async (scope, _token, options) => {
      // DescribeAddresses has no pagination: one call answers every address in the region.
      const answer = await ec2(scope, options).send(new DescribeAddressesCommand({}), { abortSignal: options.signal });
      return { resources: (answer.Addresses ?? []).map((address) => normalizeAddress(scope, address, options)) };
    }),
    regional('aws.ec2.vpc', ['ec2:DescribeVpcs'], async (scope, token, options) => {
      const answer = await ec2(scope, options).send(new DescribeVpcsCommand({ MaxResults: pageSize(options), NextToken: token }), {
        abortSignal: options.signal,
      });
      return { resources: (answer.Vpcs ?? []).map((vpc) => normalizeVpc(scope, vpc, options)), next: answer.NextToken || undefined };
    }),
    regional('aws.ec2.image', ['ec2:DescribeImages'], async (scope, token, options) => {
      const answer = await ec2(scope, options).send(
        new DescribeImagesCommand({ Owners: ['self'], MaxResults: pageSize(options), NextToken: token }),
        {
          abortSignal: options.signal,
        },
      );
      return {
        resources: (answer.Images ?? []).map((image) => normalizeImage(scope, image, options)),
        next: answer.NextToken || undefined,
      };
    }),
  ];
}
