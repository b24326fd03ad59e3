// Reads AWS spend from Cost Explorer GetCostAndUsage, grouped by linked account and one more
// dimension, following NextPageToken: the AWS provider's costs face. Cost Explorer charges $0.01
// per request, so every page is cached on disk (keyed by the account the credentials belong to
// and the request) for a TTL, and the reader counts the requests it actually paid for.

import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type {
  CostExplorerClient,
  GetCostAndUsageCommandInput,
  GetCostAndUsageCommandOutput,
  GetCostAndUsageWithResourcesCommandInput,
} from '@aws-sdk/client-cost-explorer';
import type { AwsSettings } from '../../config/profile.js';
import type {
  CostCache,
  CostGroup,
  CostQuery,
  CostReading,
  CostReadStats,
  CostSeries,
  ResourceCost,
  ResourceCostQuery,
  ResourceCostReading,
} from '../../model/cost.js';
import { emptyReadStats, tagKeyOf } from '../../model/cost.js';
import type { ResourceKind } from '../../model/resource.js';
import type { FaceReader } from '../types.js';
import type { AwsSession } from './session.js';

/** Cost Explorer lives in us-east-1 whatever the caller's region. */
export const COST_EXPLORER_REGION = 'us-east-1';
export const DEFAULT_COST_CACHE_TTL_MS = 60 * 60 * 1000;

export interface CostReadOptions {
  signal?: AbortSignal;
  cache?: CostCache;
  stats: CostReadStats;
}

const DIMENSION_KEYS = { service: 'SERVICE', region: 'REGION' } as const;

/**
 * GetCostAndUsage for the figures, GetCostAndUsageWithResources for what each resource was billed
 * (optimize's billed savings); GetCallerIdentity names the account its cache entries belong to.
 */
export const COST_PERMISSIONS = ['ce:GetCostAndUsage', 'ce:GetCostAndUsageWithResources', 'sts:GetCallerIdentity'];

/** The request for a query: linked account first, then the asked dimension (tag keys as TAG). */

export function costExplorerRequest(query: CostQuery): GetCostAndUsageCommandInput {
  const tag = tagKeyOf(query.dimension);
  const groupBy: NonNullable<GetCostAndUsageCommandInput['GroupBy']> = [{ Type: 'DIMENSION', Key: 'LINKED_ACCOUNT' }];
  if (tag !== undefined) groupBy.push({ Type: 'TAG', Key: tag });
  else if (query.dimension !== 'account') groupBy.push({ Type: 'DIMENSION', Key: DIMENSION_KEYS[query.dimension as 'service' | 'region'] });
  return {
    TimePeriod: { Start: query.start, End: query.end },
    Granularity: query.granularity === 'daily' ? 'DAILY' : 'MONTHLY',
    Metrics: [query.metric === 'amortized' ? 'AmortizedCost' : 'UnblendedCost'],
    GroupBy: groupBy,
  };
}

type Page = Pick<GetCostAndUsageCommandOutput, 'ResultsByTime' | 'NextPageToken'>;

/** Directories already pruned by this process. */
const pruned = new Set<string>();

/**
 * Removes answers past their TTL (and temporary files a killed run left behind), once per process
 * and directory: an entry is never read after its TTL, so keeping it only fills the disk.
 */
export async function pruneCostCache(cache: CostCache, now = Date.now()): Promise<number> {
  let removed = 0;
  const names = await readdir(cache.dir).catch(() => [] as string[]);
  for (const name of names) {
    if (!name.endsWith('.json') && !name.endsWith('.tmp')) continue;
    const file = join(cache.dir, name);
    const info = await stat(file).catch(() => undefined);
    if (info && now - info.mtimeMs >= cache.ttlMs) {
      await unlink(file).catch(() => {});
      removed += 1;
    }
  }
  return removed;
}

