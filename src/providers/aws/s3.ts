// S3 buckets, listed per region: ListBuckets with BucketRegion on the region's endpoint and
// continuation tokens, so a region that is down fails only its own buckets (one account-wide
// listing would lose every bucket to one unreachable region). A bucket's posture is not in the
// listing: each bucket costs four more calls in its region (encryption, public access block,
// versioning, tags), plus GetBucketLocation when the listing does not give BucketRegion.

import {
  type Bucket,
  GetBucketEncryptionCommand,
  GetBucketLocationCommand,
  GetBucketTaggingCommand,
  GetBucketVersioningCommand,
  GetPublicAccessBlockCommand,
  ListBucketsCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import pLimit from 'p-limit';
import type { Resource } from '../../model/resource.js';
import { defineKind, type KindSpec, type ListOptions, type Scope } from '../types.js';
import { isoDate, tagRecord } from './ec2.js';
import { classifyAwsError } from './errors.js';
import type { AwsScopeHandle } from './scopes.js';
import type { AwsClients } from './session.js';
import { ResumeCache, subCall } from './subcalls.js';

/** Codes that mean "this bucket has no such configuration", not a failure. */
const ABSENT = new Set([
  'ServerSideEncryptionConfigurationNotFoundError',
  'NoSuchPublicAccessBlockConfiguration',
  'NoSuchTagSet',
  'NoSuchBucketPolicy',
]);

/** A posture read: its answer; undefined when absent; null when we may not read it (the attribute stays unknown). */
async function posture<T>(options: ListOptions, read: () => Promise<T>): Promise<T | undefined | null> {
  try {
    return await subCall(options.signal, () => {
      options.onRequest?.('s3');
      return read();
    });
  } catch (error) {
    const { class: cls, code } = classifyAwsError(error);
    if (ABSENT.has(code)) return undefined;
    if (cls === 'denied' || cls === 'not-found') return null;
    throw error;
  }
}

interface BucketPosture {
  encryption: string | undefined | null;
  publicAccessBlock: boolean | undefined | null;
  versioning: boolean | undefined | null;
  tags: Record<string, string> | undefined | null;
}

async function readPosture(client: S3Client, bucket: string, options: ListOptions): Promise<BucketPosture> {
  const call = { abortSignal: options.signal };
  const [encryption, block, versioning, tagging] = await Promise.all([
    posture(options, () => client.send(new GetBucketEncryptionCommand({ Bucket: bucket }), call)),
    posture(options, () => client.send(new GetPublicAccessBlockCommand({ Bucket: bucket }), call)),
    posture(options, () => client.send(new GetBucketVersioningCommand({ Bucket: bucket }), call)),
    posture(options, () => client.send(new GetBucketTaggingCommand({ Bucket: bucket }), call)),
  ]);
  const config = block?.PublicAccessBlockConfiguration;
  return {
    encryption:
      encryption === null
        ? null
        : encryption?.ServerSideEncryptionConfiguration?.Rules?.[0]?.ApplyServerSideEncryptionByDefault?.SSEAlgorithm,
    publicAccessBlock:
      block === null
        ? null
        : Boolean(config?.BlockPublicAcls && config.IgnorePublicAcls && config.BlockPublicPolicy && config.RestrictPublicBuckets),
    versioning: versioning === null ? null : versioning?.Status === 'Enabled',
    tags: tagging === null ? null : tagRecord(tagging?.TagSet),
  };
}

export function normalizeBucket(scope: Scope, bucket: Bucket, region: string, state: BucketPosture, options: ListOptions): Resource {
  const name = bucket.Name ?? '';
  const known = <T>(value: T | null | undefined) => (value === null ? undefined : value);
  return {
    cloud: 'aws',
    kind: 'aws.s3.bucket',
    id: bucket.BucketArn ?? `arn:aws:s3:::${name}`,
    name,
    account: scope.account,
    region,
    createdAt: isoDate(bucket.CreationDate),
    tags: state.tags ?? {},
    attributes: {
      defaultEncryption: state.encryption === null ? undefined : state.encryption !== undefined,
      encryptionAlgorithm: known(state.encryption),
      publicAccessBlock: known(state.publicAccessBlock),
      versioning: known(state.versioning),
      encrypted: state.encryption === null ? undefined : state.encryption !== undefined,
    },
    relations: [],
    ...(options.raw ? { raw: { ...bucket, posture: state } } : {}),
  };
}

/** LocationConstraint: empty means us-east-1, 'EU' is the legacy name of eu-west-1. */
function regionOfConstraint(constraint: string | undefined): string {
  if (!constraint) return 'us-east-1';
  return constraint === 'EU' ? 'eu-west-1' : constraint;
}

export function s3Kinds(clients: AwsClients): KindSpec[] {
  const postures = new ResumeCache<BucketPosture>();
  return [
    defineKind({
      cloud: 'aws',
      kind: 'aws.s3.bucket',
      scopeType: 'region',
      // IAM names its actions apart from the S3 operations: ListBuckets is s3:ListAllMyBuckets,
      // GetBucketEncryption s3:GetEncryptionConfiguration, GetPublicAccessBlock s3:GetBucketPublicAccessBlock.
      // https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html
      permissions: [
        's3:ListAllMyBuckets',
        's3:GetBucketLocation',
        's3:GetEncryptionConfiguration',
        's3:GetBucketPublicAccessBlock',
        's3:GetBucketVersioning',
        's3:GetBucketTagging',
      ],
      async listPage(scope, token, options) {
        const handle = scope.handle as AwsScopeHandle;
        const client = clients.client('s3', handle.session, scope.region);
        options.onRequest?.('s3');
        const answer = await client.send(
          new ListBucketsCommand({
            MaxBuckets: options.probe ? 1 : (clients.options.bucketPageSize ?? 50),
            ContinuationToken: token,
            BucketRegion: scope.region,
          }),
          { abortSignal: options.signal },
        );
        const limit = pLimit(Math.max(1, Math.floor((clients.options.pageFanOut ?? 32) / 4)));
        const resources = await Promise.all(
          (answer.Buckets ?? []).map((bucket) =>
            limit(async () => {
              const name = bucket.Name ?? '';
              let region = bucket.BucketRegion;
              if (!region) {
                // A store that ignores BucketRegion lists every bucket in every region's scope:
                // keep only this region's, so each bucket is reported once.
                const location = await subCall(options.signal, () => {
                  options.onRequest?.('s3');
                  return client.send(new GetBucketLocationCommand({ Bucket: name }), { abortSignal: options.signal });
                });
                region = regionOfConstraint(location.LocationConstraint);
              }
              if (region !== scope.region) return undefined;
              const key = `${handle.session.key}|${name}`;
              let state = postures.get(key);
              if (!state) {
                state = await readPosture(client, name, options);
                postures.set(key, state);
              }
              return normalizeBucket(scope, bucket, region, state, options);
            }),
          ),
        );
        return { resources: resources.filter((r): r is Resource => r !== undefined), next: answer.ContinuationToken || undefined };
      },
    }),
  ];
}
