// Amazon EC2 over its query protocol (form-encoded POST, XML answers in the 2016-11-15 namespace):
// the Describe* actions discovery calls, with EC2's pagination limits, filters and error codes;
// the mutating actions are in ec2-changes.ts.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/Query-Requests.html

import { type InstanceEvent, instanceEvents } from '../estate/events.js';
import type { Ami, EbsSnapshot, EbsVolume, Ec2Instance, ElasticIp, SecurityGroup, Vpc } from '../estate/types.js';
import type { FaultKind, SandboxContext, SandboxRequest, SandboxResponse, SandboxService } from '../server/types.js';
import {
  applyFilters,
  bool,
  byIds,
  type Call,
  Ec2Failure,
  envelope,
  type FilterGetter,
  fail,
  inScope,
  othersPublic,
  pageOf,
  rejectIdsWithMaxResults,
  STATE_CODES,
} from './ec2-call.js';
import { EC2_CHANGES } from './ec2-changes.js';
import { accountOfKey, optInStatus, regionEnabled, resolveCaller } from './identity.js';
import { ec2Error, ec2Filters, ec2TagSet, el, esc, filterMatches, listParam, queryParams } from './protocol.js';

// ---- DescribeRegions ----------------------------------------------------------------------------

function describeRegions(call: Call): SandboxResponse {
  const all = call.params.get('AllRegions') === 'true';
  const account = call.caller.account;
  let regions = call.ctx.estate.aws.allRegions.filter((region) => all || regionEnabled(account, region));
  const names = listParam(call.params, 'RegionName');
  if (names.length > 0) {
    const unknown = names.filter((name) => !call.ctx.estate.aws.allRegions.includes(name));
    if (unknown.length > 0) fail('InvalidParameterValue', `Invalid region names: ${unknown.join(', ')}`);
    regions = regions.filter((region) => names.includes(region));
  }
  const filters = ec2Filters(call.params);
  for (const [name, values] of filters) {
    if (name === 'region-name') regions = regions.filter((region) => filterMatches(values, region));
    else if (name === 'opt-in-status') regions = regions.filter((region) => filterMatches(values, optInStatus(account, region)));
    else if (name === 'endpoint') regions = regions.filter((region) => filterMatches(values, `ec2.${region}.amazonaws.com`));
    else fail('InvalidParameterValue', `The filter '${name}' is invalid`);
  }
  let items = '';
  for (const region of regions) {
    items += `<item><regionName>${region}</regionName><regionEndpoint>ec2.${region}.amazonaws.com</regionEndpoint><optInStatus>${optInStatus(account, region)}</optInStatus></item>`;
  }
  return envelope('DescribeRegions', `<regionInfo>${items}</regionInfo>`);
}

// ---- DescribeInstances --------------------------------------------------------------------------

const instanceFilters: Record<string, FilterGetter<Ec2Instance>> = {
  'instance-state-name': (r) => r.spec.state,
  'instance-state-code': (r) => String(STATE_CODES[r.spec.state]),
  'instance-id': (r) => r.id,
  'instance-type': (r) => r.spec.instanceType,
  'image-id': (r) => r.spec.imageId,
  'vpc-id': (r) => r.spec.vpcId,
  'subnet-id': (r) => r.spec.subnetId,
  'private-ip-address': (r) => r.spec.privateIp,
  'ip-address': (r) => r.spec.publicIp,
  'key-name': (r) => r.spec.keyName,
  'instance.group-id': (r) => r.spec.securityGroupIds,
  'metadata-options.http-tokens': (r) => r.spec.httpTokens,
};

function instanceZone(call: Call, instance: Ec2Instance): string {
  const root = instance.spec.volumeIds[0] ? call.ctx.index.byId.get(instance.spec.volumeIds[0]) : undefined;
  return root?.kind === 'aws.ec2.volume' ? root.spec.availabilityZone : `${instance.region}a`;
}

