// Maps planned aws_* resources into the Resource model the rules read. Inline and separate rule
// resources (aws_vpc_security_group_ingress_rule, aws_security_group_rule) are merged into their
// security group; bucket sub-resources and listeners into their bucket and load balancer.

import type { IngressRule, LoadBalancerListener, Resource } from '../model/resource.js';
import {
  anyUnknown,
  configures,
  markUnknown,
  type Planned,
  plannedBoolean,
  plannedResource,
  referencedAddresses,
  stringValue,
} from './planned.js';

export interface Place {
  account: string;
  region: string;
}

function protocolOf(value: unknown): string {
  const text = String(value ?? 'all').toLowerCase();
  if (text === '-1' || text === 'all') return 'all';
  if (text === '6') return 'tcp';
  if (text === '17') return 'udp';
  return text;
}

function ports(protocol: string, from: unknown, to: unknown): { fromPort?: number; toPort?: number } {
  if (protocol === 'all') return {};
  const f = typeof from === 'number' ? from : undefined;
  const t = typeof to === 'number' ? to : undefined;
  if (f === -1) return {};
  return { fromPort: f, toPort: t };
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** aws_security_group.ingress / aws_security_group_rule: one IngressRule per source CIDR. */
function inlineRules(entry: Record<string, unknown>): IngressRule[] {
  const protocol = protocolOf(entry.protocol);
  const range = ports(protocol, entry.from_port, entry.to_port);
  const sources = [
    ...strings(entry.cidr_blocks),
    ...strings(entry.ipv6_cidr_blocks),
    ...strings(entry.security_groups),
    ...strings(entry.prefix_list_ids),
  ];
  if (entry.source_security_group_id && typeof entry.source_security_group_id === 'string') sources.push(entry.source_security_group_id);
  if (entry.self === true) sources.push('self');
  return sources.map((source) => ({ protocol, ...range, source, action: 'allow' as const }));
}

function securityGroup(planned: Planned, place: Place, isDefault: boolean): Resource {
  const resource = plannedResource(planned, 'aws.ec2.security-group', place);
  resource.attributes.isDefault = isDefault;
  const wholeUnknown = planned.afterUnknown.ingress === true;
  const ingress: IngressRule[] = [];
  if (Array.isArray(planned.after.ingress))
    for (const entry of planned.after.ingress) ingress.push(...inlineRules(entry as Record<string, unknown>));
  // AWS creates a security group with no inbound rules; the provider shows an unconfigured `ingress`
  // as known after apply only because separate rule resources may fill it (merged below).
  if ((wholeUnknown && (configures(planned, 'ingress') || isDefault)) || (!wholeUnknown && anyUnknown(planned.afterUnknown.ingress))) {
    markUnknown(resource, 'ingress');
  }
  resource.attributes.ingress = ingress;
  return resource;
}

function ruleResourceRules(planned: Planned, resource: Resource): IngressRule[] {
  const after = planned.after;
  if (planned.type === 'aws_security_group_rule') {
    if (after.type !== 'ingress') return [];
    if (anyUnknown(planned.afterUnknown.cidr_blocks) || anyUnknown(planned.afterUnknown.ipv6_cidr_blocks)) markUnknown(resource, 'ingress');
    return inlineRules(after);
  }
  // aws_vpc_security_group_ingress_rule: one source per resource.
  const protocol = protocolOf(after.ip_protocol);
  const range = ports(protocol, after.from_port, after.to_port);
  const source =
    stringValue(after.cidr_ipv4) ??
    stringValue(after.cidr_ipv6) ??
    stringValue(after.referenced_security_group_id) ??
    stringValue(after.prefix_list_id);
  if (['cidr_ipv4', 'cidr_ipv6'].some((key) => planned.afterUnknown[key] === true)) {
    markUnknown(resource, 'ingress');
    return [];
  }
  return source ? [{ protocol, ...range, source, action: 'allow' }] : [];
}

function instance(planned: Planned, place: Place): Resource {
  const after = planned.after;
  const resource = plannedResource(planned, 'aws.ec2.instance', place);
  resource.attributes.instanceType = stringValue(after.instance_type);
  const options = Array.isArray(after.metadata_options) ? (after.metadata_options[0] as Record<string, unknown> | undefined) : undefined;
  const optionsUnknown = planned.afterUnknown.metadata_options;
  const tokensUnknown =
    optionsUnknown === true || (Array.isArray(optionsUnknown) && (optionsUnknown[0] as Record<string, unknown>)?.http_tokens === true);
  if (tokensUnknown || !options || typeof options.http_tokens !== 'string') markUnknown(resource, 'imdsV1Allowed');
  else resource.attributes.imdsV1Allowed = options.http_tokens === 'optional';
  const associate = plannedBoolean(planned, resource, 'associate_public_ip_address', 'publicIp');
  if (associate === true) resource.attributes.publicIp = stringValue(after.public_ip) ?? '(assigned on apply)';
  if (planned.afterUnknown.public_ip === true && associate === undefined) markUnknown(resource, 'publicIp');
  if (associate === false) resource.attributes.publicIp = undefined;
  for (const target of referencedAddresses(planned, 'vpc_security_group_ids')) resource.relations.push({ type: 'protected-by', target });
  return resource;
}

function publicAccessBlock(planned: Planned): boolean | undefined {
  const keys = ['block_public_acls', 'ignore_public_acls', 'block_public_policy', 'restrict_public_buckets'];
  if (keys.some((key) => planned.afterUnknown[key] === true)) return undefined;
  return keys.every((key) => planned.after[key] === true);
}

export function mapAws(all: Planned[], place: Place): Resource[] {
  const out = new Map<string, Resource>();
  const byBase = new Map<string, Resource[]>();
  const add = (planned: Planned, resource: Resource) => {
    out.set(planned.address, resource);
    const list = byBase.get(planned.baseAddress) ?? [];
    list.push(resource);
    byBase.set(planned.baseAddress, list);
  };
  const plannedOf = new Map<Resource, Planned>();
  for (const planned of all) {
    const after = planned.after;
    let resource: Resource | undefined;
    switch (planned.type) {
      case 'aws_security_group':
        resource = securityGroup(planned, place, stringValue(after.name) === 'default');
        break;
      case 'aws_default_security_group':
        resource = securityGroup(planned, place, true);
        resource.name = 'default';
        break;
      case 'aws_ebs_volume': {
        resource = plannedResource(planned, 'aws.ec2.volume', { ...place, region: stringValue(after.availability_zone) ?? place.region });
        resource.attributes.encrypted = plannedBoolean(planned, resource, 'encrypted', 'encrypted');
        resource.attributes.sizeGb = typeof after.size === 'number' ? after.size : undefined;
        resource.attributes.volumeType = stringValue(after.type);
        break;
      }
      case 'aws_ebs_snapshot':
      case 'aws_ebs_snapshot_copy': {
        resource = plannedResource(planned, 'aws.ec2.snapshot', place);
        resource.attributes.encrypted = plannedBoolean(planned, resource, 'encrypted', 'encrypted');
        // Snapshots are created private; sharing with "all" is not something these resources express.
        resource.attributes.public = false;
        break;
      }
      case 'aws_ami':
      case 'aws_ami_copy':
      case 'aws_ami_from_instance':
        resource = plannedResource(planned, 'aws.ec2.image', place);
        resource.attributes.public = false;
        break;
      case 'aws_instance':
        resource = instance(planned, place);
        break;
      case 'aws_eip': {
        resource = plannedResource(planned, 'aws.ec2.address', place);
        resource.attributes.publicIp = stringValue(after.public_ip) ?? '(allocated on apply)';
        for (const target of referencedAddresses(planned, 'instance')) resource.relations.push({ type: 'associated-with', target });
        break;
      }
      case 'aws_db_instance': {
        resource = plannedResource(planned, 'aws.rds.instance', { ...place, name: stringValue(after.identifier) });
        resource.attributes.encrypted = plannedBoolean(planned, resource, 'storage_encrypted', 'encrypted', false);
        resource.attributes.public = plannedBoolean(planned, resource, 'publicly_accessible', 'public', false);
        resource.attributes.deletionProtection = plannedBoolean(planned, resource, 'deletion_protection', 'deletionProtection', false);
        if (planned.afterUnknown.backup_retention_period === true) markUnknown(resource, 'backupRetentionDays');
        else if (typeof after.backup_retention_period === 'number') resource.attributes.backupRetentionDays = after.backup_retention_period;
        resource.attributes.engine = stringValue(after.engine);
        resource.attributes.instanceType = stringValue(after.instance_class);
        break;
      }
      case 'aws_s3_bucket': {
        resource = plannedResource(planned, 'aws.s3.bucket', { ...place, name: stringValue(after.bucket) });
        // Without the companion resources below the bucket declares neither setting.
        resource.attributes.publicAccessBlock = false;
        const inline = after.server_side_encryption_configuration;
        resource.attributes.defaultEncryption = Array.isArray(inline) && inline.length > 0;
        break;
      }
      case 'aws_lb':
      case 'aws_alb': {
        resource = plannedResource(planned, 'aws.elbv2.load-balancer', place);
        const internal = plannedBoolean(planned, resource, 'internal', 'scheme', false);
        resource.attributes.scheme = internal === undefined ? undefined : internal ? 'internal' : 'internet-facing';
        resource.attributes.lbType = stringValue(after.load_balancer_type) ?? 'application';
        resource.attributes.listeners = [];
        break;
      }
      default:
        break;
    }
    if (resource) {
      add(planned, resource);
      plannedOf.set(resource, planned);
    }
  }

  /** The primary resource a companion resource belongs to: by configuration reference, else by a literal value. */
  const owner = (planned: Planned, attribute: string, types: string[], literal?: (candidate: Planned) => boolean): Resource[] => {
    const found: Resource[] = [];
    for (const address of referencedAddresses(planned, attribute)) {
      for (const r of byBase.get(address) ?? []) if (types.includes(plannedOf.get(r)!.type)) found.push(r);
    }
    if (found.length === 0 && literal) for (const [r, p] of plannedOf) if (types.includes(p.type) && literal(p)) found.push(r);
    return found;
  };

  for (const planned of all) {
    const after = planned.after;
    switch (planned.type) {
      case 'aws_vpc_security_group_ingress_rule':
      case 'aws_security_group_rule': {
        if (planned.type === 'aws_security_group_rule' && after.type !== 'ingress') break;
        const groups = owner(planned, 'security_group_id', ['aws_security_group', 'aws_default_security_group'], (p) => {
          const id = stringValue(after.security_group_id);
          return id !== undefined && p.after.id === id;
        });
        if (groups.length === 0) {
          // A rule for a group outside this plan: judge it on its own.
          const standalone = plannedResource(planned, 'aws.ec2.security-group', { ...place, name: planned.address });
          standalone.attributes.isDefault = false;
          standalone.attributes.ingress = ruleResourceRules(planned, standalone);
          add(planned, standalone);
          break;
        }
        for (const group of groups) (group.attributes.ingress as IngressRule[]).push(...ruleResourceRules(planned, group));
        break;
      }
      case 'aws_s3_bucket_public_access_block':
        for (const bucket of owner(
          planned,
          'bucket',
          ['aws_s3_bucket'],
          (p) => p.after.bucket === after.bucket && typeof after.bucket === 'string',
        )) {
          const value = publicAccessBlock(planned);
          bucket.attributes.publicAccessBlock = value;
          if (value === undefined) markUnknown(bucket, 'publicAccessBlock');
        }
        break;
      case 'aws_s3_bucket_server_side_encryption_configuration':
        for (const bucket of owner(
          planned,
          'bucket',
          ['aws_s3_bucket'],
          (p) => p.after.bucket === after.bucket && typeof after.bucket === 'string',
        )) {
          bucket.attributes.defaultEncryption = true;
        }
        break;
      case 'aws_lb_listener':
      case 'aws_alb_listener': {
        const listener: LoadBalancerListener = {
          protocol: stringValue(after.protocol) ?? (planned.afterUnknown.protocol === true ? 'UNKNOWN' : 'HTTP'),
          port: typeof after.port === 'number' ? after.port : 0,
          sslPolicy: stringValue(after.ssl_policy),
        };
        let lbs = owner(planned, 'load_balancer_arn', ['aws_lb', 'aws_alb']);
        if (lbs.length === 0) {
          const standalone = plannedResource(planned, 'aws.elbv2.load-balancer', { ...place, name: planned.address });
          standalone.attributes.listeners = [];
          markUnknown(standalone, 'scheme');
          add(planned, standalone);
          lbs = [standalone];
        }
        for (const lb of lbs) {
          (lb.attributes.listeners as LoadBalancerListener[]).push(listener);
          if (planned.afterUnknown.ssl_policy === true) markUnknown(lb, 'listeners.sslPolicy');
          if (planned.afterUnknown.protocol === true) markUnknown(lb, 'listeners');
        }
        break;
      }
      case 'aws_ami_launch_permission':
        if (after.group === 'all')
          for (const image of owner(planned, 'image_id', ['aws_ami', 'aws_ami_copy', 'aws_ami_from_instance']))
            image.attributes.public = true;
        break;
      default:
        break;
    }
  }
  return [...out.values()];
}
