// EC2's mutating actions — what optimize --apply calls and what undoes it — changing the estate
// through its store, so later Describe* answers, the caches and the manifest follow. Changes EC2
// makes asynchronously settle after the store's settle time: a stopping instance becomes stopped,
// a pending snapshot completed, a volume modification goes modifying → optimizing → completed.
// Error codes and shapes: https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html

import { createHash } from 'node:crypto';
import type {
  EbsSnapshot,
  EbsVolume,
  Ec2Instance,
  ElasticIp,
  EstateResource,
  PlantedCondition,
  VolumeModification,
} from '../estate/types.js';
import { serverSlot } from '../server/state.js';
import type { SandboxResponse } from '../server/types.js';
import { applyFilters, bool, type Call, envelope, type FilterGetter, fail, inScope, pageOf, STATE_CODES } from './ec2-call.js';
import { ec2TagSet, el, esc, listParam } from './protocol.js';

/** How many ids of each prefix the server has minted (ids stay a function of the seed and the call order). */
const MINTED = serverSlot('aws.ec2.minted', () => new Map<string, number>());

function mintId(call: Call, prefix: string): string {
  const minted = call.ctx.state.get(MINTED);
  for (;;) {
    const n = (minted.get(prefix) ?? 0) + 1;
    minted.set(prefix, n);
    const hex = createHash('sha1').update(`${call.ctx.estate.seed}|${prefix}|${n}`).digest('hex').slice(0, 17);
    const id = `${prefix}-${hex}`;
    if (!call.ctx.store.get(id)) return id;
  }
}

const nowIso = (call: Call) => new Date(call.ctx.store.clock()).toISOString();

/** EC2 checks permissions and parameters, then answers a dry run with 412 DryRunOperation. */
function dryRun(call: Call): void {
  if (call.params.get('DryRun') === 'true') fail('DryRunOperation', 'Request would have succeeded, but DryRun flag is set.', 412);
}

function required(call: Call, name: string): string {
  return call.params.get(name) ?? fail('MissingParameter', `The request must contain the parameter ${name}`);
}

/** The caller's resource of that kind in the call's region, or EC2's not-found error for it. */
function ownedBy<K extends EstateResource['kind']>(
  call: Call,
  kind: K,
  id: string,
  notFound: () => never,
): Extract<EstateResource, { kind: K }> {
  const resource = call.ctx.store.get(id);
  if (!resource || resource.kind !== kind || resource.account !== call.caller.account.id || resource.region !== call.region) notFound();
  return resource as Extract<EstateResource, { kind: K }>;
}

const volumeNotFound = (id: string) => () => fail('InvalidVolume.NotFound', `The volume '${id}' does not exist.`);

/** `TagSpecification.N.ResourceType` with `TagSpecification.N.Tag.M.Key/Value`, for one resource type. */
function tagsFor(call: Call, resourceType: string): Record<string, string> {
  const tags: Record<string, string> = {};
  for (let n = 1; ; n++) {
    const type = call.params.get(`TagSpecification.${n}.ResourceType`);
    if (type === null) break;
    if (type !== resourceType) continue;
    for (let m = 1; ; m++) {
      const key = call.params.get(`TagSpecification.${n}.Tag.${m}.Key`);
      if (key === null) break;
      tags[key] = call.params.get(`TagSpecification.${n}.Tag.${m}.Value`) ?? '';
    }
  }
  return tags;
}

// ---- instances ----------------------------------------------------------------------------------

function instancesOf(call: Call): Ec2Instance[] {
  const ids = listParam(call.params, 'InstanceId');
  if (ids.length === 0) fail('MissingParameter', 'The request must contain the parameter InstanceId');
  const mine = (r: EstateResource | undefined): r is Ec2Instance =>
    r?.kind === 'aws.ec2.instance' && r.account === call.caller.account.id && r.region === call.region;
  const found = ids.map((id) => call.ctx.store.get(id));
  const missing = ids.filter((_, i) => !mine(found[i]));
  if (missing.length === 1) fail('InvalidInstanceID.NotFound', `The instance ID '${missing[0]}' does not exist`);
  if (missing.length > 1) fail('InvalidInstanceID.NotFound', `The instance IDs '${missing.join(', ')}' do not exist`);
  return found as Ec2Instance[];
}