/** StateTransitionReason as EC2 words a user stop ("User initiated (2026-10-01 12:00:00 GMT)"), and the stateReason beside it. */
function stateReason(stoppedAt: string | undefined): string {
  if (!stoppedAt) return '<reason/>';
  const when = `${stoppedAt.slice(0, 10)} ${stoppedAt.slice(11, 19)} GMT`;
  return `<reason>User initiated (${when})</reason><stateReason><code>Client.UserInitiatedShutdown</code><message>Client.UserInitiatedShutdown: User initiated shutdown</message></stateReason>`;
}

function renderInstance(call: Call, r: Ec2Instance): string {
  const s = r.spec;
  const zone = instanceZone(call, r);
  let groups = '';
  for (const id of s.securityGroupIds) {
    const group = call.ctx.index.byId.get(id);
    groups += `<item><groupId>${id}</groupId><groupName>${esc(group?.kind === 'aws.ec2.security-group' ? group.spec.groupName : id)}</groupName></item>`;
  }
  let devices = '';
  let rootDevice = '/dev/xvda';
  s.volumeIds.forEach((volumeId, i) => {
    const volume = call.ctx.index.byId.get(volumeId);
    const device =
      (volume?.kind === 'aws.ec2.volume' ? volume.spec.device : undefined) ??
      (i === 0 ? '/dev/xvda' : `/dev/sd${String.fromCharCode(102 + i)}`);
    if (i === 0) rootDevice = device;
    devices += `<item><deviceName>${device}</deviceName><ebs><volumeId>${volumeId}</volumeId><status>attached</status><attachTime>${r.createdAt}</attachTime><deleteOnTermination>${bool(i === 0)}</deleteOnTermination></ebs></item>`;
  });
  const privateDns = `ip-${s.privateIp.replaceAll('.', '-')}.${r.region}.compute.internal`;
  const publicDns = s.publicIp ? `ec2-${s.publicIp.replaceAll('.', '-')}.${r.region}.compute.amazonaws.com` : '';
  return (
    `<item><instanceId>${r.id}</instanceId><imageId>${s.imageId}</imageId>` +
    `<instanceState><code>${STATE_CODES[s.state]}</code><name>${s.state}</name></instanceState>` +
    `<privateDnsName>${privateDns}</privateDnsName><dnsName>${publicDns}</dnsName>${stateReason(s.stoppedAt)}` +
    el('keyName', s.keyName) +
    `<amiLaunchIndex>0</amiLaunchIndex><productCodes/><instanceType>${s.instanceType}</instanceType><launchTime>${r.createdAt}</launchTime>` +
    `<placement><availabilityZone>${zone}</availabilityZone><groupName/><tenancy>default</tenancy></placement>` +
    `<monitoring><state>disabled</state></monitoring><subnetId>${s.subnetId}</subnetId><vpcId>${s.vpcId}</vpcId>` +
    `<privateIpAddress>${s.privateIp}</privateIpAddress>` +
    el('ipAddress', s.publicIp) +
    `<sourceDestCheck>true</sourceDestCheck><groupSet>${groups}</groupSet><architecture>x86_64</architecture>` +
    `<rootDeviceType>ebs</rootDeviceType><rootDeviceName>${rootDevice}</rootDeviceName><blockDeviceMapping>${devices}</blockDeviceMapping>` +
    `<virtualizationType>hvm</virtualizationType><clientToken/>${ec2TagSet(r.tags, r.name)}<hypervisor>xen</hypervisor>` +
    `<ebsOptimized>false</ebsOptimized><enaSupport>true</enaSupport>` +
    `<metadataOptions><state>applied</state><httpTokens>${s.httpTokens}</httpTokens><httpPutResponseHopLimit>${s.httpTokens === 'required' ? 2 : 1}</httpPutResponseHopLimit><httpEndpoint>enabled</httpEndpoint><httpProtocolIpv6>disabled</httpProtocolIpv6><instanceMetadataTags>disabled</instanceMetadataTags></metadataOptions>` +
    `<platformDetails>Linux/UNIX</platformDetails><bootMode>uefi-preferred</bootMode></item>`
  );
}

