// Amazon RDS over the query protocol: DescribeDBInstances with Marker/MaxRecords (20–100).
// https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DescribeDBInstances.html

import type { RdsInstance } from '../estate/types.js';
import type { SandboxService } from '../server/types.js';
import { callerScope, regionalQueryCaller, stableId } from './identity.js';
import { decodeToken, el, encodeToken, esc, queryError, queryFaultResponse, queryParams, queryResult } from './protocol.js';

const XMLNS = 'http://rds.amazonaws.com/doc/2014-10-31/';

const ENGINE_PORTS: Record<string, number> = {
  postgres: 5432,
  mysql: 3306,
  mariadb: 3306,
  'sqlserver-se': 1433,
  'sqlserver-ex': 1433,
  'oracle-se2': 1521,
};

function renderDbInstance(r: RdsInstance): string {
  const s = r.spec;
  let groups = '';
  for (const id of s.vpcSecurityGroupIds)
    groups += `<VpcSecurityGroupMembership><VpcSecurityGroupId>${id}</VpcSecurityGroupId><Status>active</Status></VpcSecurityGroupMembership>`;
  let tags = '';
  for (const key in r.tags) tags += `<Tag><Key>${esc(key)}</Key><Value>${esc(r.tags[key])}</Value></Tag>`;
  const port = ENGINE_PORTS[s.engine] ?? (s.engine.startsWith('aurora-postgresql') ? 5432 : 3306);
  return (
    `<DBInstance><DBInstanceIdentifier>${esc(s.identifier)}</DBInstanceIdentifier><DBInstanceClass>${s.instanceClass}</DBInstanceClass>` +
    `<Engine>${s.engine}</Engine><DBInstanceStatus>${s.status}</DBInstanceStatus><MasterUsername>admin</MasterUsername>` +
    `<Endpoint><Address>${esc(s.endpoint)}</Address><Port>${port}</Port><HostedZoneId>Z29XKXDKYMONMX</HostedZoneId></Endpoint>` +
    `<AllocatedStorage>${s.storageGb}</AllocatedStorage><InstanceCreateTime>${r.createdAt}</InstanceCreateTime>` +
    `<PreferredBackupWindow>03:00-03:30</PreferredBackupWindow><BackupRetentionPeriod>${s.backupRetentionDays}</BackupRetentionPeriod>` +
    `<DBSecurityGroups/><VpcSecurityGroups>${groups}</VpcSecurityGroups><AvailabilityZone>${r.region}a</AvailabilityZone>` +
    `<MultiAZ>${s.multiAz}</MultiAZ><EngineVersion>${esc(s.engineVersion)}</EngineVersion><AutoMinorVersionUpgrade>true</AutoMinorVersionUpgrade>` +
    `<PubliclyAccessible>${s.publiclyAccessible}</PubliclyAccessible><StorageType>${s.storageType}</StorageType>` +
    `<StorageEncrypted>${s.storageEncrypted}</StorageEncrypted>` +
    el('KmsKeyId', s.storageEncrypted ? `arn:aws:kms:${r.region}:${r.account}:key/aws-rds` : undefined) +
    `<DbiResourceId>db-${stableId(r.id, 26)}</DbiResourceId>` +
    `<DBInstanceArn>${esc(r.id)}</DBInstanceArn><DeletionProtection>${s.deletionProtection}</DeletionProtection>` +
    `<TagList>${tags}</TagList></DBInstance>`
  );
}

export const rds: SandboxService = {
  name: 'aws.rds',
  matches: (req) => req.aws?.service === 'rds',
  scope: callerScope,
  handle(req, ctx) {
    const authorized = regionalQueryCaller(req, ctx, XMLNS);
    if ('error' in authorized) return authorized.error;
    const { caller, region } = authorized;
    const params = queryParams(req);
    const action = params.get('Action');
    if (action !== 'DescribeDBInstances')
      return queryError(400, 'InvalidAction', `The action ${action} is not valid for this web service.`, XMLNS);
    let instances = (ctx.index.byScope.get(`aws.rds.instance|${caller.account.id}|${region}`) ?? []) as RdsInstance[];
    const identifier = params.get('DBInstanceIdentifier');
    if (identifier) {
      instances = instances.filter((r) => r.spec.identifier === identifier || r.id === identifier);
      if (instances.length === 0) return queryError(404, 'DBInstanceNotFound', `DBInstance ${identifier} not found.`, XMLNS);
    }
    const rawSize = params.get('MaxRecords');
    const size = rawSize === null ? 100 : Number(rawSize);
    if (!Number.isInteger(size) || size < 20 || size > 100) {
      return queryError(400, 'InvalidParameterValue', `Invalid value ${rawSize} for MaxRecords. Must be between 20 and 100`, XMLNS);
    }
    let offset = 0;
    const marker = params.get('Marker');
    if (marker) {
      const decoded = decodeToken('DescribeDBInstances', marker);
      if (decoded === undefined) return queryError(400, 'InvalidParameterValue', `Invalid marker: ${marker}`, XMLNS);
      offset = decoded;
    }
    const page = instances.slice(offset, offset + size);
    const end = offset + page.length;
    let items = '';
    for (const instance of page) items += renderDbInstance(instance);
    return queryResult(
      'DescribeDBInstances',
      XMLNS,
      `<DBInstances>${items}</DBInstances>${el('Marker', end < instances.length ? encodeToken('DescribeDBInstances', end) : undefined)}`,
    );
  },
  faultResponse: queryFaultResponse(XMLNS),
};
