// The AWS sandbox modules, exercised through the official SDK v3 clients exactly as discovery uses them.

import { Readable } from 'node:stream';
import {
  DescribeAddressesCommand,
  DescribeImagesCommand,
  DescribeInstancesCommand,
  DescribeRegionsCommand,
  DescribeSecurityGroupsCommand,
  DescribeSnapshotAttributeCommand,
  DescribeSnapshotsCommand,
  DescribeVolumesCommand,
  DescribeVpcsCommand,
  EC2Client,
  paginateDescribeInstances,
} from '@aws-sdk/client-ec2';
import {
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  DescribeTagsCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { ListAccountsCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { DescribeDBInstancesCommand, RDSClient } from '@aws-sdk/client-rds';
import {
  GetBucketEncryptionCommand,
  GetBucketLocationCommand,
  GetBucketTaggingCommand,
  GetBucketVersioningCommand,
  GetPublicAccessBlockCommand,
  ListBucketsCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Sha256 } from '../../src/sandbox/aws/front-door.js';
import { services } from '../../src/sandbox/aws/index.js';
import type { AwsAccount, Estate, EstateResource } from '../../src/sandbox/estate/types.js';
import { SandboxServer } from '../../src/sandbox/server/server.js';
import { buildAwsEstate } from './aws-fixture.js';

let server: SandboxServer;
let endpoint: string;
let estate: Estate;
let management: AwsAccount;
let prod: AwsAccount;

type Credentials = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
const keys = (account: AwsAccount): Credentials => ({ accessKeyId: account.accessKeyId, secretAccessKey: account.secretAccessKey });
const config = (credentials: Credentials, region = 'us-east-1') => ({ endpoint, region, credentials, maxAttempts: 1 });
const owned = (kind: EstateResource['kind'], account: string, region?: string) =>
  estate.resources.filter((r) => r.kind === kind && r.account === account && (region === undefined || r.region === region));

async function failure(promise: Promise<unknown>): Promise<{ name: string; status?: number; message: string }> {
  try {
    await promise;
  } catch (error) {
    const e = error as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    return { name: e.name, status: e.$metadata?.httpStatusCode, message: e.message };
  }
  throw new Error('expected the call to fail');
}

beforeAll(async () => {
  estate = buildAwsEstate({ instances: 1234, rdsInstances: 45, buckets: 7, loadBalancers: 5 });
  management = estate.aws.accounts[0];
  prod = estate.aws.accounts[1];
  server = new SandboxServer(estate, services);
  endpoint = await server.listen();
});

afterAll(async () => {
  await server?.close();
});

describe('EC2', () => {
  it('lists every default region and only the opt-in regions the account enabled, unless AllRegions is set', async () => {
    const dev = new EC2Client(config(keys(estate.aws.accounts[2]), 'ap-east-1'));
    const enabled = await dev.send(new DescribeRegionsCommand({}));
    expect(enabled.Regions?.map((r) => [r.RegionName, r.OptInStatus])).toEqual([
      ['us-east-1', 'opt-in-not-required'],
      ['us-west-2', 'opt-in-not-required'],
      ['eu-west-1', 'opt-in-not-required'],
      ['ap-east-1', 'opted-in'],
    ]);
    // A default region is enabled in an account that runs nothing there (prod has no us-west-2 resources).
    const prodRegions = await new EC2Client(config(keys(prod))).send(new DescribeRegionsCommand({}));
    expect(prodRegions.Regions?.map((r) => r.RegionName)).toEqual(['us-east-1', 'us-west-2', 'eu-west-1']);
    const all = await new EC2Client(config(keys(prod))).send(new DescribeRegionsCommand({ AllRegions: true }));
    expect(all.Regions?.map((r) => r.RegionName)).toEqual(estate.aws.allRegions);
    expect(all.Regions?.filter((r) => r.OptInStatus === 'not-opted-in').map((r) => r.RegionName)).toEqual(['ap-east-1']);
  });

  it('pages DescribeInstances by reservations with MaxResults and NextToken', async () => {
    const ec2 = new EC2Client(config(keys(management)));
    const first = await ec2.send(new DescribeInstancesCommand({ MaxResults: 500 }));
    expect(first.Reservations).toHaveLength(500);
    expect(first.Reservations![0].Instances).toHaveLength(2);
    expect(first.NextToken).toBeTruthy();
    const ids: string[] = [];
    let pages = 0;
    for await (const page of paginateDescribeInstances({ client: ec2, pageSize: 100 }, {})) {
      pages++;
      expect(page.Reservations!.length).toBeLessThanOrEqual(100);
      for (const reservation of page.Reservations ?? []) for (const instance of reservation.Instances ?? []) ids.push(instance.InstanceId!);
    }
    const expected = owned('aws.ec2.instance', management.id, 'us-east-1').map((r) => r.id);
    expect(ids).toEqual(expected);
    // 1,234 instances launched in pairs: 617 reservations, 7 pages of 100.
    expect(pages).toBe(7);
    const instance = first.Reservations![0].Instances![0];
    expect(instance.State?.Name).toBe('running');
    expect(instance.MetadataOptions?.HttpTokens).toBe('optional');
    expect(instance.SecurityGroups?.map((g) => g.GroupName)).toEqual(['web & admin', 'default']);
    expect(instance.BlockDeviceMappings?.[0].Ebs?.VolumeId).toMatch(/^vol-/);
    expect(instance.Tags?.find((t) => t.Key === 'Name')?.Value).toBe('management-app-0');
    expect(instance.LaunchTime).toBeInstanceOf(Date);
  });

  it('rejects MaxResults outside 5–1000 and with InstanceIds, as EC2 does', async () => {
    const ec2 = new EC2Client(config(keys(management)));
    expect(await failure(ec2.send(new DescribeInstancesCommand({ MaxResults: 4 })))).toMatchObject({
      name: 'InvalidParameterValue',
      status: 400,
    });
    expect(await failure(ec2.send(new DescribeInstancesCommand({ MaxResults: 1001 })))).toMatchObject({ name: 'InvalidParameterValue' });
    const id = owned('aws.ec2.instance', management.id, 'us-east-1')[0].id;
    expect(await failure(ec2.send(new DescribeInstancesCommand({ MaxResults: 5, InstanceIds: [id] })))).toMatchObject({
      name: 'InvalidParameterCombination',
    });
    expect(await failure(ec2.send(new DescribeInstancesCommand({ InstanceIds: ['i-00000000000000bad'] })))).toMatchObject({
      name: 'InvalidInstanceID.NotFound',
    });
    expect(await failure(ec2.send(new DescribeInstancesCommand({ NextToken: 'garbage' })))).toMatchObject({
      name: 'InvalidPaginationToken',
    });
  });

  it('filters instances by state and id', async () => {
    const ec2 = new EC2Client(config(keys(management)));
    const stopped = await ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: 'instance-state-name', Values: ['stopped'] }] }));
    const found = stopped.Reservations!.flatMap((r) => r.Instances!.map((i) => i.InstanceId));
    const expected = owned('aws.ec2.instance', management.id, 'us-east-1').filter(
      (r) => r.kind === 'aws.ec2.instance' && r.spec.state === 'stopped',
    );
    expect(found).toEqual(expected.map((r) => r.id));
    const byId = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [expected[0].id] }));
    expect(byId.Reservations![0].Instances![0].InstanceId).toBe(expected[0].id);
    expect(await failure(ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: 'no-such-filter', Values: ['x'] }] })))).toMatchObject({
      name: 'InvalidParameterValue',
    });
  });

  it('serves volumes, snapshots, security groups, addresses, VPCs and images of the caller only', async () => {
    const east = new EC2Client(config(keys(management)));
    const volumes = await east.send(new DescribeVolumesCommand({ MaxResults: 5 }));
    expect(volumes.Volumes).toHaveLength(5);
    const rest = await east.send(new DescribeVolumesCommand({ MaxResults: 5, NextToken: volumes.NextToken }));
    expect(rest.NextToken).toBeUndefined();
    const allVolumes = [...volumes.Volumes!, ...rest.Volumes!];
    expect(allVolumes.map((v) => v.VolumeId)).toEqual(owned('aws.ec2.volume', management.id, 'us-east-1').map((r) => r.id));
    expect(allVolumes[0].Attachments?.[0].InstanceId).toMatch(/^i-/);
    expect(allVolumes[1].Encrypted).toBe(false);
    const ec2 = new EC2Client(config(keys(management), 'eu-west-1'));

    const snapshots = await ec2.send(new DescribeSnapshotsCommand({ OwnerIds: ['self'], MaxResults: 1000 }));
    expect(snapshots.Snapshots?.map((s) => s.SnapshotId)).toEqual(owned('aws.ec2.snapshot', management.id, 'eu-west-1').map((r) => r.id));
    const groups = await ec2.send(new DescribeSecurityGroupsCommand({ MaxResults: 1000 }));
    const web = groups.SecurityGroups!.find((g) => g.GroupName === 'web & admin')!;
    expect(web.Description).toBe('HTTP <public> and SSH');
    expect(web.IpPermissions?.[0]).toMatchObject({
      IpProtocol: 'tcp',
      FromPort: 22,
      ToPort: 22,
      IpRanges: [{ CidrIp: '0.0.0.0/0' }],
      Ipv6Ranges: [{ CidrIpv6: '::/0' }],
    });
    expect(web.IpPermissions?.[2].UserIdGroupPairs?.[0].GroupId).toMatch(/^sg-/);
    const addresses = await ec2.send(new DescribeAddressesCommand({}));
    expect(addresses.Addresses).toHaveLength(2);
    expect(addresses.Addresses![0].InstanceId).toMatch(/^i-/);
    expect(addresses.Addresses![1].AssociationId).toBeUndefined();
    const vpcs = await ec2.send(new DescribeVpcsCommand({ MaxResults: 5 }));
    expect(vpcs.Vpcs?.map((v) => v.IsDefault)).toEqual([true, false]);
    const images = await ec2.send(new DescribeImagesCommand({ Owners: ['self'], MaxResults: 1000 }));
    expect(images.Images?.map((i) => [i.ImageId, i.Public])).toEqual(
      owned('aws.ec2.image', management.id, 'eu-west-1').map((r) => [r.id, false]),
    );
  });

  it('tells public snapshots apart with RestorableByUserIds=all and DescribeSnapshotAttribute', async () => {
    const ec2 = new EC2Client(config(keys(management)));
    const mine = owned('aws.ec2.snapshot', management.id, 'us-east-1');
    const publicOnes = await ec2.send(
      new DescribeSnapshotsCommand({ OwnerIds: ['self'], RestorableByUserIds: ['all'], SnapshotIds: mine.map((r) => r.id) }),
    );
    expect(publicOnes.Snapshots?.map((s) => s.SnapshotId)).toEqual(
      mine.filter((r) => r.kind === 'aws.ec2.snapshot' && r.spec.public).map((r) => r.id),
    );
    const attribute = await ec2.send(new DescribeSnapshotAttributeCommand({ SnapshotId: mine[0].id, Attribute: 'createVolumePermission' }));
    expect(attribute.CreateVolumePermissions).toEqual([{ Group: 'all' }]);
    const privateOne = await ec2.send(
      new DescribeSnapshotAttributeCommand({ SnapshotId: mine[1].id, Attribute: 'createVolumePermission' }),
    );
    expect(privateOne.CreateVolumePermissions ?? []).toEqual([]);
  });

  it('answers unknown keys with AuthFailure and an opt-in region the account has not enabled with OptInRequired', async () => {
    const stranger = new EC2Client(config({ accessKeyId: 'AKIANOBODY', secretAccessKey: 'x' }));
    expect(await failure(stranger.send(new DescribeRegionsCommand({})))).toMatchObject({ name: 'AuthFailure', status: 401 });
    const prodInHongKong = new EC2Client(config(keys(prod), 'ap-east-1'));
    expect(await failure(prodInHongKong.send(new DescribeInstancesCommand({})))).toMatchObject({ name: 'OptInRequired' });
    const rdsInHongKong = new RDSClient(config(keys(prod), 'ap-east-1'));
    expect(await failure(rdsInHongKong.send(new DescribeDBInstancesCommand({})))).toMatchObject({ name: 'OptInRequired' });
    // A default region needs no opting in, even where the account runs nothing.
    const devInIreland = new EC2Client(config(keys(estate.aws.accounts[2]), 'eu-west-1'));
    expect((await devInIreland.send(new DescribeInstancesCommand({}))).Reservations).toEqual([]);
  });

  it('answers injected faults in EC2 shapes', async () => {
    const ec2 = services.find((s) => s.name === 'aws.ec2')!;
    server.intercept((req, service) => (req.aws?.region === 'us-west-2' ? service.faultResponse(req, 'throttle') : undefined));
    try {
      const client = new EC2Client(config(keys(management), 'us-west-2'));
      expect(await failure(client.send(new DescribeInstancesCommand({})))).toMatchObject({ name: 'RequestLimitExceeded', status: 503 });
      server.intercept((req, service) => (req.aws?.region === 'us-west-2' ? service.faultResponse(req, 'server-error') : undefined));
      expect(await failure(client.send(new DescribeInstancesCommand({})))).toMatchObject({ name: 'InternalError', status: 500 });
    } finally {
      server.intercept(() => undefined);
    }
    expect(ec2.faultResponse({} as never, 'outage').status).toBe(503);
  });
});