/** Instances launched together (same account, time and image) share a reservation, as RunInstances does. */
function reservationsOf(instances: Ec2Instance[]): Ec2Instance[][] {
  const reservations: Ec2Instance[][] = [];
  let current: Ec2Instance[] | undefined;
  for (const instance of instances) {
    const head = current?.[0];
    if (current && head && head.createdAt === instance.createdAt && head.spec.imageId === instance.spec.imageId) current.push(instance);
    else {
      current = [instance];
      reservations.push(current);
    }
  }
  return reservations;
}

function describeInstances(call: Call): SandboxResponse {
  const ids = listParam(call.params, 'InstanceId');
  rejectIdsWithMaxResults(call, 'instancesSet', ids);
  let instances = byIds(inScope(call, 'aws.ec2.instance'), ids, 'InvalidInstanceID.NotFound', 'instance ID');
  instances = applyFilters(call, instances, instanceFilters, (r) => r.name);
  const page = pageOf(call, 'DescribeInstances', reservationsOf(instances), { min: 5, max: 1000 });
  const parts: string[] = [];
  for (const reservation of page.items) {
    let members = '';
    for (const instance of reservation) members += renderInstance(call, instance);
    parts.push(
      `<item><reservationId>r-${reservation[0].id.slice(2)}</reservationId><ownerId>${call.caller.account.id}</ownerId><groupSet/><instancesSet>${members}</instancesSet></item>`,
    );
  }
  return envelope('DescribeInstances', `<reservationSet>${parts.join('')}</reservationSet>${el('nextToken', page.next)}`);
}

// ---- DescribeInstanceStatus -------------------------------------------------------------------

const statusFilters: Record<string, FilterGetter<Ec2Instance>> = {
  'instance-state-name': (r) => r.spec.state,
  'instance-state-code': (r) => String(STATE_CODES[r.spec.state]),
  'instance-id': (r) => r.id,
  'system-status.status': (r) => (r.spec.state === 'running' ? 'ok' : 'not-applicable'),
  'instance-status.status': (r) => (r.spec.state === 'running' ? 'ok' : 'not-applicable'),
};

const EVENT_FIELDS: Record<string, (e: InstanceEvent) => string | undefined> = {
  'event.code': (e) => e.code,
  'event.description': (e) => e.description,
  'event.instance-event-id': (e) => e.id,
  'event.not-before': (e) => e.notBefore,
  'event.not-after': (e) => e.notAfter,
};

/**
 * Status checks and scheduled events. Without IncludeAllInstances EC2 reports running instances
 * only; InstanceId.N (at most 100) cannot go with MaxResults (5-1000); the event.* filters keep
 * instances with a matching event.
 */
function describeInstanceStatus(call: Call): SandboxResponse {
  const ids = listParam(call.params, 'InstanceId');
  if (ids.length > 100) fail('InvalidParameterValue', 'The maximum number of instance IDs that can be specified is 100');
  rejectIdsWithMaxResults(call, 'InstanceIds', ids);
  const all = call.params.get('IncludeAllInstances') === 'true';
  const { seed, now } = call.ctx.estate;
  const eventsOf = (r: Ec2Instance) => instanceEvents(seed, now, r);
  let instances = byIds(inScope(call, 'aws.ec2.instance'), ids, 'InvalidInstanceID.NotFound', 'instance ID');
  if (!all) instances = instances.filter((r) => r.spec.state === 'running');
  for (const [name, values] of ec2Filters(call.params)) {
    const event = EVENT_FIELDS[name];
    const status = statusFilters[name];
    if (event) instances = instances.filter((r) => eventsOf(r).some((e) => filterMatches(values, event(e))));
    else if (status) instances = instances.filter((r) => filterMatches(values, status(r) as string | undefined));
    else fail('InvalidParameterValue', `The filter '${name}' is invalid`);
  }
  const page = pageOf(call, 'DescribeInstanceStatus', instances, { min: 5, max: 1000 });
  let items = '';
  for (const r of page.items) {
    const running = r.spec.state === 'running';
    const check = running ? 'ok' : 'not-applicable';
    const details = running ? '<details><item><name>reachability</name><status>passed</status></item></details>' : '';
    let events = '';
    for (const e of eventsOf(r))
      events += `<item><instanceEventId>${e.id}</instanceEventId><code>${e.code}</code><description>${esc(e.description)}</description><notBefore>${e.notBefore}</notBefore>${el('notAfter', e.notAfter)}</item>`;
    items +=
      `<item><instanceId>${r.id}</instanceId><availabilityZone>${instanceZone(call, r)}</availabilityZone>` +
      (events ? `<eventsSet>${events}</eventsSet>` : '') +
      `<instanceState><code>${STATE_CODES[r.spec.state]}</code><name>${r.spec.state}</name></instanceState>` +
      `<systemStatus><status>${check}</status>${details}</systemStatus><instanceStatus><status>${check}</status>${details}</instanceStatus></item>`;
  }
  return envelope('DescribeInstanceStatus', `<instanceStatusSet>${items}</instanceStatusSet>${el('nextToken', page.next)}`);
}

