// Reads AWS spend from Cost Explorer GetCostAndUsage, grouped by linked account and one more
// dimension, following NextPageToken. Cost Explorer charges $0.01 per request, so every page is
// cached on disk (keyed by endpoint, profile and request) for a TTL, and the reader counts the
// requests it actually paid for.

import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CostExplorerClient, GetCostAndUsageCommandInput, GetCostAndUsageCommandOutput } from '@aws-sdk/client-cost-explorer';
import type { AwsSettings } from '../../config/profile.js';
import type { CostGroup, CostQuery, CostReadStats, CostSeries } from '../../model/cost.js';
import { tagKeyOf } from '../../model/cost.js';

/** Cost Explorer lives in us-east-1 whatever the caller's region. */
export const COST_EXPLORER_REGION = 'us-east-1';
export const DEFAULT_COST_CACHE_TTL_MS = 60 * 60 * 1000;

export interface CostCache {
  /** Directory for cached answers (the data directory's cache/costexplorer). */
  dir: string;
  ttlMs: number;
}

export interface CostReadOptions {
  signal?: AbortSignal;
  cache?: CostCache;
  stats: CostReadStats;
}

const DIMENSION_KEYS = { service: 'SERVICE', region: 'REGION' } as const;

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
 * endpoint and credentials so cached answers are never shared between accounts.
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
      JSON.stringify([cacheIdentity, input]),
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

/** The Cost Explorer clients for a profile's AWS settings: one per session (named profile or the default chain). */
export async function costExplorerClients(
  settings: AwsSettings,
  env: NodeJS.ProcessEnv,
): Promise<{ client: CostExplorerClient; identity: string; label: string }[]> {
  const { CostExplorerClient } = await import('@aws-sdk/client-cost-explorer');
  const { baseSessions } = await import('./session.js');
  const endpoint = settings.endpoint ?? env.AWS_ENDPOINT_URL_COST_EXPLORER ?? env.AWS_ENDPOINT_URL;
  return baseSessions(settings, env).map((session) => ({
    client: new CostExplorerClient({ region: COST_EXPLORER_REGION, credentials: session.credentials, ...(endpoint ? { endpoint } : {}) }),
    identity: `${endpoint ?? 'aws'}|${session.key}`,
    label: session.label,
  }));
}

/**
 * AWS spend for a query over every configured profile. A member account reached through two
 * profiles (its own and the management account's) is counted once: the first profile wins.
 */
export async function readAwsCosts(
  settings: AwsSettings,
  env: NodeJS.ProcessEnv,
  query: CostQuery,
  options: CostReadOptions,
): Promise<CostSeries> {
  const seen = new Set<string>();
  const groups: CostGroup[] = [];
  for (const { client, identity } of await costExplorerClients(settings, env)) {
    const found = await readCostExplorer(client, query, identity, options);
    const accounts = new Set(found.map((group) => group.account));
    for (const group of found) {
      if (seen.has(group.account)) continue;
      if (settings.accounts && settings.accounts.length > 0 && !settings.accounts.includes(group.account)) continue;
      groups.push(group);
    }
    for (const account of accounts) seen.add(account);
  }
  return {
    cloud: 'aws',
    metric: query.metric,
    granularity: query.granularity,
    dimension: query.dimension,
    start: query.start,
    end: query.end,
    groups,
  };
}