async function cachedPage(cache: CostCache | undefined, key: string, fetch: () => Promise<Page>, stats: CostReadStats): Promise<Page> {
  stats.requests += 1;
  const file = cache ? join(cache.dir, `${createHash('sha256').update(key).digest('hex')}.json`) : undefined;
  if (cache && file) {
    try {
      const stored = JSON.parse(await readFile(file, 'utf8')) as { storedAt: number; page: Page };
      if (Date.now() - stored.storedAt < cache.ttlMs) {
        stats.cachedRequests += 1;
        return stored.page;
      }
    } catch {
      // absent or unreadable: ask Cost Explorer
    }
  }
  stats.paidRequests += 1;
  const page = await fetch();
  if (cache && file) {
    await mkdir(cache.dir, { recursive: true, mode: 0o700 });
    if (!pruned.has(cache.dir)) {
      pruned.add(cache.dir);
      await pruneCostCache(cache);
    }
    const temp = `${file}.${process.pid}.tmp`;
    await writeFile(
      temp,
      JSON.stringify({ storedAt: Date.now(), page: { ResultsByTime: page.ResultsByTime, NextPageToken: page.NextPageToken } }),
      { mode: 0o600 },
    );
    await rename(temp, file);
  }
  return page;
}

/**
 * One query against one Cost Explorer client (one AWS profile). `cacheIdentity` names the
 * account the credentials belong to, so cached answers are never shared between accounts.
 */
export async function readCostExplorer(
  client: CostExplorerClient,
  query: CostQuery,
  cacheIdentity: string,
  options: CostReadOptions,
): Promise<CostGroup[]> {
  const { GetCostAndUsageCommand } = await import('@aws-sdk/client-cost-explorer');
  const request = costExplorerRequest(query);
  const metric = request.Metrics?.[0] ?? 'UnblendedCost';
  const groups = new Map<string, CostGroup>();
  const tag = tagKeyOf(query.dimension);
  let token: string | undefined;
  do {
    const input: GetCostAndUsageCommandInput = { ...request, ...(token ? { NextPageToken: token } : {}) };
    const page = await cachedPage(
      options.cache,
      JSON.stringify([options.cache?.scope ?? '', cacheIdentity, input]),
      () => client.send(new GetCostAndUsageCommand(input), { abortSignal: options.signal }),
      options.stats,
    );
    for (const result of page.ResultsByTime ?? []) {
      const date = result.TimePeriod?.Start ?? query.start;
      for (const group of result.Groups ?? []) {
        const account = group.Keys?.[0] ?? '';
        let key = query.dimension === 'account' ? account : (group.Keys?.[1] ?? '');
        // Tag groups come back as "key$value" ("key$" when untagged).
        if (tag !== undefined && key.startsWith(`${tag}$`)) key = key.slice(tag.length + 1);
        const value = group.Metrics?.[metric];
        if (!value?.Amount) continue;
        const id = `${account}\u0000${key}`;
        let entry = groups.get(id);
        if (!entry) {
          entry = { account, key, points: [] };
          groups.set(id, entry);
        }
        entry.points.push({
          date,
          amount: Number(value.Amount),
          currency: value.Unit ?? 'USD',
          ...(result.Estimated ? { estimated: true } : {}),
        });
      }
    }
    token = page.NextPageToken;
  } while (token);
  return [...groups.values()];
}

/** The Cost Explorer service each kind bills under (public IPv4 addresses bill under VPC since 2024). */
export const BILLING_SERVICES: Partial<Record<ResourceKind, string>> = {
  'aws.ec2.instance': 'Amazon Elastic Compute Cloud - Compute',
  'aws.ec2.volume': 'EC2 - Other',
  'aws.ec2.snapshot': 'EC2 - Other',
  'aws.ec2.address': 'Amazon Virtual Private Cloud',
  'aws.elbv2.load-balancer': 'Amazon Elastic Load Balancing',
  'aws.rds.instance': 'Amazon Relational Database Service',
};

export function resourceCostRequest(query: ResourceCostQuery): GetCostAndUsageWithResourcesCommandInput {
  const services = [...new Set(query.kinds.map((kind) => BILLING_SERVICES[kind]).filter((s): s is string => s !== undefined))].sort();
  return {
    TimePeriod: { Start: query.start, End: query.end },
    Granularity: 'DAILY',
    Metrics: ['UnblendedCost'],
    // The API requires a filter naming the service, and a grouping (or a filter) by resource.
    Filter: { Dimensions: { Key: 'SERVICE', Values: services } },
    GroupBy: [
      { Type: 'DIMENSION', Key: 'RESOURCE_ID' },
      { Type: 'DIMENSION', Key: 'SERVICE' },
    ],
  };
}