// ---- DescribeVolumes ----------------------------------------------------------------------------

const volumeFilters: Record<string, FilterGetter<EbsVolume>> = {
  'volume-id': (r) => r.id,
  status: (r) => r.spec.state,
  encrypted: (r) => bool(r.spec.encrypted),
  'volume-type': (r) => r.spec.volumeType,
  size: (r) => String(r.spec.sizeGb),
  'availability-zone': (r) => r.spec.availabilityZone,
  'attachment.instance-id': (r) => r.spec.attachedInstanceId,
  'attachment.status': (r) => (r.spec.attachedInstanceId ? 'attached' : undefined),
};

function renderVolume(r: EbsVolume): string {
  const s = r.spec;
  const attachment = s.attachedInstanceId
    ? `<item><volumeId>${r.id}</volumeId><instanceId>${s.attachedInstanceId}</instanceId><device>${s.device ?? '/dev/sdf'}</device><status>attached</status><attachTime>${r.createdAt}</attachTime><deleteOnTermination>false</deleteOnTermination></item>`
    : '';
  return (
    `<item><volumeId>${r.id}</volumeId><size>${s.sizeGb}</size><snapshotId/><availabilityZone>${s.availabilityZone}</availabilityZone>` +
    `<status>${s.state}</status><createTime>${r.createdAt}</createTime><attachmentSet>${attachment}</attachmentSet>` +
    `<volumeType>${s.volumeType}</volumeType>${el('iops', s.iops)}<encrypted>${bool(s.encrypted)}</encrypted>${el('kmsKeyId', s.kmsKeyId)}` +
    `${ec2TagSet(r.tags, r.name)}<multiAttachEnabled>false</multiAttachEnabled>${s.volumeType === 'gp3' ? '<throughput>125</throughput>' : ''}</item>`
  );
}

function describeVolumes(call: Call): SandboxResponse {
  const ids = listParam(call.params, 'VolumeId');
  rejectIdsWithMaxResults(call, 'volumeSet', ids);
  let volumes = byIds(inScope(call, 'aws.ec2.volume'), ids, 'InvalidVolume.NotFound', 'volume');
  volumes = applyFilters(call, volumes, volumeFilters, (r) => r.name);
  const page = pageOf(call, 'DescribeVolumes', volumes, { min: 5, max: 1000, clamp: true });
  let items = '';
  for (const volume of page.items) items += renderVolume(volume);
  return envelope('DescribeVolumes', `<volumeSet>${items}</volumeSet>${el('nextToken', page.next)}`);
}

// ---- DescribeSnapshots / DescribeSnapshotAttribute ----------------------------------------------

const snapshotFilters: Record<string, FilterGetter<EbsSnapshot>> = {
  'snapshot-id': (r) => r.id,
  'volume-id': (r) => r.spec.volumeId,
  encrypted: (r) => bool(r.spec.encrypted),
  status: (r) => r.spec.state,
  description: (r) => r.spec.description,
  'volume-size': (r) => String(r.spec.sizeGb),
};