describe('STS and Organizations', () => {
  it('identifies the caller and assumes the organization role into a member account', async () => {
    const sts = new STSClient(config(keys(management)));
    const me = await sts.send(new GetCallerIdentityCommand({}));
    expect(me.Account).toBe(management.id);
    const assumed = await sts.send(
      new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${prod.id}:role/${estate.aws.organizationRole}`, RoleSessionName: 'guardian' }),
    );
    const credentials = {
      accessKeyId: assumed.Credentials!.AccessKeyId!,
      secretAccessKey: assumed.Credentials!.SecretAccessKey!,
      sessionToken: assumed.Credentials!.SessionToken!,
    };
    expect(assumed.Credentials?.Expiration).toBeInstanceOf(Date);
    const who = await new STSClient(config(credentials)).send(new GetCallerIdentityCommand({}));
    expect(who.Account).toBe(prod.id);
    expect(who.Arn).toBe(`arn:aws:sts::${prod.id}:assumed-role/${estate.aws.organizationRole}/guardian`);
    // The temporary keys see the member account's resources.
    const instances = await new EC2Client(config(credentials)).send(new DescribeInstancesCommand({}));
    const ids = instances.Reservations!.flatMap((r) => r.Instances!.map((i) => i.InstanceId));
    expect(ids).toEqual(owned('aws.ec2.instance', prod.id, 'us-east-1').map((r) => r.id));
    // Without the session token the keys are refused.
    const tokenless = new STSClient(config({ accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey }));
    expect(await failure(tokenless.send(new GetCallerIdentityCommand({})))).toMatchObject({ name: 'InvalidClientTokenId' });
  });

  it('denies AssumeRole for another role name, an unknown account or a member caller', async () => {
    const sts = new STSClient(config(keys(management)));
    expect(
      await failure(sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${prod.id}:role/Other`, RoleSessionName: 'g1' }))),
    ).toMatchObject({
      name: 'AccessDenied',
      status: 403,
    });
    expect(
      await failure(
        sts.send(
          new AssumeRoleCommand({ RoleArn: `arn:aws:iam::999999999999:role/${estate.aws.organizationRole}`, RoleSessionName: 'g1' }),
        ),
      ),
    ).toMatchObject({ name: 'AccessDenied' });
    const member = new STSClient(config(keys(prod)));
    expect(
      await failure(
        member.send(
          new AssumeRoleCommand({
            RoleArn: `arn:aws:iam::${estate.aws.accounts[2].id}:role/${estate.aws.organizationRole}`,
            RoleSessionName: 'g1',
          }),
        ),
      ),
    ).toMatchObject({ name: 'AccessDenied' });
    const stranger = new STSClient(config({ accessKeyId: 'AKIANOBODY', secretAccessKey: 'x' }));
    expect(await failure(stranger.send(new GetCallerIdentityCommand({})))).toMatchObject({ name: 'InvalidClientTokenId', status: 403 });
  });

  it('lists the organization accounts page by page from the management account only', async () => {
    const orgs = new OrganizationsClient(config(keys(management)));
    const first = await orgs.send(new ListAccountsCommand({ MaxResults: 2 }));
    expect(first.Accounts?.map((a) => a.Id)).toEqual([management.id, prod.id]);
    const second = await orgs.send(new ListAccountsCommand({ MaxResults: 2, NextToken: first.NextToken }));
    expect(second.Accounts?.map((a) => a.Id)).toEqual([estate.aws.accounts[2].id]);
    expect(second.NextToken).toBeUndefined();
    expect(first.Accounts?.[0].JoinedTimestamp).toBeInstanceOf(Date);
    expect(await failure(orgs.send(new ListAccountsCommand({ MaxResults: 21 })))).toMatchObject({ name: 'InvalidInputException' });
    const member = new OrganizationsClient(config(keys(prod)));
    expect(await failure(member.send(new ListAccountsCommand({})))).toMatchObject({ name: 'AccessDeniedException', status: 400 });
    const stranger = new OrganizationsClient(config({ accessKeyId: 'AKIANOBODY', secretAccessKey: 'x' }));
    expect(await failure(stranger.send(new ListAccountsCommand({})))).toMatchObject({ name: 'UnrecognizedClientException' });
  });
});

