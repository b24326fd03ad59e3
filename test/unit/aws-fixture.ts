// A small hand-built AWS estate for the AWS sandbox and provider tests: three accounts (one
// management, two members), two regions each, every AWS kind with consistent relationships, and
// sizes that force several pages where the tests ask for them.

import type {
  Ami,
  AwsAccount,
  EbsSnapshot,
  EbsVolume,
  Ec2Instance,
  ElasticIp,
  Estate,
  EstateResource,
  LoadBalancer,
  RdsInstance,
  S3Bucket,
  SecurityGroup,
  Vpc,
} from '../../src/sandbox/estate/types.js';

export interface AwsFixtureOptions {
  /** Instances in the management account's first region (the others get a few). */
  instances?: number;
  rdsInstances?: number;
  buckets?: number;
  loadBalancers?: number;
}

const hex = (n: number, width = 17) => n.toString(16).padStart(width, '0');

export function buildAwsEstate(options: AwsFixtureOptions = {}): Estate {
  const accounts: AwsAccount[] = [
    {
      id: '111111111111',
      name: 'management',
      regions: ['us-east-1', 'eu-west-1'],
      accessKeyId: 'AKIAMANAGEMENT000001',
      secretAccessKey: 'management-secret',
      management: true,
    },
    {
      id: '222222222222',
      name: 'prod',
      regions: ['us-east-1', 'eu-west-1'],
      accessKeyId: 'AKIAPROD000000000002',
      secretAccessKey: 'prod-secret',
      management: false,
    },
    {
      id: '333333333333',
      name: 'dev',
      regions: ['us-east-1', 'ap-east-1'],
      accessKeyId: 'AKIADEV0000000000003',
      secretAccessKey: 'dev-secret',
      management: false,
    },
  ];
  const resources: EstateResource[] = [];
  let serial = 1;
  const next = () => serial++;
  const createdAt = (n: number) => new Date(Date.UTC(2025, 0, 1) + n * 3_600_000).toISOString().replace('.000Z', 'Z');

  for (const account of accounts) {
    for (const region of account.regions) {
      const big = account.management && region === account.regions[0];
      const base = { account: account.id, region, planted: [] as never[] };
      const vpcId = `vpc-${hex(next())}`;
      const vpc: Vpc = {
        ...base,
        kind: 'aws.ec2.vpc',
        id: vpcId,
        name: `${account.name}-default`,
        createdAt: createdAt(0),
        tags: {},
        spec: { cidr: '172.31.0.0/16', isDefault: true, state: 'available' },
      };
      const vpc2Id = `vpc-${hex(next())}`;
      const vpc2: Vpc = {
        ...base,
        kind: 'aws.ec2.vpc',
        id: vpc2Id,
        name: `${account.name}-main`,
        createdAt: createdAt(1),
        tags: { env: 'prod', Name: `${account.name}-main` },
        spec: { cidr: '10.0.0.0/16', isDefault: false, state: 'available' },
      };
      resources.push(vpc, vpc2);
      const defaultSg: SecurityGroup = {
        ...base,
        kind: 'aws.ec2.security-group',
        id: `sg-${hex(next())}`,
        name: 'default',
        createdAt: createdAt(1),
        tags: {},
        spec: { groupName: 'default', description: 'default VPC security group', vpcId: vpc2Id, isDefault: true, ingress: [] },
      };
      const webSg: SecurityGroup = {
        ...base,
        kind: 'aws.ec2.security-group',
        id: `sg-${hex(next())}`,
        name: 'web & admin',
        createdAt: createdAt(2),
        tags: { team: 'web' },
        planted: ['sg-open-admin-port'],
        spec: {
          groupName: 'web & admin',
          description: 'HTTP <public> and SSH',
          vpcId: vpc2Id,
          isDefault: false,
          ingress: [
            { protocol: 'tcp', fromPort: 22, toPort: 22, cidrs: ['0.0.0.0/0'], ipv6Cidrs: ['::/0'], groups: [] },
            { protocol: 'tcp', fromPort: 80, toPort: 443, cidrs: ['10.0.0.0/8', '192.168.0.0/16'], ipv6Cidrs: [], groups: [] },
            { protocol: '-1', cidrs: [], ipv6Cidrs: [], groups: [] },
          ],
        },
      };
      webSg.spec.ingress[2].groups.push(defaultSg.id);
      resources.push(defaultSg, webSg);
      const image: Ami = {
        ...base,
        kind: 'aws.ec2.image',
        id: `ami-${hex(next())}`,
        name: `${account.name}-golden-${region}`,
        createdAt: createdAt(3),
        tags: { team: 'platform' },
        planted: account.name === 'dev' ? ['ami-public'] : [],
        spec: { public: account.name === 'dev', state: 'available', architecture: 'x86_64' },
      };
      resources.push(image);

      const instanceCount = big ? (options.instances ?? 12) : 3;
      const instances: Ec2Instance[] = [];
      for (let i = 0; i < instanceCount; i++) {
        const n = next();
        const instance: Ec2Instance = {
          ...base,
          kind: 'aws.ec2.instance',
          id: `i-${hex(n)}`,
          name: `${account.name}-app-${i}`,
          // Pairs launched together share a reservation.
          createdAt: createdAt(10 + Math.floor(i / 2)),
          tags: i % 3 === 0 ? { env: 'prod', team: 'web', owner: 'alice' } : { env: 'dev' },
          planted: i % 4 === 0 ? ['imdsv1'] : [],
          spec: {
            instanceType: i % 5 === 0 ? 'm4.large' : 't3.micro',
            state: i % 7 === 6 ? 'stopped' : 'running',
            imageId: image.id,
            vpcId: vpc2Id,
            subnetId: `subnet-${hex(n, 8)}`,
            privateIp: `10.0.${Math.floor(i / 250)}.${(i % 250) + 4}`,
            publicIp: i % 3 === 0 ? `54.1.${Math.floor(i / 250)}.${(i % 250) + 1}` : undefined,
            securityGroupIds: i % 2 === 0 ? [webSg.id, defaultSg.id] : [defaultSg.id],
            volumeIds: [],
            httpTokens: i % 4 === 0 ? 'optional' : 'required',
            keyName: i % 2 === 0 ? 'ops' : undefined,
            metricProfile: 'normal',
          },
        };
        instances.push(instance);
        resources.push(instance);
      }
      // A root volume for a few instances, plus one unattached volume; a snapshot of each volume.
      const volumes: EbsVolume[] = [];
      for (const [i, instance] of instances.slice(0, 5).entries()) {
        const volume: EbsVolume = {
          ...base,
          kind: 'aws.ec2.volume',
          id: `vol-${hex(next())}`,
          name: `${instance.name}-root`,
          createdAt: instance.createdAt,
          tags: { env: 'prod' },
          planted: i === 1 ? ['ebs-unencrypted'] : [],
          spec: {
            sizeGb: 8 + i,
            volumeType: i === 2 ? 'gp2' : 'gp3',
            encrypted: i !== 1,
            kmsKeyId: i !== 1 ? `arn:aws:kms:${region}:${account.id}:key/abc` : undefined,
            state: 'in-use',
            attachedInstanceId: instance.id,
            device: '/dev/xvda',
            availabilityZone: `${region}b`,
          },
        };
        instance.spec.volumeIds.push(volume.id);
        volumes.push(volume);
      }
      volumes.push({
        ...base,
        kind: 'aws.ec2.volume',
        id: `vol-${hex(next())}`,
        name: 'orphan',
        createdAt: createdAt(5),
        tags: {},
        planted: ['volume-unattached'],
        spec: { sizeGb: 100, volumeType: 'st1', encrypted: true, state: 'available', availabilityZone: `${region}a` },
      });
      resources.push(...volumes);
      for (const [i, volume] of volumes.entries()) {
        const snapshot: EbsSnapshot = {
          ...base,
          kind: 'aws.ec2.snapshot',
          id: `snap-${hex(next())}`,
          name: `${volume.name}-backup`,
          createdAt: createdAt(20 + i),
          tags: { backup: 'daily' },
          planted: i === 0 ? ['snapshot-public'] : [],
          spec: {
            volumeId: volume.id,
            sizeGb: volume.spec.sizeGb,
            encrypted: volume.spec.encrypted,
            public: i === 0,
            description: `backup of ${volume.id}`,
            state: 'completed',
          },
        };
        resources.push(snapshot);
      }
      const address: ElasticIp = {
        ...base,
        kind: 'aws.ec2.address',
        id: `eipalloc-${hex(next())}`,
        name: 'web-eip',
        createdAt: createdAt(6),
        tags: {},
        spec: {
          publicIp: `3.3.${serial % 250}.1`,
          allocationId: '',
          associationId: `eipassoc-${hex(serial)}`,
          instanceId: instances[0].id,
          privateIp: instances[0].spec.privateIp,
        },
      };
      address.spec.allocationId = address.id;
      const spare: ElasticIp = {
        ...base,
        kind: 'aws.ec2.address',
        id: `eipalloc-${hex(next())}`,
        name: 'spare-eip',
        createdAt: createdAt(7),
        tags: { team: 'ops' },
        planted: ['address-unassociated'],
        spec: { publicIp: `3.4.${serial % 250}.2`, allocationId: '' },
      };
      spare.spec.allocationId = spare.id;
      resources.push(address, spare);

      const rdsCount = big ? (options.rdsInstances ?? 3) : 1;
      for (let i = 0; i < rdsCount; i++) {
        const identifier = `${account.name}-db-${region}-${i}`;
        const db: RdsInstance = {
          ...base,
          kind: 'aws.rds.instance',
          id: `arn:aws:rds:${region}:${account.id}:db:${identifier}`,
          name: identifier,
          createdAt: createdAt(30 + i),
          tags: { env: i % 2 ? 'dev' : 'prod' },
          planted: i === 0 ? ['rds-public', 'rds-unencrypted'] : [],
          spec: {
            identifier,
            instanceClass: 'db.m5.large',
            engine: i % 2 ? 'mysql' : 'postgres',
            engineVersion: '16.3',
            status: 'available',
            storageGb: 100,
            storageType: 'gp3',
            storageEncrypted: i !== 0,
            publiclyAccessible: i === 0,
            backupRetentionDays: i === 1 ? 0 : 7,
            deletionProtection: i === 2,
            multiAz: i === 2,
            vpcSecurityGroupIds: [defaultSg.id],
            endpoint: `${identifier}.abc.${region}.rds.amazonaws.com`,
            metricProfile: 'idle',
          },
        };
        resources.push(db);
      }

      const lbCount = big ? (options.loadBalancers ?? 2) : 1;
      for (let i = 0; i < lbCount; i++) {
        const name = `${account.name}-lb-${i}`;
        const id = `arn:aws:elasticloadbalancing:${region}:${account.id}:loadbalancer/app/${name}/${hex(next(), 16)}`;
        const lb: LoadBalancer = {
          ...base,
          kind: 'aws.elbv2.load-balancer',
          id,
          name,
          createdAt: createdAt(40 + i),
          tags: i === 0 ? { team: 'web' } : {},
          planted: i === 0 ? ['elb-http-listener'] : [],
          spec: {
            type: i % 2 ? 'network' : 'application',
            scheme: i === 0 ? 'internet-facing' : 'internal',
            dnsName: `${name}-123.${region}.elb.amazonaws.com`,
            vpcId: vpc2Id,
            state: 'active',
            metricProfile: 'normal',
            securityGroupIds: i % 2 ? [] : [webSg.id],
            listeners:
              i % 2
                ? [
                    {
                      arn: `${id.replace(':loadbalancer/', ':listener/')}/l1`,
                      protocol: 'TLS',
                      port: 443,
                      sslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
                    },
                  ]
                : [
                    { arn: `${id.replace(':loadbalancer/', ':listener/')}/l1`, protocol: 'HTTP', port: 80 },
                    {
                      arn: `${id.replace(':loadbalancer/', ':listener/')}/l2`,
                      protocol: 'HTTPS',
                      port: 443,
                      sslPolicy: 'ELBSecurityPolicy-2016-08',
                    },
                  ],
          },
        };
        resources.push(lb);
      }
    }
    // Buckets: spread over the account's regions.
    const bucketCount = account.management ? (options.buckets ?? 4) : 2;
    for (let i = 0; i < bucketCount; i++) {
      const region = account.regions[i % account.regions.length];
      const name = `${account.name}-bucket-${String(i).padStart(4, '0')}`;
      const bucket: S3Bucket = {
        kind: 'aws.s3.bucket',
        id: `arn:aws:s3:::${name}`,
        name,
        account: account.id,
        region,
        createdAt: createdAt(50 + i),
        tags: i % 2 ? {} : { team: 'data', 'cost-center': 'cc-1' },
        planted: i % 3 === 0 ? ['s3-no-public-access-block'] : [],
        spec: {
          publicAccessBlock:
            i % 3 === 0
              ? undefined
              : { blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: true, restrictPublicBuckets: true },
          encryption: i % 4 === 1 ? undefined : i % 2 ? 'aws:kms' : 'AES256',
          versioning: i % 2 === 0,
        },
      };
      resources.push(bucket);
    }
  }
  return {
    seed: 1,
    size: resources.length,
    now: '2026-01-01T00:00:00.000Z',
    aws: { accounts, organizationRole: 'OrganizationAccountAccessRole', allRegions: ['us-east-1', 'us-west-2', 'eu-west-1', 'ap-east-1'] },
    azure: { tenantId: 't', clientId: 'c', clientSecret: 's', subscriptions: [] },
    gcp: { serviceAccountEmail: 'sa@example.iam.gserviceaccount.com', projects: [] },
    resources,
  };
}