function renderSnapshot(r: EbsSnapshot): string {
  const s = r.spec;
  return (
    `<item><snapshotId>${r.id}</snapshotId><volumeId>${s.volumeId}</volumeId><status>${s.state}</status><startTime>${r.createdAt}</startTime>` +
    `<progress>${s.state === 'completed' ? '100%' : '0%'}</progress><ownerId>${r.account}</ownerId><volumeSize>${s.sizeGb}</volumeSize><description>${esc(s.description)}</description>` +
    `<encrypted>${bool(s.encrypted)}</encrypted>${ec2TagSet(r.tags, r.name)}<storageTier>standard</storageTier></item>`
  );
}

/** Which snapshots/images a caller sees for the owner list and the restorable-by list EC2 takes. */
function visible<R extends EbsSnapshot | Ami>(call: Call, kind: R['kind'], owners: string[], audience: string[]): R[] {
  const self = call.caller.account.id;
  let candidates: R[];
  if (owners.length === 0) candidates = [...(inScope(call, kind) as R[]), ...(othersPublic(call, kind) as R[])];
  else {
    candidates = [];
    for (const owner of owners) {
      const account = owner === 'self' ? self : owner;
      if (!/^\d{12}$/.test(account)) continue; // 'amazon', 'aws-marketplace': none in the estate
      const owned = inScope(call, kind, account) as R[];
      candidates.push(...(account === self ? owned : owned.filter((resource) => resource.spec.public)));
    }
  }
  if (audience.length === 0) return candidates;
  return candidates.filter((resource) =>
    audience.some((who) => (who === 'all' ? resource.spec.public : resource.spec.public || who === 'self' || who === resource.account)),
  );
}

function describeSnapshots(call: Call): SandboxResponse {
  const ids = listParam(call.params, 'SnapshotId');
  rejectIdsWithMaxResults(call, 'snapshotSet', ids);
  let snapshots = visible<EbsSnapshot>(call, 'aws.ec2.snapshot', listParam(call.params, 'Owner'), listParam(call.params, 'RestorableBy'));
  if (ids.length > 0) {
    const known = new Set([...inScope(call, 'aws.ec2.snapshot'), ...othersPublic(call, 'aws.ec2.snapshot')].map((r) => r.id));
    const missing = ids.filter((id) => !known.has(id));
    if (missing.length > 0) fail('InvalidSnapshot.NotFound', `The snapshot '${missing.join(', ')}' does not exist.`);
    const wanted = new Set(ids);
    snapshots = snapshots.filter((snapshot) => wanted.has(snapshot.id));
  }
  snapshots = applyFilters(call, snapshots, snapshotFilters, (r) => r.name);
  const page = pageOf(call, 'DescribeSnapshots', snapshots, { min: 5, max: 1000, clamp: true });
  let items = '';
  for (const snapshot of page.items) items += renderSnapshot(snapshot);
  return envelope('DescribeSnapshots', `<snapshotSet>${items}</snapshotSet>${el('nextToken', page.next)}`);
}

function describeSnapshotAttribute(call: Call): SandboxResponse {
  const id = call.params.get('SnapshotId') ?? fail('MissingParameter', 'The request must contain the parameter SnapshotId');
  const attribute = call.params.get('Attribute') ?? fail('MissingParameter', 'The request must contain the parameter Attribute');
  const snapshot = inScope(call, 'aws.ec2.snapshot').find((r) => r.id === id);
  if (!snapshot) fail('InvalidSnapshot.NotFound', `The snapshot '${id}' does not exist.`);
  if (attribute === 'createVolumePermission') {
    const items = snapshot.spec.public ? '<item><group>all</group></item>' : '';
    return envelope('DescribeSnapshotAttribute', `<snapshotId>${id}</snapshotId><createVolumePermission>${items}</createVolumePermission>`);
  }
  if (attribute === 'productCodes') return envelope('DescribeSnapshotAttribute', `<snapshotId>${id}</snapshotId><productCodes/>`);
  return fail('InvalidParameterValue', `Value (${attribute}) for parameter attribute is invalid. Unknown attribute.`);
}

// ---- DescribeSecurityGroups ---------------------------------------------------------------------