describe('RDS and ELBv2', () => {
  it('pages DescribeDBInstances with Marker and validates MaxRecords 20–100', async () => {
    const rds = new RDSClient(config(keys(management)));
    const first = await rds.send(new DescribeDBInstancesCommand({ MaxRecords: 20 }));
    expect(first.DBInstances).toHaveLength(20);
    const second = await rds.send(new DescribeDBInstancesCommand({ MaxRecords: 20, Marker: first.Marker }));
    const third = await rds.send(new DescribeDBInstancesCommand({ MaxRecords: 20, Marker: second.Marker }));
    expect(third.DBInstances).toHaveLength(5);
    expect(third.Marker).toBeUndefined();
    const db = first.DBInstances![0];
    expect(db).toMatchObject({
      PubliclyAccessible: true,
      StorageEncrypted: false,
      Engine: 'postgres',
      BackupRetentionPeriod: 7,
      MultiAZ: false,
    });
    expect(db.VpcSecurityGroups?.[0].VpcSecurityGroupId).toMatch(/^sg-/);
    expect(db.TagList).toEqual([{ Key: 'env', Value: 'prod' }]);
    expect(db.DBInstanceArn).toBe(owned('aws.rds.instance', management.id, 'us-east-1')[0].id);
    expect(await failure(rds.send(new DescribeDBInstancesCommand({ MaxRecords: 10 })))).toMatchObject({
      name: 'InvalidParameterValue',
      status: 400,
    });
    const stranger = new RDSClient(config({ accessKeyId: 'AKIANOBODY', secretAccessKey: 'x' }));
    expect(await failure(stranger.send(new DescribeDBInstancesCommand({})))).toMatchObject({ name: 'InvalidClientTokenId' });
  });

  it('pages load balancers and lists each one’s listeners and tags', async () => {
    const elb = new ElasticLoadBalancingV2Client(config(keys(management)));
    const first = await elb.send(new DescribeLoadBalancersCommand({ PageSize: 3 }));
    const second = await elb.send(new DescribeLoadBalancersCommand({ PageSize: 3, Marker: first.NextMarker }));
    expect(second.NextMarker).toBeUndefined();
    const all = [...first.LoadBalancers!, ...second.LoadBalancers!];
    expect(all.map((lb) => lb.LoadBalancerArn)).toEqual(owned('aws.elbv2.load-balancer', management.id, 'us-east-1').map((r) => r.id));
    expect(all[0]).toMatchObject({ Scheme: 'internet-facing', Type: 'application', State: { Code: 'active' } });
    const listeners = await elb.send(new DescribeListenersCommand({ LoadBalancerArn: all[0].LoadBalancerArn }));
    expect(listeners.Listeners?.map((l) => [l.Protocol, l.Port, l.SslPolicy])).toEqual([
      ['HTTP', 80, undefined],
      ['HTTPS', 443, 'ELBSecurityPolicy-2016-08'],
    ]);
    const tags = await elb.send(new DescribeTagsCommand({ ResourceArns: all.map((lb) => lb.LoadBalancerArn!) }));
    expect(tags.TagDescriptions?.[0].Tags).toEqual([{ Key: 'team', Value: 'web' }]);
    expect(await failure(elb.send(new DescribeLoadBalancersCommand({ PageSize: 401 })))).toMatchObject({ name: 'ValidationError' });
    expect(
      await failure(
        elb.send(new DescribeListenersCommand({ LoadBalancerArn: 'arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/app/x/y' })),
      ),
    ).toMatchObject({
      name: 'LoadBalancerNotFoundException',
    });
  });
});

