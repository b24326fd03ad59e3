// `guardian config test` for AWS: for each configured identity, whether credentials resolve, which
// account they reach, and whether each permission discovery relies on is granted.

import { DescribeInstancesCommand } from '@aws-sdk/client-ec2';
import { DescribeLoadBalancersCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { DescribeDBInstancesCommand } from '@aws-sdk/client-rds';
import { ListBucketsCommand } from '@aws-sdk/client-s3';
import type { AwsSettings } from '../../config/profile.js';
import { classifyAwsError } from './errors.js';
import { callerAccount, enabledRegions, organizationAccounts } from './scopes.js';
import { AwsClients, type AwsProviderOptions, baseSessions } from './session.js';

export interface AwsPermissionCheck {
  /** IAM action, e.g. 'ec2:DescribeRegions'. */
  action: string;
  ok: boolean;
  /** The AWS error code when refused (AccessDenied, UnauthorizedOperation…). */
  code?: string;
  message?: string;
}

export interface AwsCredentialCheck {
  /** Profile name, 'environment' (AWS_ACCESS_KEY_ID…) or the AWS_PROFILE / 'default' chain. */
  profile: string;
  ok: boolean;
  account?: string;
  arn?: string;
  /** Set when the credentials themselves are missing or rejected. */
  problem?: string;
  checks: AwsPermissionCheck[];
}

async function probe(action: string, run: () => Promise<unknown>): Promise<AwsPermissionCheck> {
  try {
    await run();
    return { action, ok: true };
  } catch (error) {
    const { code, message } = classifyAwsError(error);
    return { action, ok: false, code, message };
  }
}

export async function checkAwsCredentials(
  settings: AwsSettings,
  env: NodeJS.ProcessEnv,
  options: AwsProviderOptions & { signal?: AbortSignal } = {},
): Promise<AwsCredentialCheck[]> {
  const clients = new AwsClients(settings, env, { requestTimeoutMs: 15_000, connectionTimeoutMs: 5_000, ...options });
  const signal = options.signal ?? new AbortController().signal;
  try {
    return await Promise.all(
      baseSessions(settings, env).map(async (session): Promise<AwsCredentialCheck> => {
        try {
          await session.credentials();
        } catch (error) {
          const { code, message } = classifyAwsError(error);
          return { profile: session.label, ok: false, problem: `no usable credentials (${code}): ${message}`, checks: [] };
        }
        let identity: { account: string; arn: string };
        try {
          identity = await callerAccount(clients, session, signal);
        } catch (error) {
          const { code, message } = classifyAwsError(error);
          return {
            profile: session.label,
            ok: false,
            problem: `credentials rejected by sts:GetCallerIdentity (${code}): ${message}`,
            checks: [{ action: 'sts:GetCallerIdentity', ok: false, code, message }],
          };
        }
        const region = clients.globalRegion;
        const checks: AwsPermissionCheck[] = [{ action: 'sts:GetCallerIdentity', ok: true }];
        checks.push(await probe('ec2:DescribeRegions', () => enabledRegions(clients, session, signal)));
        checks.push(
          await probe('ec2:DescribeInstances', () =>
            clients.client('ec2', session, region).send(new DescribeInstancesCommand({ MaxResults: 5 }), { abortSignal: signal }),
          ),
        );
        checks.push(
          await probe('rds:DescribeDBInstances', () =>
            clients.client('rds', session, region).send(new DescribeDBInstancesCommand({ MaxRecords: 20 }), { abortSignal: signal }),
          ),
        );
        checks.push(
          await probe('elasticloadbalancing:DescribeLoadBalancers', () =>
            clients.client('elbv2', session, region).send(new DescribeLoadBalancersCommand({ PageSize: 1 }), { abortSignal: signal }),
          ),
        );
        checks.push(
          await probe('s3:ListAllMyBuckets', () =>
            clients.client('s3', session, region).send(new ListBucketsCommand({ MaxBuckets: 1 }), { abortSignal: signal }),
          ),
        );
        if (settings.assumeRole) {
          let members: string[] = [];
          checks.push(
            await probe('organizations:ListAccounts', async () => {
              members = (await organizationAccounts(clients, session, signal))
                .map((account) => account.Id ?? '')
                .filter((id) => id && id !== identity.account && (!settings.accounts?.length || settings.accounts.includes(id)));
            }),
          );
          if (members.length > 0) {
            checks.push(
              await probe(`sts:AssumeRole ${settings.assumeRole} in ${members[0]}`, () =>
                clients.assumedSession(session, members[0], settings.assumeRole!).credentials(),
              ),
            );
          }
        }
        return { profile: session.label, ok: checks.every((check) => check.ok), account: identity.account, arn: identity.arn, checks };
      }),
    );
  } finally {
    clients.destroy();
  }
}