const groupFilters: Record<string, FilterGetter<SecurityGroup>> = {
  'group-id': (r) => r.id,
  'group-name': (r) => r.spec.groupName,
  'vpc-id': (r) => r.spec.vpcId,
  description: (r) => r.spec.description,
  'ip-permission.cidr': (r) => r.spec.ingress.flatMap((rule) => rule.cidrs),
  'ip-permission.ipv6-cidr': (r) => r.spec.ingress.flatMap((rule) => rule.ipv6Cidrs),
  'ip-permission.from-port': (r) => r.spec.ingress.flatMap((rule) => (rule.fromPort === undefined ? [] : [String(rule.fromPort)])),
  'ip-permission.to-port': (r) => r.spec.ingress.flatMap((rule) => (rule.toPort === undefined ? [] : [String(rule.toPort)])),
};

function renderGroup(r: SecurityGroup): string {
  const s = r.spec;
  let ingress = '';
  for (const rule of s.ingress) {
    const ports = rule.protocol === '-1' ? '' : `${el('fromPort', rule.fromPort ?? -1)}${el('toPort', rule.toPort ?? -1)}`;
    let groups = '';
    for (const groupId of rule.groups) groups += `<item><userId>${r.account}</userId><groupId>${groupId}</groupId></item>`;
    let ranges = '';
    for (const cidr of rule.cidrs) ranges += `<item><cidrIp>${cidr}</cidrIp></item>`;
    let ranges6 = '';
    for (const cidr of rule.ipv6Cidrs) ranges6 += `<item><cidrIpv6>${cidr}</cidrIpv6></item>`;
    ingress += `<item><ipProtocol>${rule.protocol}</ipProtocol>${ports}<groups>${groups}</groups><ipRanges>${ranges}</ipRanges><ipv6Ranges>${ranges6}</ipv6Ranges><prefixListIds/></item>`;
  }
  return (
    `<item><ownerId>${r.account}</ownerId><groupId>${r.id}</groupId><groupName>${esc(s.groupName)}</groupName>` +
    `<groupDescription>${esc(s.description)}</groupDescription><vpcId>${s.vpcId}</vpcId><ipPermissions>${ingress}</ipPermissions>` +
    `<ipPermissionsEgress><item><ipProtocol>-1</ipProtocol><groups/><ipRanges><item><cidrIp>0.0.0.0/0</cidrIp></item></ipRanges><ipv6Ranges/><prefixListIds/></item></ipPermissionsEgress>` +
    `${ec2TagSet(r.tags, undefined)}<securityGroupArn>arn:aws:ec2:${r.region}:${r.account}:security-group/${r.id}</securityGroupArn></item>`
  );
}

function describeSecurityGroups(call: Call): SandboxResponse {
  const ids = listParam(call.params, 'GroupId');
  const names = listParam(call.params, 'GroupName');
  rejectIdsWithMaxResults(call, 'groupIdSet', [...ids, ...names]);
  let groups = byIds(inScope(call, 'aws.ec2.security-group'), ids, 'InvalidGroup.NotFound', 'security group');
  if (names.length > 0) groups = byIds(groups, names, 'InvalidGroup.NotFound', 'security group', (r) => r.spec.groupName);
  groups = applyFilters(call, groups, groupFilters, () => undefined);
  const page = pageOf(call, 'DescribeSecurityGroups', groups, { min: 5, max: 1000 });
  let items = '';
  for (const group of page.items) items += renderGroup(group);
  return envelope('DescribeSecurityGroups', `<securityGroupInfo>${items}</securityGroupInfo>${el('nextToken', page.next)}`);
}

// ---- DescribeAddresses (not paginated in EC2) ---------------------------------------------------

const addressFilters: Record<string, FilterGetter<ElasticIp>> = {
  'public-ip': (r) => r.spec.publicIp,
  'allocation-id': (r) => r.spec.allocationId,
  'association-id': (r) => r.spec.associationId,
  'instance-id': (r) => r.spec.instanceId,
  'private-ip-address': (r) => r.spec.privateIp,
  domain: () => 'vpc',
};