type InstanceState = Ec2Instance['spec']['state'];

const stateXml = (state: InstanceState) => `<code>${STATE_CODES[state]}</code><name>${state}</name>`;

/**
 * Stop or start: `from` is the state the change applies to, `via` the state it passes through and
 * `to` where it settles; `stays` are states already there (or on the way), answered unchanged.
 */
function changeInstances(
  call: Call,
  action: 'StopInstances' | 'StartInstances',
  move: { from: InstanceState; via: InstanceState; to: InstanceState; stays: InstanceState[] },
): SandboxResponse {
  const instances = instancesOf(call);
  const verb = action === 'StopInstances' ? 'stopped' : 'started';
  for (const instance of instances) {
    if (instance.spec.state !== move.from && !move.stays.includes(instance.spec.state)) {
      fail('IncorrectInstanceState', `The instance '${instance.id}' is not in a state from which it can be ${verb}.`);
    }
  }
  dryRun(call);
  let items = '';
  for (const instance of instances) {
    const previous = instance.spec.state;
    if (previous === move.from) {
      call.ctx.store.update(instance, (r) => {
        r.spec.state = move.via;
      });
      call.ctx.store.schedule(instance, call.ctx.store.settleMs, (r) => {
        r.spec.state = move.to;
      });
    }
    items += `<item><instanceId>${instance.id}</instanceId><currentState>${stateXml(instance.spec.state)}</currentState><previousState>${stateXml(previous)}</previousState></item>`;
  }
  return envelope(action, `<instancesSet>${items}</instancesSet>`);
}

function stopInstances(call: Call): SandboxResponse {
  return changeInstances(call, 'StopInstances', { from: 'running', via: 'stopping', to: 'stopped', stays: ['stopping', 'stopped'] });
}

function startInstances(call: Call): SandboxResponse {
  return changeInstances(call, 'StartInstances', { from: 'stopped', via: 'pending', to: 'running', stays: ['pending', 'running'] });
}

// ---- addresses ----------------------------------------------------------------------------------

function releaseAddress(call: Call): SandboxResponse {
  const allocationId = call.params.get('AllocationId');
  const publicIp = call.params.get('PublicIp');
  let address: ElasticIp | undefined;
  if (allocationId !== null) {
    address = ownedBy(call, 'aws.ec2.address', allocationId, () =>
      fail('InvalidAllocationID.NotFound', `The allocation ID '${allocationId}' does not exist`),
    );
  } else if (publicIp !== null) {
    address = inScope(call, 'aws.ec2.address').find((r) => r.spec.publicIp === publicIp);
    if (!address) fail('InvalidAddress.NotFound', `The address '${publicIp}' does not exist.`);
  } else fail('MissingParameter', 'The request must contain the parameter AllocationId');
  if (address.spec.associationId) fail('InvalidIPAddress.InUse', `Address ${address.spec.allocationId} is in use.`);
  dryRun(call);
  call.ctx.store.remove(address);
  return envelope('ReleaseAddress', '<return>true</return>');
}

/** The octets after 54. of a fresh address: a function of the allocation id, skipping any in use. */
function freeIp(call: Call, allocationId: string): string {
  const used = new Set(inScope(call, 'aws.ec2.address').map((r) => r.spec.publicIp));
  for (let salt = 0; ; salt++) {
    const bytes = createHash('sha1').update(`${allocationId}|${salt}`).digest();
    const ip = `54.${bytes[0]}.${bytes[1]}.${1 + (bytes[2] % 254)}`;
    if (!used.has(ip)) return ip;
  }
}