describe('S3', () => {
  it('pages ListBuckets with max-buckets and a continuation token, giving each bucket region', async () => {
    const s3 = new S3Client(config(keys(management)));
    const names: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await s3.send(new ListBucketsCommand({ MaxBuckets: 3, ContinuationToken: token }));
      pages++;
      for (const bucket of page.Buckets ?? []) names.push(bucket.Name!);
      token = page.ContinuationToken;
      expect(page.Buckets?.[0].BucketRegion).toMatch(/^(us-east-1|eu-west-1)$/);
    } while (token);
    expect(pages).toBe(3);
    expect(names).toEqual(
      owned('aws.s3.bucket', management.id)
        .map((r) => r.name)
        .sort(),
    );
  });

  it('reads each bucket’s location, encryption, public access block, versioning and tags', async () => {
    const buckets = owned('aws.s3.bucket', management.id).filter((r) => r.kind === 'aws.s3.bucket');
    const client = (region: string) => new S3Client(config(keys(management), region));
    const [b0, b1] = buckets;
    expect((await client('us-east-1').send(new GetBucketLocationCommand({ Bucket: b1.name }))).LocationConstraint).toBe('eu-west-1');
    expect((await client('us-east-1').send(new GetBucketLocationCommand({ Bucket: b0.name }))).LocationConstraint ?? '').toBe('');
    const enc = await client(b0.region).send(new GetBucketEncryptionCommand({ Bucket: b0.name }));
    expect(enc.ServerSideEncryptionConfiguration?.Rules?.[0].ApplyServerSideEncryptionByDefault?.SSEAlgorithm).toBe('AES256');
    expect(await failure(client(b1.region).send(new GetBucketEncryptionCommand({ Bucket: b1.name })))).toMatchObject({
      name: 'ServerSideEncryptionConfigurationNotFoundError',
      status: 404,
    });
    expect(await failure(client(b0.region).send(new GetPublicAccessBlockCommand({ Bucket: b0.name })))).toMatchObject({
      name: 'NoSuchPublicAccessBlockConfiguration',
      status: 404,
    });
    const block = await client(b1.region).send(new GetPublicAccessBlockCommand({ Bucket: b1.name }));
    expect(block.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      IgnorePublicAcls: true,
      BlockPublicPolicy: true,
      RestrictPublicBuckets: true,
    });
    expect((await client(b0.region).send(new GetBucketVersioningCommand({ Bucket: b0.name }))).Status).toBe('Enabled');
    expect((await client(b1.region).send(new GetBucketVersioningCommand({ Bucket: b1.name }))).Status).toBeUndefined();
    expect((await client(b0.region).send(new GetBucketTaggingCommand({ Bucket: b0.name }))).TagSet).toEqual([
      { Key: 'team', Value: 'data' },
      { Key: 'cost-center', Value: 'cc-1' },
    ]);
    expect(await failure(client(b1.region).send(new GetBucketTaggingCommand({ Bucket: b1.name })))).toMatchObject({ name: 'NoSuchTagSet' });
    // Signed for the wrong region, as S3 answers it.
    expect(await failure(client('us-east-1').send(new GetBucketVersioningCommand({ Bucket: b1.name })))).toMatchObject({
      name: 'AuthorizationHeaderMalformed',
      status: 400,
    });
    expect(await failure(client('us-east-1').send(new GetBucketVersioningCommand({ Bucket: 'nobody-has-this' })))).toMatchObject({
      name: 'NoSuchBucket',
      status: 404,
    });
    const stranger = new S3Client(config({ accessKeyId: 'AKIANOBODY', secretAccessKey: 'x' }));
    expect(await failure(stranger.send(new ListBucketsCommand({})))).toMatchObject({ name: 'InvalidAccessKeyId', status: 403 });
  });
});

