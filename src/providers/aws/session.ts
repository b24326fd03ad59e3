// Credentials and SDK clients for the AWS provider. A session is one identity (a named profile,
// the default chain, or a role assumed into a member account); clients are cached per session ×
// region × service. Every client is built with SDK retries off (the engine retries) and with the
// engine's per-call timeouts.

import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { EC2Client } from '@aws-sdk/client-ec2';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { RDSClient } from '@aws-sdk/client-rds';
import { S3Client } from '@aws-sdk/client-s3';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { fromIni, fromNodeProviderChain } from '@aws-sdk/credential-providers';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@aws-sdk/types';
import type { AwsSettings } from '../../config/profile.js';
import type { CostCache } from '../../model/cost.js';

/** How long after the engine's call timeout the SDK gives up on its own. */
const SDK_BACKSTOP_MS = 1_000;

export interface AwsProviderOptions {
  /** Where the costs face keeps Cost Explorer's paid answers. */
  costCache?: CostCache;
  /** The engine's per-call timeout: the default for both timeouts below. */
  callTimeoutMs?: number;
  /** Time allowed for the response once connected. */
  requestTimeoutMs?: number;
  /** Time allowed to establish the connection. */
  connectionTimeoutMs?: number;
  /** Buckets per ListBuckets page (each costs four posture calls); default 50. */
  bucketPageSize?: number;
  /** Posture / listener calls run at once inside one S3 or ELBv2 page; default 32. */
  pageFanOut?: number;
}

export interface AwsSession {
  /** Stable cache key of the identity. */
  key: string;
  /** What the user calls it: the profile name, 'default', or the assumed account. */
  label: string;
  credentials: AwsCredentialIdentityProvider;
}

/** Refresh this long before temporary credentials expire. */
const REFRESH_MARGIN_MS = 5 * 60_000;

/** One resolution shared by every client of a session (SDK clients each memoize on their own). */
export function memoizeCredentials(provider: AwsCredentialIdentityProvider): AwsCredentialIdentityProvider {
  let current: Promise<AwsCredentialIdentity> | undefined;
  return async () => {
    if (current) {
      const identity = await current.catch(() => undefined);
      if (identity && (!identity.expiration || identity.expiration.getTime() - Date.now() > REFRESH_MARGIN_MS)) return identity;
    }
    current = provider();
    try {
      return await current;
    } catch (error) {
      current = undefined;
      throw error;
    }
  };
}

/** The sessions a profile's settings name: one per named AWS profile, or the default chain. */
export function baseSessions(settings: AwsSettings, env: NodeJS.ProcessEnv): AwsSession[] {
  const files = { filepath: env.AWS_SHARED_CREDENTIALS_FILE, configFilepath: env.AWS_CONFIG_FILE };
  if (settings.profiles && settings.profiles.length > 0) {
    return settings.profiles.map((profile) => ({
      key: `profile:${profile}`,
      label: profile,
      // fromIni resolves static keys, role_arn/source_profile, credential_process and SSO profiles.
      credentials: memoizeCredentials(fromIni({ profile, ...files })),
    }));
  }
  if (env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) {
    const identity: AwsCredentialIdentity = {
      accessKeyId: env.AWS_ACCESS_KEY_ID,
      secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
      ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}),
    };
    return [{ key: 'env', label: 'environment', credentials: async () => identity }];
  }
  return [
    {
      key: `default:${env.AWS_PROFILE ?? ''}`,
      label: env.AWS_PROFILE ?? 'default',
      credentials: memoizeCredentials(fromNodeProviderChain({ profile: env.AWS_PROFILE, ...files })),
    },
  ];
}

type ServiceName = 'ec2' | 'sts' | 'organizations' | 'rds' | 'elbv2' | 's3' | 'cloudwatch';

const ENDPOINT_ENV: Record<ServiceName, string> = {
  ec2: 'AWS_ENDPOINT_URL_EC2',
  sts: 'AWS_ENDPOINT_URL_STS',
  organizations: 'AWS_ENDPOINT_URL_ORGANIZATIONS',
  rds: 'AWS_ENDPOINT_URL_RDS',
  elbv2: 'AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2',
  s3: 'AWS_ENDPOINT_URL_S3',
  cloudwatch: 'AWS_ENDPOINT_URL_CLOUDWATCH',
};