function allocateAddress(call: Call): SandboxResponse {
  const domain = call.params.get('Domain') ?? 'vpc';
  if (domain !== 'vpc') fail('InvalidParameterValue', `Value (${domain}) for parameter domain is invalid. Only 'vpc' is supported.`);
  const wanted = call.params.get('Address');
  if (wanted !== null && inScope(call, 'aws.ec2.address').some((r) => r.spec.publicIp === wanted)) {
    fail('InvalidAddress.InUse', `The address '${wanted}' is already in use.`);
  }
  dryRun(call);
  const id = mintId(call, 'eipalloc');
  const tags = tagsFor(call, 'elastic-ip');
  const address: ElasticIp = {
    kind: 'aws.ec2.address',
    id,
    name: tags.Name ?? '',
    account: call.caller.account.id,
    region: call.region,
    createdAt: nowIso(call),
    tags,
    planted: ['address-unassociated'],
    spec: { publicIp: wanted ?? freeIp(call, id), allocationId: id },
  };
  call.ctx.store.add(address);
  return envelope(
    'AllocateAddress',
    `<publicIp>${address.spec.publicIp}</publicIp><domain>vpc</domain><allocationId>${id}</allocationId><publicIpv4Pool>amazon</publicIpv4Pool><networkBorderGroup>${call.region}</networkBorderGroup>${ec2TagSet(tags, undefined)}`,
  );
}

// ---- volumes ------------------------------------------------------------------------------------

function deleteVolume(call: Call): SandboxResponse {
  const id = required(call, 'VolumeId');
  const volume = ownedBy(call, 'aws.ec2.volume', id, volumeNotFound(id));
  if (volume.spec.attachedInstanceId) fail('VolumeInUse', `Volume ${id} is currently attached to ${volume.spec.attachedInstanceId}`);
  dryRun(call);
  call.ctx.store.remove(volume);
  return envelope('DeleteVolume', '<return>true</return>');
}

const VOLUME_TYPES = new Set<EbsVolume['spec']['volumeType']>(['gp2', 'gp3', 'io1', 'st1', 'sc1', 'standard']);

/** The IOPS a volume of that type and size has without an explicit figure (gp2: 3 per GiB, 100 to 16,000; gp3: 3,000). */
function defaultIops(type: EbsVolume['spec']['volumeType'], sizeGb: number, previous?: number): number | undefined {
  if (type === 'gp3') return 3000;
  if (type === 'gp2') return Math.min(16_000, Math.max(100, 3 * sizeGb));
  return type === 'io1' ? previous : undefined;
}

/**
 * A volume from a snapshot (or empty, of a size) in an availability zone of the call's region: it is
 * creating until the settle time has passed, then available, unattached. Only a completed snapshot
 * can be restored; the volume is at least the snapshot's size and encrypted when it is.
 */