/**
 * Whether Cost Explorer refused because resource-level data is not enabled (an opt-in in the Cost
 * Management preferences): DataUnavailableException, or a ValidationException that says so.
 */
export function isResourceDataNotEnabled(error: unknown): boolean {
  const name = (error as { name?: string } | undefined)?.name ?? '';
  const message = String((error as { message?: string } | undefined)?.message ?? '');
  if (name === 'DataUnavailableException') return true;
  return name === 'ValidationException' && /not enabled|opt[ -]?in/i.test(message);
}

/** Each resource's bill over one query's days through one client, pages cached like GetCostAndUsage's. */
export async function readResourceCosts(
  client: CostExplorerClient,
  query: ResourceCostQuery,
  cacheIdentity: string,
  options: CostReadOptions,
): Promise<ResourceCost[]> {
  const { GetCostAndUsageWithResourcesCommand } = await import('@aws-sdk/client-cost-explorer');
  const request = resourceCostRequest(query);
  const totals = new Map<string, ResourceCost>();
  let token: string | undefined;
  do {
    const input: GetCostAndUsageWithResourcesCommandInput = { ...request, ...(token ? { NextPageToken: token } : {}) };
    const page = await cachedPage(
      options.cache,
      JSON.stringify([options.cache?.scope ?? '', cacheIdentity, 'GetCostAndUsageWithResources', input]),
      () => client.send(new GetCostAndUsageWithResourcesCommand(input), { abortSignal: options.signal }),
      options.stats,
    );
    for (const result of page.ResultsByTime ?? []) {
      for (const group of result.Groups ?? []) {
        const id = group.Keys?.[0];
        const value = group.Metrics?.UnblendedCost;
        if (!id || !value?.Amount) continue;
        const currency = value.Unit ?? 'USD';
        const entry = totals.get(`${id}\u0000${currency}`);
        if (entry) entry.amount += Number(value.Amount);
        else totals.set(`${id}\u0000${currency}`, { id, amount: Number(value.Amount), currency });
      }
    }
    token = page.NextPageToken;
  } while (token);
  return [...totals.values()];
}

interface CostSession {
  client: CostExplorerClient;
  session: AwsSession;
  /** The STS endpoint beside it when Cost Explorer's is not AWS's own (the sandbox, LocalStack). */
  stsEndpoint?: string;
  /** That endpoint's host, part of the cache identity. */
  host?: string;
}

/** The Cost Explorer clients for a profile's AWS settings: one per session (named profile or the default chain). */
async function costSessions(settings: AwsSettings, env: NodeJS.ProcessEnv, callTimeoutMs: number | undefined): Promise<CostSession[]> {
  const { CostExplorerClient } = await import('@aws-sdk/client-cost-explorer');
  const { baseSessions } = await import('./session.js');
  const endpoint = settings.endpoint ?? env.AWS_ENDPOINT_URL_COST_EXPLORER ?? env.AWS_ENDPOINT_URL;
  return baseSessions(settings, env).map((session) => ({
    // Retries, timeouts and cancellation are Guardian's (src/discovery/call.ts), as for discovery.
    client: new CostExplorerClient({
      region: COST_EXPLORER_REGION,
      credentials: session.credentials,
      maxAttempts: 1,
      ...(endpoint ? { endpoint } : {}),
      ...(callTimeoutMs ? { requestHandler: { requestTimeout: callTimeoutMs, throwOnRequestTimeout: true } } : {}),
    }),
    session,
    ...(endpoint ? { host: new URL(endpoint).hostname } : {}),
    ...((settings.endpoint ?? env.AWS_ENDPOINT_URL_STS ?? env.AWS_ENDPOINT_URL)
      ? { stsEndpoint: settings.endpoint ?? env.AWS_ENDPOINT_URL_STS ?? env.AWS_ENDPOINT_URL }
      : {}),
  }));
}

/**
 * What a cached answer is filed under besides the request: the account the credentials belong to
 * (sts:GetCallerIdentity, which is free), on AWS or on a named other endpoint. Not the profile
 * name or the endpoint's port, which change without the account changing (the demo's sandbox
 * listens on a new port each run) and can name another account after an edit.
 */