function renderAddress(r: ElasticIp): string {
  const s = r.spec;
  return (
    `<item><publicIp>${s.publicIp}</publicIp><allocationId>${s.allocationId}</allocationId><domain>vpc</domain>` +
    `${el('instanceId', s.instanceId)}${el('associationId', s.associationId)}${el('privateIpAddress', s.privateIp)}` +
    `${ec2TagSet(r.tags, r.name)}<publicIpv4Pool>amazon</publicIpv4Pool><networkBorderGroup>${r.region}</networkBorderGroup></item>`
  );
}

function describeAddresses(call: Call): SandboxResponse {
  let addresses = inScope(call, 'aws.ec2.address');
  addresses = byIds(
    addresses,
    listParam(call.params, 'AllocationId'),
    'InvalidAllocationID.NotFound',
    'allocation ID',
    (r) => r.spec.allocationId,
  );
  addresses = byIds(addresses, listParam(call.params, 'PublicIp'), 'InvalidAddress.NotFound', 'address', (r) => r.spec.publicIp);
  addresses = applyFilters(call, addresses, addressFilters, (r) => r.name);
  let items = '';
  for (const address of addresses) items += renderAddress(address);
  return envelope('DescribeAddresses', `<addressesSet>${items}</addressesSet>`);
}

// ---- DescribeVpcs -------------------------------------------------------------------------------

const vpcFilters: Record<string, FilterGetter<Vpc>> = {
  'vpc-id': (r) => r.id,
  'is-default': (r) => bool(r.spec.isDefault),
  'cidr-block-association.cidr-block': (r) => r.spec.cidr,
  cidr: (r) => r.spec.cidr,
  state: (r) => r.spec.state,
};

function renderVpc(r: Vpc): string {
  const s = r.spec;
  return (
    `<item><vpcId>${r.id}</vpcId><state>${s.state}</state><cidrBlock>${s.cidr}</cidrBlock>` +
    `<cidrBlockAssociationSet><item><cidrBlock>${s.cidr}</cidrBlock><associationId>vpc-cidr-assoc-${r.id.slice(4)}</associationId><cidrBlockState><state>associated</state></cidrBlockState></item></cidrBlockAssociationSet>` +
    `<dhcpOptionsId>dopt-${r.id.slice(4)}</dhcpOptionsId><instanceTenancy>default</instanceTenancy><isDefault>${bool(s.isDefault)}</isDefault>` +
    `<ownerId>${r.account}</ownerId>${ec2TagSet(r.tags, s.isDefault ? undefined : r.name)}<blockPublicAccessStates><internetGatewayBlockMode>off</internetGatewayBlockMode></blockPublicAccessStates></item>`
  );
}

function describeVpcs(call: Call): SandboxResponse {
  const ids = listParam(call.params, 'VpcId');
  let vpcs = byIds(inScope(call, 'aws.ec2.vpc'), ids, 'InvalidVpcID.NotFound', 'vpc ID');
  vpcs = applyFilters(call, vpcs, vpcFilters, (r) => r.name);
  const page = pageOf(call, 'DescribeVpcs', vpcs, { min: 5, max: 1000 });
  let items = '';
  for (const vpc of page.items) items += renderVpc(vpc);
  return envelope('DescribeVpcs', `<vpcSet>${items}</vpcSet>${el('nextToken', page.next)}`);
}

// ---- DescribeImages -----------------------------------------------------------------------------

const imageFilters: Record<string, FilterGetter<Ami>> = {
  'image-id': (r) => r.id,
  'is-public': (r) => bool(r.spec.public),
  state: (r) => r.spec.state,
  name: (r) => r.name,
  architecture: (r) => r.spec.architecture,
  'image-type': () => 'machine',
};