function createVolume(call: Call): SandboxResponse {
  const zone = required(call, 'AvailabilityZone');
  if (!new RegExp(`^${call.region}[a-z]$`).test(zone)) fail('InvalidZone.NotFound', `The zone '${zone}' does not exist.`);
  const snapshotId = call.params.get('SnapshotId');
  const sizeText = call.params.get('Size');
  if (snapshotId === null && sizeText === null) fail('MissingParameter', 'The request must contain either a snapshot ID or a volume size.');
  let snapshot: EbsSnapshot | undefined;
  if (snapshotId !== null) {
    snapshot = ownedBy(call, 'aws.ec2.snapshot', snapshotId, () =>
      fail('InvalidSnapshot.NotFound', `The snapshot '${snapshotId}' does not exist.`),
    );
    if (snapshot.spec.state !== 'completed') fail('IncorrectState', `Snapshot is in invalid state - ${snapshot.spec.state}`);
  }
  const sizeGb = sizeText === null ? (snapshot?.spec.sizeGb as number) : Number(sizeText);
  if (!Number.isInteger(sizeGb) || sizeGb < 1) fail('InvalidParameterValue', `Value (${sizeText}) for parameter size is invalid.`);
  if (snapshot && sizeGb < snapshot.spec.sizeGb) {
    fail('InvalidParameterValue', `Volume of ${sizeGb}GiB is too small; minimum is ${snapshot.spec.sizeGb}GiB.`);
  }
  const type = (call.params.get('VolumeType') ?? 'gp2') as EbsVolume['spec']['volumeType'];
  if (!VOLUME_TYPES.has(type)) fail('InvalidParameterValue', `Value (${type}) for parameter volumeType is invalid.`);
  const iopsText = call.params.get('Iops');
  if (type === 'io1' && iopsText === null) fail('MissingParameter', 'The request must contain the parameter iops');
  const iops = iopsText === null ? defaultIops(type, sizeGb) : Number(iopsText);
  const encrypted = snapshot?.spec.encrypted || call.params.get('Encrypted') === 'true';
  const tags = tagsFor(call, 'volume');
  const reserved = Object.keys(tags).find((key) => key.startsWith('aws:'));
  if (reserved !== undefined) {
    fail(
      'InvalidParameterValue',
      `Value ( ${reserved} ) for parameter key is invalid. Tag keys starting with 'aws:' are reserved for internal use`,
    );
  }
  dryRun(call);
  const planted: PlantedCondition[] = ['volume-unattached'];
  if (type === 'gp2') planted.push('volume-gp2');
  if (!encrypted) planted.push('ebs-unencrypted');
  const volume: EbsVolume = {
    kind: 'aws.ec2.volume',
    id: mintId(call, 'vol'),
    name: tags.Name ?? '',
    account: call.caller.account.id,
    region: call.region,
    createdAt: nowIso(call),
    tags,
    planted,
    spec: {
      sizeGb,
      volumeType: type,
      ...(iops === undefined ? {} : { iops }),
      encrypted,
      ...(call.params.get('KmsKeyId') ? { kmsKeyId: call.params.get('KmsKeyId') as string } : {}),
      state: 'creating',
      ...(snapshot ? { snapshotId: snapshot.id } : {}),
      availabilityZone: zone,
    },
  };
  const { store } = call.ctx;
  store.add(volume);
  store.schedule(volume, store.settleMs, (v) => {
    v.spec.state = 'available';
  });
  return envelope(
    'CreateVolume',
    `<volumeId>${volume.id}</volumeId><size>${sizeGb}</size>${snapshot ? `<snapshotId>${snapshot.id}</snapshotId>` : '<snapshotId/>'}` +
      `<availabilityZone>${zone}</availabilityZone><status>creating</status><createTime>${volume.createdAt}</createTime>` +
      `<volumeType>${type}</volumeType>${el('iops', iops)}<encrypted>${bool(encrypted)}</encrypted>${el('kmsKeyId', volume.spec.kmsKeyId)}` +
      `${ec2TagSet(tags, undefined)}<multiAttachEnabled>false</multiAttachEnabled>${type === 'gp3' ? '<throughput>125</throughput>' : ''}`,
  );
}

function modificationXml(volumeId: string, m: VolumeModification): string {
  return (
    `<volumeId>${volumeId}</volumeId><modificationState>${m.state}</modificationState>` +
    `<targetSize>${m.target.sizeGb}</targetSize>${el('targetIops', m.target.iops)}<targetVolumeType>${m.target.volumeType}</targetVolumeType>` +
    `${m.target.volumeType === 'gp3' ? '<targetThroughput>125</targetThroughput>' : ''}<targetMultiAttachEnabled>false</targetMultiAttachEnabled>` +
    `<originalSize>${m.original.sizeGb}</originalSize>${el('originalIops', m.original.iops)}<originalVolumeType>${m.original.volumeType}</originalVolumeType>` +
    `${m.original.volumeType === 'gp3' ? '<originalThroughput>125</originalThroughput>' : ''}<originalMultiAttachEnabled>false</originalMultiAttachEnabled>` +
    `<progress>${m.state === 'modifying' ? 0 : m.state === 'optimizing' ? 50 : 100}</progress><startTime>${m.startTime}</startTime>${el('endTime', m.endTime)}`
  );
}