interface ClientTypes {
  ec2: EC2Client;
  sts: STSClient;
  organizations: OrganizationsClient;
  rds: RDSClient;
  elbv2: ElasticLoadBalancingV2Client;
  s3: S3Client;
  cloudwatch: CloudWatchClient;
}

/** Builds and caches the SDK clients of every session. */
export class AwsClients {
  private readonly cache = new Map<string, unknown>();
  /** Region for global calls (STS, Organizations, ListBuckets, DescribeRegions). */
  readonly globalRegion: string;

  constructor(
    private readonly settings: AwsSettings,
    private readonly env: NodeJS.ProcessEnv,
    readonly options: AwsProviderOptions = {},
  ) {
    this.globalRegion = settings.regions?.[0] ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1';
  }

  /**
   * The endpoint to use: the profile's, else AWS_ENDPOINT_URL_<SERVICE> / AWS_ENDPOINT_URL from the
   * environment given to the provider (the SDK would read process.env itself; we honour the env we
   * were handed), else the SDK's own resolution.
   */
  endpoint(service: ServiceName): string | undefined {
    return this.settings.endpoint ?? this.env[ENDPOINT_ENV[service]] ?? this.env.AWS_ENDPOINT_URL ?? undefined;
  }

  private config(session: AwsSession, region: string, service: ServiceName) {
    const endpoint = this.endpoint(service);
    // The engine's --call-timeout is the one that ends a call (one CallTimeout, whichever cloud);
    // the SDK's own timeouts are only a backstop a little after it, or the two race and the answer
    // depends on which timer the machine ran first.
    const backstop = this.options.callTimeoutMs === undefined ? undefined : this.options.callTimeoutMs + SDK_BACKSTOP_MS;
    const requestTimeout = this.options.requestTimeoutMs ?? backstop;
    const connectionTimeout = this.options.connectionTimeoutMs ?? backstop;
    return {
      region,
      credentials: session.credentials,
      maxAttempts: 1,
      ...(endpoint ? { endpoint } : {}),
      // Without throwOnRequestTimeout the handler only logs a warning and keeps waiting.
      requestHandler: {
        ...(requestTimeout ? { requestTimeout, throwOnRequestTimeout: true } : {}),
        ...(connectionTimeout ? { connectionTimeout } : {}),
      },
    };
  }

  client<S extends ServiceName>(service: S, session: AwsSession, region: string): ClientTypes[S] {
    const key = `${service}|${session.key}|${region}`;
    let client = this.cache.get(key) as ClientTypes[S] | undefined;
    if (!client) {
      const config = this.config(session, region, service);
      const made =
        service === 'ec2'
          ? new EC2Client(config)
          : service === 'sts'
            ? new STSClient(config)
            : service === 'organizations'
              ? new OrganizationsClient(config)
              : service === 'rds'
                ? new RDSClient(config)
                : service === 'elbv2'
                  ? new ElasticLoadBalancingV2Client(config)
                  : service === 'cloudwatch'
                    ? new CloudWatchClient(config)
                    : // A custom endpoint (sandbox, MinIO, LocalStack) rarely resolves bucket subdomains.
                      new S3Client({ ...config, forcePathStyle: Boolean(config.endpoint) });
      client = made as ClientTypes[S];
      this.cache.set(key, client);
    }
    return client;
  }

  /** A session in a member account, through `role` assumed from `source`; refreshed before expiry. */
  assumedSession(source: AwsSession, account: string, role: string): AwsSession {
    const sts = this.client('sts', source, this.globalRegion);
    const roleArn = `arn:aws:iam::${account}:role/${role}`;
    return {
      key: `assume:${source.key}:${account}:${role}`,
      label: `${account} (${role} from ${source.label})`,
      credentials: memoizeCredentials(async () => {
        const answer = await sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'guardian-discovery' }));
        const credentials = answer.Credentials;
        if (!credentials?.AccessKeyId || !credentials.SecretAccessKey) throw new Error(`AssumeRole ${roleArn} returned no credentials`);
        return {
          accessKeyId: credentials.AccessKeyId,
          secretAccessKey: credentials.SecretAccessKey,
          sessionToken: credentials.SessionToken,
          expiration: credentials.Expiration,
        };
      }),
    };
  }

  destroy(): void {
    for (const client of this.cache.values()) (client as { destroy(): void }).destroy();
    this.cache.clear();
  }
}