/** A request signed by the SDK's own signer and sent by fetch, so a test can alter it after signing. */
async function signedFetch(
  credentials: Credentials,
  request: { service: string; region?: string; method?: string; path?: string; headers?: Record<string, string>; body?: string },
  alter: (signed: { headers: Record<string, string>; body?: string }) => void = () => {},
): Promise<{ status: number; body: string; contentType: string }> {
  const url = new URL(endpoint);
  const [path, search] = (request.path ?? '/').split('?');
  const query = Object.fromEntries(new URLSearchParams(search ?? ''));
  const signer = new SignatureV4({
    credentials,
    region: request.region ?? 'us-east-1',
    service: request.service,
    sha256: Sha256,
    uriEscapePath: request.service !== 's3',
    // Only S3 clients send x-amz-content-sha256; elsewhere the sandbox hashes the body itself.
    applyChecksum: request.service === 's3',
  });
  const signed = await signer.sign({
    method: request.method ?? 'POST',
    protocol: url.protocol,
    hostname: url.hostname,
    port: Number(url.port),
    path,
    query,
    headers: { host: url.host, ...request.headers },
    body: request.body,
  });
  const sent = { headers: signed.headers as Record<string, string>, body: request.body };
  alter(sent);
  const { host: _host, ...headers } = sent.headers;
  const response = await fetch(`${endpoint}${request.path ?? '/'}`, { method: request.method ?? 'POST', headers, body: sent.body });
  return { status: response.status, body: await response.text(), contentType: response.headers.get('content-type') ?? '' };
}