function modifyVolume(call: Call): SandboxResponse {
  const id = required(call, 'VolumeId');
  const volume = ownedBy(call, 'aws.ec2.volume', id, volumeNotFound(id));
  const current = volume.spec.modification;
  if (current && current.state !== 'completed') {
    fail('IncorrectModificationState', `Cannot modify volume ${id} as it is currently in modification state '${current.state}'.`);
  }
  const type = (call.params.get('VolumeType') ?? volume.spec.volumeType) as EbsVolume['spec']['volumeType'];
  if (!VOLUME_TYPES.has(type)) fail('InvalidParameterValue', `Value (${type}) for parameter volumeType is invalid.`);
  const sizeText = call.params.get('Size');
  const sizeGb = sizeText === null ? volume.spec.sizeGb : Number(sizeText);
  if (!Number.isInteger(sizeGb) || sizeGb < volume.spec.sizeGb) {
    fail('InvalidParameterValue', `New size cannot be smaller than existing size (${volume.spec.sizeGb} GiB).`);
  }
  const iopsText = call.params.get('Iops');
  const iops = iopsText === null ? defaultIops(type, sizeGb, volume.spec.iops) : Number(iopsText);
  if (type === volume.spec.volumeType && sizeGb === volume.spec.sizeGb && iops === volume.spec.iops) {
    fail('InvalidParameterCombination', `Volume ${id} already has the requested size, type and IOPS.`);
  }
  dryRun(call);
  const modification: VolumeModification = {
    state: 'modifying',
    startTime: nowIso(call),
    original: { sizeGb: volume.spec.sizeGb, volumeType: volume.spec.volumeType, iops: volume.spec.iops },
    target: { sizeGb, volumeType: type, iops },
  };
  const { store } = call.ctx;
  store.update(volume, (v) => {
    v.spec.modification = modification;
  });
  // The new configuration is in effect once the modification is optimizing (AWS bills it from then).
  store.schedule(volume, store.settleMs, (v) => {
    v.spec.volumeType = type;
    v.spec.sizeGb = sizeGb;
    v.spec.iops = iops;
    v.spec.modification = { ...modification, state: 'optimizing' };
    // The manifest's ground truth follows: a volume is gp2 waste while, and only while, it is gp2.
    const others = v.planted.filter((c) => c !== 'volume-gp2');
    v.planted = type === 'gp2' ? [...others, 'volume-gp2'] : others;
  });
  store.schedule(volume, 2 * store.settleMs, (v) => {
    v.spec.modification = { ...modification, state: 'completed', endTime: new Date(store.clock()).toISOString() };
  });
  return envelope('ModifyVolume', `<volumeModification>${modificationXml(id, modification)}</volumeModification>`);
}

const modificationFilters: Record<string, FilterGetter<EbsVolume>> = {
  'volume-id': (r) => r.id,
  'modification-state': (r) => r.spec.modification?.state,
  'target-volume-type': (r) => r.spec.modification?.target.volumeType,
  'original-volume-type': (r) => r.spec.modification?.original.volumeType,
  'target-size': (r) => (r.spec.modification ? String(r.spec.modification.target.sizeGb) : undefined),
  'original-size': (r) => (r.spec.modification ? String(r.spec.modification.original.sizeGb) : undefined),
  'start-time': (r) => r.spec.modification?.startTime,
};

function describeVolumesModifications(call: Call): SandboxResponse {
  const ids = listParam(call.params, 'VolumeId');
  let volumes: EbsVolume[];
  if (ids.length > 0) {
    volumes = ids.map((id) => ownedBy(call, 'aws.ec2.volume', id, volumeNotFound(id)));
    const unmodified = volumes.find((v) => !v.spec.modification);
    if (unmodified) fail('InvalidVolumeModification.NotFound', `Modification for volume '${unmodified.id}' does not exist.`);
  } else volumes = inScope(call, 'aws.ec2.volume').filter((v) => v.spec.modification);
  volumes = applyFilters(call, volumes, modificationFilters, (r) => r.name);
  const page = pageOf(call, 'DescribeVolumesModifications', volumes, { min: 5, max: 500, clamp: true });
  let items = '';
  for (const volume of page.items) items += `<item>${modificationXml(volume.id, volume.spec.modification as VolumeModification)}</item>`;
  return envelope('DescribeVolumesModifications', `<volumeModificationSet>${items}</volumeModificationSet>${el('nextToken', page.next)}`);
}