async function accountIdentity(cost: CostSession, callTimeoutMs: number | undefined, signal: AbortSignal): Promise<string> {
  const { STSClient, GetCallerIdentityCommand } = await import('@aws-sdk/client-sts');
  const sts = new STSClient({
    region: COST_EXPLORER_REGION,
    credentials: cost.session.credentials,
    maxAttempts: 1,
    ...(cost.stsEndpoint ? { endpoint: cost.stsEndpoint } : {}),
    ...(callTimeoutMs ? { requestHandler: { requestTimeout: callTimeoutMs, throwOnRequestTimeout: true } } : {}),
  });
  try {
    const answer = await sts.send(new GetCallerIdentityCommand({}), { abortSignal: signal });
    return `${cost.host ?? 'aws'}|${answer.Account ?? ''}`;
  } finally {
    sts.destroy();
  }
}

export interface AwsCostReaderOptions {
  callTimeoutMs?: number;
  cache?: CostCache;
}

/**
 * The AWS costs face: spend for a query over every configured profile. A member account reached
 * through two profiles (its own and the management account's) is counted once: the first wins.
 */
export function createAwsCostReader(
  settings: AwsSettings,
  env: NodeJS.ProcessEnv,
  options: AwsCostReaderOptions = {},
): FaceReader<CostQuery, CostReading> & { resources: FaceReader<ResourceCostQuery, ResourceCostReading>; close(): void } {
  let sessions: Promise<CostSession[]> | undefined;
  const identities = new Map<AwsSession, Promise<string>>();
  const identityOf = (cost: CostSession, signal: AbortSignal) => {
    let identity = identities.get(cost.session);
    if (!identity) {
      identity = accountIdentity(cost, options.callTimeoutMs, signal);
      identity.catch(() => identities.delete(cost.session));
      identities.set(cost.session, identity);
    }
    return identity;
  };
  const read = async (query: CostQuery, { signal }: { signal: AbortSignal }): Promise<CostReading> => {
    sessions ??= costSessions(settings, env, options.callTimeoutMs);
    const stats = emptyReadStats();
    const seen = new Set<string>();
    const groups: CostGroup[] = [];
    for (const cost of await sessions) {
      const identity = options.cache ? await identityOf(cost, signal) : '';
      const found = await readCostExplorer(cost.client, query, identity, { signal, cache: options.cache, stats });
      const accounts = new Set(found.map((group) => group.account));
      for (const group of found) {
        if (seen.has(group.account)) continue;
        if (settings.accounts && settings.accounts.length > 0 && !settings.accounts.includes(group.account)) continue;
        groups.push(group);
      }
      for (const account of accounts) seen.add(account);
    }
    const series: CostSeries = {
      cloud: 'aws',
      metric: query.metric,
      granularity: query.granularity,
      dimension: query.dimension,
      start: query.start,
      end: query.end,
      groups,
    };
    return { series, stats };
  };
  /** The resources' bills over every configured profile; an id seen through two profiles is counted once. */
  const resources = async (query: ResourceCostQuery, { signal }: { signal: AbortSignal }): Promise<ResourceCostReading> => {
    sessions ??= costSessions(settings, env, options.callTimeoutMs);
    const stats = emptyReadStats();
    const seen = new Map<string, ResourceCost>();
    for (const cost of await sessions) {
      const identity = options.cache ? await identityOf(cost, signal) : '';
      try {
        for (const found of await readResourceCosts(cost.client, query, identity, { signal, cache: options.cache, stats }))
          if (!seen.has(found.id)) seen.set(found.id, found);
      } catch (error) {
        if (!isResourceDataNotEnabled(error)) throw error;
        return { start: query.start, end: query.end, resources: [], stats, notEnabled: (error as Error).message };
      }
    }
    return { start: query.start, end: query.end, resources: [...seen.values()], stats };
  };
  return Object.assign(read, {
    resources,
    close() {
      sessions?.then(
        (list) => {
          for (const cost of list) cost.client.destroy();
        },
        () => {},
      );
    },
  });
}
