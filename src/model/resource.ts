// The normalized inventory vocabulary: every provider maps its SDK objects into these types,
// and every analysis (scan, optimize, costs, graph) reads only these.

export const CLOUDS = ['aws', 'azure', 'gcp'] as const;
export type Cloud = (typeof CLOUDS)[number];

export const RESOURCE_KINDS = [
  'aws.ec2.instance',
  'aws.ec2.volume',
  'aws.ec2.snapshot',
  'aws.ec2.security-group',
  'aws.ec2.address',
  'aws.ec2.vpc',
  'aws.ec2.image',
  'aws.rds.instance',
  'aws.s3.bucket',
  'aws.elbv2.load-balancer',
  'azure.compute.vm',
  'azure.compute.disk',
  'azure.compute.snapshot',
  'azure.network.nsg',
  'azure.network.public-ip',
  'gcp.compute.instance',
  'gcp.compute.disk',
  'gcp.compute.snapshot',
  'gcp.compute.firewall',
  'gcp.compute.address',
] as const;
export type ResourceKind = (typeof RESOURCE_KINDS)[number];

export function cloudOfKind(kind: ResourceKind): Cloud {
  return kind.slice(0, kind.indexOf('.')) as Cloud;
}

/** One inbound rule, flattened: one rule per protocol/port range/source. */
export interface IngressRule {
  /** 'tcp' | 'udp' | 'icmp' | 'all' (any protocol). */
  protocol: string;
  /** Inclusive port range; both undefined means every port. */
  fromPort?: number;
  toPort?: number;
  /** CIDR (IPv4 or IPv6), a service tag such as 'Internet'/'*', or a group/tag reference. */
  source: string;
  /** 'allow' unless the cloud supports deny rules (Azure NSGs). */
  action?: 'allow' | 'deny';
  /** Lower runs first (Azure NSG priority, GCP firewall priority). */
  priority?: number;
}

export interface LoadBalancerListener {
  protocol: string;
  port: number;
  sslPolicy?: string;
}

/**
 * Attributes that analyses read. Every field is optional: a provider fills what its kind has.
 * `undefined` means "not applicable or not known"; rules treat unknown as unknown, never as passing.
 */
export interface ResourceAttributes {
  /** Instance/VM/machine type or DB class (t3.micro, Standard_D2s_v3, e2-medium, db.m5.large). */
  instanceType?: string;
  /** Size of a volume/disk/snapshot in GiB. */
  sizeGb?: number;
  /** Volume/disk type (gp2, gp3, Premium_LRS, pd-ssd). */
  volumeType?: string;
  /** Encrypted at rest; for GCP disks, whether a customer-managed key is used is `cmek`. */
  encrypted?: boolean;
  cmek?: boolean;
  /** Readable by anyone (public snapshot/AMI/bucket, publicly accessible database). */
  public?: boolean;
  publicIp?: string;
  privateIp?: string;
  /** EC2 IMDS: true when IMDSv1 is still accepted (HttpTokens=optional). */
  imdsV1Allowed?: boolean;
  ingress?: IngressRule[];
  /** True for the default security group / default VPC / default network. */
  isDefault?: boolean;
  /** Database engine, version, backups and protection. */
  engine?: string;
  engineVersion?: string;
  backupRetentionDays?: number;
  deletionProtection?: boolean;
  multiAz?: boolean;
  storageGb?: number;
  /** S3 bucket posture. */
  publicAccessBlock?: boolean;
  defaultEncryption?: boolean;
  versioning?: boolean;
  /** Load balancer. */
  scheme?: 'internet-facing' | 'internal';
  listeners?: LoadBalancerListener[];
  lbType?: string;
  /** VM posture. */
  managedDisks?: boolean;
  serialPortEnabled?: boolean;
  projectSshKeysBlocked?: boolean;
  serviceAccount?: string;
  serviceAccountScopes?: string[];
  /** Disk network access (Azure: AllowAll/AllowPrivate/DenyAll). */
  networkAccessPolicy?: string;
  /** Address allocation. */
  addressType?: string;
  /** CIDR block of a VPC/network. */
  cidr?: string;
  /** Maintenance the cloud has scheduled for a machine (EC2 DescribeInstanceStatus events). */
  scheduledEvents?: ScheduledEvent[];
  /** Free-form extras a provider wants to carry (cloud-specific). */
  [extra: string]: unknown;
}

/** One scheduled event as the cloud reports it; EC2 keeps listing completed and canceled ones for a while. */
export interface ScheduledEvent {
  /** The cloud's code: EC2 instance-reboot, system-reboot, system-maintenance, instance-retirement, instance-stop. */
  code: string;
  description?: string;
  /** ISO 8601: the earliest start, and the latest (absent for retirements and stops). */
  notBefore?: string;
  notAfter?: string;
  /** EC2 marks a finished event by prefixing its description with [Completed] or [Canceled]. */
  state: 'scheduled' | 'completed' | 'canceled';
}

export type RelationType =
  | 'attached-to' // volume/disk -> instance
  | 'snapshot-of' // snapshot -> volume/disk
  | 'protected-by' // instance -> security group / NSG / firewall
  | 'associated-with' // address -> instance
  | 'in-network'; // instance/sg -> vpc/network

export interface Relation {
  type: RelationType;
  /** The target resource's `id`. */
  target: string;
}

export interface Resource {
  cloud: Cloud;
  kind: ResourceKind;
  /** The cloud's own id: EC2 id, ARN for buckets/RDS/ELB, ARM resource id, GCP numeric id. */
  id: string;
  name: string;
  /** AWS account id, Azure subscription id, GCP project id. */
  account: string;
  /** AWS region, Azure location, GCP zone/region, or 'global'. */
  region: string;
  state?: string;
  /** ISO 8601 creation / launch time. */
  createdAt?: string;
  tags: Record<string, string>;
  attributes: ResourceAttributes;
  relations: Relation[];
  /** The SDK object as the cloud returned it; kept only with --raw. */
  raw?: unknown;
}

/** A stable key for a resource across snapshots. */
export function resourceKey(resource: Pick<Resource, 'cloud' | 'account' | 'kind' | 'id'>): string {
  return `${resource.cloud}/${resource.account}/${resource.kind}/${resource.id}`;
}