// ---- snapshots ----------------------------------------------------------------------------------

function createSnapshot(call: Call): SandboxResponse {
  const volumeId = required(call, 'VolumeId');
  const volume = ownedBy(call, 'aws.ec2.volume', volumeId, volumeNotFound(volumeId));
  const description = call.params.get('Description') ?? '';
  dryRun(call);
  const tags = tagsFor(call, 'snapshot');
  const planted: PlantedCondition[] = volume.spec.encrypted ? [] : ['snapshot-unencrypted'];
  const snapshot: EbsSnapshot = {
    kind: 'aws.ec2.snapshot',
    id: mintId(call, 'snap'),
    name: tags.Name ?? '',
    account: call.caller.account.id,
    region: call.region,
    createdAt: nowIso(call),
    tags,
    planted,
    spec: { volumeId, sizeGb: volume.spec.sizeGb, encrypted: volume.spec.encrypted, public: false, description, state: 'pending' },
  };
  const { store } = call.ctx;
  store.add(snapshot);
  store.schedule(snapshot, store.settleMs, (s) => {
    s.spec.state = 'completed';
  });
  return envelope(
    'CreateSnapshot',
    `<snapshotId>${snapshot.id}</snapshotId><volumeId>${volumeId}</volumeId><status>pending</status><startTime>${snapshot.createdAt}</startTime>` +
      `<progress>0%</progress><ownerId>${snapshot.account}</ownerId><volumeSize>${snapshot.spec.sizeGb}</volumeSize>` +
      `<description>${esc(description)}</description><encrypted>${bool(snapshot.spec.encrypted)}</encrypted>${ec2TagSet(tags, undefined)}`,
  );
}

// ---- tags ----------------------------------------------------------------------------------------

/** CreateTags: adds or overwrites tags on the caller's EC2 resources in the call's region. */
function createTags(call: Call): SandboxResponse {
  const ids = listParam(call.params, 'ResourceId');
  if (ids.length === 0) fail('MissingParameter', 'The request must contain the parameter ResourceId');
  const tags: [string, string][] = [];
  for (let n = 1; ; n++) {
    const key = call.params.get(`Tag.${n}.Key`);
    if (key === null) break;
    if (key.length > 128 || key.toLowerCase().startsWith('aws:'))
      fail('InvalidParameterValue', `Tag key '${key}' is not valid: at most 128 characters, and the aws: prefix is reserved`);
    const value = call.params.get(`Tag.${n}.Value`) ?? '';
    if (value.length > 256) fail('InvalidParameterValue', `Tag value for key '${key}' is longer than 256 characters`);
    tags.push([key, value]);
  }
  if (tags.length === 0) fail('MissingParameter', 'The request must contain the parameter Tag');
  const resources = ids.map((id) => {
    const resource = call.ctx.store.get(id);
    if (!resource?.kind.startsWith('aws.ec2.') || resource.account !== call.caller.account.id || resource.region !== call.region)
      fail('InvalidID', `The ID '${id}' is not valid`);
    return resource;
  });
  if (resources.some((r) => Object.keys(r.tags).length + tags.filter(([k]) => !(k in r.tags)).length > 50))
    fail('TagLimitExceeded', 'The maximum number of Tags for a resource has been reached.');
  dryRun(call);
  for (const resource of resources)
    call.ctx.store.update(resource, (r) => {
      for (const [key, value] of tags) r.tags[key] = value;
    });
  return envelope('CreateTags', '<return>true</return>');
}

export const EC2_CHANGES: Record<string, (call: Call) => SandboxResponse> = {
  CreateTags: createTags,
  StopInstances: stopInstances,
  StartInstances: startInstances,
  ReleaseAddress: releaseAddress,
  AllocateAddress: allocateAddress,
  DeleteVolume: deleteVolume,
  CreateVolume: createVolume,
  ModifyVolume: modifyVolume,
  DescribeVolumesModifications: describeVolumesModifications,
  CreateSnapshot: createSnapshot,
};
