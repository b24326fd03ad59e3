// RDS database instances (Marker pagination, 100 a page, 20 the smallest; tags come inline in TagList).

import { type DBInstance, DescribeDBInstancesCommand } from '@aws-sdk/client-rds';
import type { Relation, Resource } from '../../model/resource.js';
import { defineKind, type KindSpec, type ListOptions, type Scope } from '../types.js';
import { isoDate, tagRecord } from './ec2.js';
import type { AwsScopeHandle } from './scopes.js';
import type { AwsClients } from './session.js';

export function normalizeDbInstance(scope: Scope, db: DBInstance, options: ListOptions): Resource {
  const relations: Relation[] = (db.VpcSecurityGroups ?? []).flatMap((group) =>
    group.VpcSecurityGroupId ? [{ type: 'protected-by' as const, target: group.VpcSecurityGroupId }] : [],
  );
  if (db.DBSubnetGroup?.VpcId) relations.push({ type: 'in-network', target: db.DBSubnetGroup.VpcId });
  const id = db.DBInstanceArn ?? db.DBInstanceIdentifier ?? '';
  return {
    cloud: 'aws',
    kind: 'aws.rds.instance',
    id,
    name: db.DBInstanceIdentifier ?? id,
    account: scope.account,
    region: scope.region,
    state: db.DBInstanceStatus,
    createdAt: isoDate(db.InstanceCreateTime),
    tags: tagRecord(db.TagList),
    attributes: {
      instanceType: db.DBInstanceClass,
      engine: db.Engine,
      engineVersion: db.EngineVersion,
      encrypted: db.StorageEncrypted,
      public: db.PubliclyAccessible,
      backupRetentionDays: db.BackupRetentionPeriod,
      deletionProtection: db.DeletionProtection,
      multiAz: db.MultiAZ,
      storageGb: db.AllocatedStorage,
      volumeType: db.StorageType,
      endpoint: db.Endpoint?.Address,
    },
    relations,
    ...(options.raw ? { raw: db } : {}),
  };
}

export function rdsKinds(clients: AwsClients): KindSpec[] {
  return [
    defineKind({
      cloud: 'aws',
      kind: 'aws.rds.instance',
      scopeType: 'region',
      permissions: ['rds:DescribeDBInstances'],
      async listPage(scope, token, options) {
        options.onRequest?.('rds');
        const client = clients.client('rds', (scope.handle as AwsScopeHandle).session, scope.region);
        const answer = await client.send(new DescribeDBInstancesCommand({ MaxRecords: options.probe ? 20 : 100, Marker: token }), {
          abortSignal: options.signal,
        });
        return {
          resources: (answer.DBInstances ?? []).map((db) => normalizeDbInstance(scope, db, options)),
          next: answer.Marker || undefined,
        };
      },
    }),
  ];
}