const FORM = { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' };

const wrong = (account: AwsAccount): Credentials => ({ accessKeyId: account.accessKeyId, secretAccessKey: `${account.secretAccessKey}x` });

/** The headers (Authorization included) the SDK's signer gives a GET for S3. */
async function signedHeaders(region: string, path: string, query: Record<string, string>): Promise<Record<string, string>> {
  const url = new URL(endpoint);
  const signer = new SignatureV4({ credentials: keys(management), region, service: 's3', sha256: Sha256, uriEscapePath: false });
  const signed = await signer.sign({
    method: 'GET',
    protocol: url.protocol,
    hostname: url.hostname,
    port: Number(url.port),
    path,
    query,
    headers: { host: url.host, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
  });
  return signed.headers as Record<string, string>;
}

describe('SigV4 signatures', () => {
  it('refuses the right key id with a wrong secret in every protocol, as AWS does', async () => {
    expect(await failure(new STSClient(config(wrong(management))).send(new GetCallerIdentityCommand({})))).toMatchObject({
      name: 'SignatureDoesNotMatch',
      status: 403,
    });
    // EC2 answers a bad signature as it answers a bad key.
    expect(await failure(new EC2Client(config(wrong(management))).send(new DescribeRegionsCommand({})))).toMatchObject({
      name: 'AuthFailure',
      status: 401,
    });
    expect(await failure(new RDSClient(config(wrong(management))).send(new DescribeDBInstancesCommand({})))).toMatchObject({
      name: 'SignatureDoesNotMatch',
      status: 403,
    });
    expect(
      await failure(new ElasticLoadBalancingV2Client(config(wrong(management))).send(new DescribeLoadBalancersCommand({}))),
    ).toMatchObject({ name: 'SignatureDoesNotMatch', status: 403 });
    expect(await failure(new OrganizationsClient(config(wrong(management))).send(new ListAccountsCommand({})))).toMatchObject({
      name: 'InvalidSignatureException',
      status: 400,
    });
    expect(await failure(new S3Client(config(wrong(management))).send(new ListBucketsCommand({})))).toMatchObject({
      name: 'SignatureDoesNotMatch',
      status: 403,
    });
  });

  it('checks temporary credentials against the secret STS issued with them', async () => {
    const assumed = await new STSClient(config(keys(management))).send(
      new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${prod.id}:role/${estate.aws.organizationRole}`, RoleSessionName: 'sig' }),
    );
    const issued = {
      accessKeyId: assumed.Credentials!.AccessKeyId!,
      secretAccessKey: assumed.Credentials!.SecretAccessKey!,
      sessionToken: assumed.Credentials!.SessionToken!,
    };
    expect((await new STSClient(config(issued)).send(new GetCallerIdentityCommand({}))).Account).toBe(prod.id);
    const forged = { ...issued, secretAccessKey: management.secretAccessKey };
    expect(await failure(new STSClient(config(forged)).send(new GetCallerIdentityCommand({})))).toMatchObject({
      name: 'SignatureDoesNotMatch',
    });
  });

  it('covers the body, the query and the signed headers', async () => {
    const body = 'Action=GetCallerIdentity&Version=2011-06-15';
    const ok = await signedFetch(keys(management), { service: 'sts', headers: FORM, body });
    expect(ok.status).toBe(200);
    expect(ok.body).toContain(`<Account>${management.id}</Account>`);
    const tamperedBody = await signedFetch(keys(management), { service: 'sts', headers: FORM, body }, (signed) => {
      signed.body = 'Action=GetCallerIdentity&Version=2011-06-15&x=1';
    });
    expect(tamperedBody.status).toBe(403);
    expect(tamperedBody.body).toContain('<Code>SignatureDoesNotMatch</Code>');
    const tamperedHeader = await signedFetch(keys(management), { service: 'sts', headers: FORM, body }, (signed) => {
      signed.headers['x-amz-date'] = '20200101T000000Z';
    });
    expect(tamperedHeader.status).toBe(403);
    const bucket = estate.resources.find((r) => r.kind === 'aws.s3.bucket' && r.account === management.id)!;
    const signedQuery = await signedFetch(keys(management), {
      service: 's3',
      region: bucket.region,
      method: 'GET',
      path: `/${bucket.name}?versioning`,
    });
    expect(signedQuery.status).toBe(200);
    // The same signature sent for another sub-resource of the bucket no longer matches.
    const otherQuery = await fetch(`${endpoint}/${bucket.name}?tagging`, {
      headers: Object.fromEntries(
        Object.entries(await signedHeaders(bucket.region, `/${bucket.name}`, { versioning: '' })).filter(([k]) => k !== 'host'),
      ),
    });
    expect(otherQuery.status).toBe(403);
    expect(await otherQuery.text()).toContain('<Code>SignatureDoesNotMatch</Code>');
  });

  it('refuses a signature dated more than 15 minutes away, as AWS does', async () => {
    const stale = new Date(Date.now() - 20 * 60_000);
    const old = <C extends { config: { systemClockOffset?: number } }>(client: C): C => {
      client.config.systemClockOffset = stale.getTime() - Date.now();
      return client;
    };
    expect(await failure(old(new STSClient(config(keys(management)))).send(new GetCallerIdentityCommand({})))).toMatchObject({
      name: 'SignatureDoesNotMatch',
      message: expect.stringContaining('Signature expired'),
    });
    expect(await failure(old(new EC2Client(config(keys(management)))).send(new DescribeRegionsCommand({})))).toMatchObject({
      name: 'RequestExpired',
    });
  });

  it('verifies the streaming (aws-chunked) upload the SDK sends: the signature holds, S3 then refuses the write', async () => {
    const bucket = estate.resources.find((r) => r.kind === 'aws.s3.bucket' && r.account === management.id)!;
    const sent: (string | undefined)[] = [];
    server.intercept((req) => {
      if (req.method === 'PUT') sent.push(req.headers['x-amz-content-sha256']);
      return undefined;
    });
    // A string body is sent with its SHA-256; a stream goes aws-chunked with STREAMING-UNSIGNED-PAYLOAD-TRAILER.
    const put = (credentials: Credentials, stream: boolean) =>
      new S3Client(config(credentials, bucket.region)).send(
        new PutObjectCommand({
          Bucket: bucket.name,
          Key: 'k',
          Body: stream ? Readable.from([Buffer.from('hello')]) : 'hello',
          ContentLength: 5,
        }),
      );
    try {
      for (const stream of [false, true]) {
        expect(await failure(put(keys(management), stream))).toMatchObject({ name: 'MethodNotAllowed', status: 405 });
        expect(await failure(put(wrong(management), stream))).toMatchObject({ name: 'SignatureDoesNotMatch', status: 403 });
      }
    } finally {
      server.intercept(() => undefined);
    }
    expect(sent[0]).toMatch(/^[0-9a-f]{64}$/);
    expect(sent[1]).toBe('STREAMING-UNSIGNED-PAYLOAD-TRAILER');
  });

  it('accepts S3’s unsigned payload and refuses a declared payload hash that does not match the body', async () => {
    const unsigned = await signedFetch(keys(management), {
      service: 's3',
      method: 'GET',
      path: '/',
      headers: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
    });
    expect(unsigned.status).toBe(200);
    expect(unsigned.body).toContain('<ListAllMyBucketsResult');
    const mismatched = await signedFetch(keys(management), {
      service: 's3',
      method: 'GET',
      path: '/',
      headers: { 'x-amz-content-sha256': 'a'.repeat(64) },
    });
    expect(mismatched.status).toBe(400);
    expect(mismatched.body).toContain('<Code>XAmzContentSHA256Mismatch</Code>');
  });
});

describe('requests for services the sandbox does not serve', () => {
  it('answers a query-protocol action with InvalidAction in the query error document', async () => {
    const answer = await signedFetch(keys(management), { service: 'sqs', headers: FORM, body: 'Action=ListQueues&Version=2012-11-05' });
    expect(answer.status).toBe(400);
    expect(answer.contentType).toContain('xml');
    expect(answer.body).toMatch(/<ErrorResponse[^>]*><Error><Type>Sender<\/Type><Code>InvalidAction<\/Code>/);
  });

  it('answers a JSON-protocol operation with UnknownOperationException', async () => {
    const answer = await signedFetch(keys(management), {
      service: 'dynamodb',
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'DynamoDB_20120810.ListTables' },
      body: '{}',
    });
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body)).toMatchObject({ __type: 'UnknownOperationException' });
  });

  it('still checks the signature first on a served service', async () => {
    const answer = await signedFetch(wrong(management), {
      service: 'sts',
      headers: FORM,
      body: 'Action=GetCallerIdentity&Version=2011-06-15',
    });
    expect(answer.status).toBe(403);
  });
});