function renderImage(r: Ami): string {
  const s = r.spec;
  const root = s.rootSnapshotId
    ? `<blockDeviceMapping><item><deviceName>/dev/xvda</deviceName><ebs><snapshotId>${s.rootSnapshotId}</snapshotId><volumeSize>8</volumeSize><deleteOnTermination>true</deleteOnTermination><volumeType>gp3</volumeType><encrypted>false</encrypted></ebs></item></blockDeviceMapping>`
    : '<blockDeviceMapping/>';
  return (
    `<item><imageId>${r.id}</imageId><imageLocation>${r.account}/${esc(r.name)}</imageLocation><imageState>${s.state}</imageState>` +
    `<imageOwnerId>${r.account}</imageOwnerId><creationDate>${r.createdAt}</creationDate><isPublic>${bool(s.public)}</isPublic>` +
    `<architecture>${s.architecture}</architecture><imageType>machine</imageType><name>${esc(r.name)}</name>` +
    `<rootDeviceType>ebs</rootDeviceType><rootDeviceName>/dev/xvda</rootDeviceName>${root}<virtualizationType>hvm</virtualizationType>` +
    `${ec2TagSet(r.tags, undefined)}<hypervisor>xen</hypervisor><enaSupport>true</enaSupport><platformDetails>Linux/UNIX</platformDetails></item>`
  );
}

function describeImages(call: Call): SandboxResponse {
  const ids = listParam(call.params, 'ImageId');
  rejectIdsWithMaxResults(call, 'imagesSet', ids);
  let images = visible<Ami>(call, 'aws.ec2.image', listParam(call.params, 'Owner'), listParam(call.params, 'ExecutableBy'));
  if (ids.length > 0) images = byIds(images, ids, 'InvalidAMIID.NotFound', 'image id');
  images = applyFilters(call, images, imageFilters, (r) => r.name);
  const page = pageOf(call, 'DescribeImages', images, { min: 1, max: 1000 });
  let items = '';
  for (const image of page.items) items += renderImage(image);
  return envelope('DescribeImages', `<imagesSet>${items}</imagesSet>${el('nextToken', page.next)}`);
}

// ---- the service --------------------------------------------------------------------------------

const ACTIONS: Record<string, (call: Call) => SandboxResponse> = {
  DescribeRegions: describeRegions,
  DescribeInstances: describeInstances,
  DescribeInstanceStatus: describeInstanceStatus,
  DescribeVolumes: describeVolumes,
  DescribeSnapshots: describeSnapshots,
  DescribeSnapshotAttribute: describeSnapshotAttribute,
  DescribeSecurityGroups: describeSecurityGroups,
  DescribeAddresses: describeAddresses,
  DescribeVpcs: describeVpcs,
  DescribeImages: describeImages,
  ...EC2_CHANGES,
};

export const ec2: SandboxService = {
  name: 'aws.ec2',
  matches: (req) => req.aws?.service === 'ec2',
  scope(req, ctx) {
    const account = accountOfKey(req.aws?.accessKeyId, ctx);
    return account && req.aws ? { account, region: req.aws.region } : undefined;
  },
  handle(req: SandboxRequest, ctx: SandboxContext): SandboxResponse {
    const region = req.aws?.region ?? '';
    const who = resolveCaller(req, ctx);
    if (!who.ok) {
      if (who.reason === 'expired') return ec2Error(400, 'RequestExpired', 'Request has expired.');
      return ec2Error(401, 'AuthFailure', 'AWS was not able to validate the provided access credentials');
    }
    if (!ctx.estate.aws.allRegions.includes(region)) {
      return ec2Error(401, 'AuthFailure', `Credential should be scoped to a valid region, not '${region}'.`);
    }
    if (!regionEnabled(who.caller.account, region)) {
      return ec2Error(401, 'OptInRequired', 'You are not subscribed to this service. Please go to http://aws.amazon.com to subscribe.');
    }
    const params = queryParams(req);
    const action = params.get('Action') ?? '';
    const handler = ACTIONS[action];
    if (!handler) return ec2Error(400, 'InvalidAction', `The action ${action} is not valid for this web service.`);
    try {
      return handler({ params, caller: who.caller, region, ctx });
    } catch (error) {
      if (error instanceof Ec2Failure) return ec2Error(error.status, error.code, error.message);
      throw error;
    }
  },
  faultResponse(_req, fault: FaultKind): SandboxResponse {
    if (fault === 'throttle') return ec2Error(503, 'RequestLimitExceeded', 'Request limit exceeded.');
    if (fault === 'outage') return ec2Error(503, 'Unavailable', 'The server is overloaded and can\u2019t handle the request.');
    return ec2Error(500, 'InternalError', 'An internal error has occurred.');
  },
};
