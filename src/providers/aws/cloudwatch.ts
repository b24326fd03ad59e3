// Reads EC2 and RDS utilisation from CloudWatch GetMetricData: every resource × metric of one
// account × region is one query, 500 queries a request (the API's cap), the request's pages
// followed through NextToken (at most 100,800 points each). ScanBy=TimestampAscending so a page's
// points are already oldest first; values are passed on exactly as CloudWatch returned them.
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_GetMetricData.html

import { GetMetricDataCommand, type MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import type { AwsSettings } from '../../config/profile.js';
import {
  KIND_METRICS,
  type MetricBatch,
  type MetricGap,
  type MetricName,
  type MetricPlan,
  type MetricQuery,
  type MetricSeries,
  type MetricStat,
  pointTimestamp,
  type ResourceRef,
} from '../../model/metric.js';
import type { ProviderFaces } from '../types.js';
import type { AwsClients, AwsSession } from './session.js';

export const MAX_QUERIES_PER_REQUEST = 500;
/** The most points one GetMetricData response carries; the rest come through NextToken. */
export const MAX_POINTS_PER_PAGE = 100_800;

/**
 * How many queries a request should carry. 500 at most, and, when a full window's queries do
 * not fit in one page, a whole number of pages' worth: at 1 day of 5-minute points (288 each) a
 * page holds 350 queries, and 500 would take two pages where 350 take one, so 600 queries read as
 * 350 + 250 in two calls instead of 500 + 100 in three. At 14 days (4,032 points, 25 queries a
 * page) it stays 500: twenty full pages.
 */
export function queriesPerRequest(start: string, end: string, periodSeconds: number): number {
  const points = Math.max(1, Math.ceil((Date.parse(end) - Date.parse(start)) / (periodSeconds * 1000)));
  const perPage = Math.floor(MAX_POINTS_PER_PAGE / points);
  if (perPage >= MAX_QUERIES_PER_REQUEST || perPage === 0) return MAX_QUERIES_PER_REQUEST;
  return Math.floor(MAX_QUERIES_PER_REQUEST / perPage) * perPage;
}

/** GetMetricData, in the account the batch names: found through GetCallerIdentity, or the organisation role. */
export function metricPermissions(settings: AwsSettings): string[] {
  return ['cloudwatch:GetMetricData', 'sts:GetCallerIdentity', ...(settings.assumeRole ? ['sts:AssumeRole'] : [])];
}

interface MetricDefinition {
  name: string;
  unit: string;
  /** A metric an agent publishes to its own namespace, with the dimensions it adds beside the resource's. */
  namespace?: string;
  extraDimensions?: { Name: string; Value: string }[];
}

interface Namespace {
  namespace: string;
  dimension: string;
  /** The dimension's value for a resource: the instance id, or the DB instance identifier (its name). */
  value(resource: ResourceRef): string;
  metrics: Partial<Record<MetricName, MetricDefinition>>;
  /** A kind whose resources publish to another namespace by type (network load balancers). */
  variant?(resource: ResourceRef): Omit<Namespace, 'variant' | 'value' | 'dimension'> | undefined;
}

/** `app/name/id` or `net/name/id`: the LoadBalancer dimension is the ARN after `loadbalancer/`. */
export function loadBalancerDimension(arn: string): string {
  const at = arn.indexOf(':loadbalancer/');
  return at < 0 ? arn : arn.slice(at + ':loadbalancer/'.length);
}

/** CloudWatch's published metric names and units per kind (EC2 basic and RDS instance metrics). */
const NAMESPACES: Partial<Record<ResourceRef['kind'], Namespace>> = {
  'aws.ec2.instance': {
    namespace: 'AWS/EC2',
    dimension: 'InstanceId',
    value: (resource) => resource.id,
    metrics: {
      cpu: { name: 'CPUUtilization', unit: 'Percent' },
      'network-in': { name: 'NetworkIn', unit: 'Bytes' },
      'network-out': { name: 'NetworkOut', unit: 'Bytes' },
      'disk-read-ops': { name: 'DiskReadOps', unit: 'Count' },
      'disk-write-ops': { name: 'DiskWriteOps', unit: 'Count' },
      // The CloudWatch agent's root filesystem use, as an agent configured with
      // "aggregation_dimensions": [["InstanceId", "path"]] publishes it (without device and fstype).
      'disk-used': { name: 'disk_used_percent', unit: 'Percent', namespace: 'CWAgent', extraDimensions: [{ Name: 'path', Value: '/' }] },
    },
  },
  'aws.rds.instance': {
    namespace: 'AWS/RDS',
    dimension: 'DBInstanceIdentifier',
    value: (resource) => resource.name,
    metrics: {
      cpu: { name: 'CPUUtilization', unit: 'Percent' },
      'db-connections': { name: 'DatabaseConnections', unit: 'Count' },
      'free-storage': { name: 'FreeStorageSpace', unit: 'Bytes' },
    },
  },
  // Application load balancers count requests; network ones have no requests, only new flows.
  'aws.elbv2.load-balancer': {
    namespace: 'AWS/ApplicationELB',
    dimension: 'LoadBalancer',
    value: (resource) => loadBalancerDimension(resource.id),
    metrics: { requests: { name: 'RequestCount', unit: 'Count' } },
    variant: (resource) =>
      loadBalancerDimension(resource.id).startsWith('net/')
        ? { namespace: 'AWS/NetworkELB', metrics: { requests: { name: 'NewFlowCount', unit: 'Count' } } }
        : undefined,
  },
};

function namespaceOf(resource: ResourceRef): Namespace | undefined {
  const namespace = NAMESPACES[resource.kind];
  const variant = namespace?.variant?.(resource);
  return namespace && variant ? { ...namespace, ...variant } : namespace;
}

const STATS: Record<MetricStat, string> = { average: 'Average', maximum: 'Maximum', p95: 'p95' };

function gapReason(resource: ResourceRef, metric: MetricName): string {
  if (metric === 'memory' && resource.kind === 'aws.ec2.instance')
    return "memory unknown: EC2 publishes no memory metric (it needs the CloudWatch agent's CWAgent mem_used_percent)";
  if (metric === 'disk-used' && resource.kind === 'aws.rds.instance')
    return 'RDS publishes free storage (FreeStorageSpace), not disk used: read free-storage with the allocated storage';
  return `${resource.kind} has no ${metric} metric in CloudWatch`;
}

/** One batch per ≤500 queries of an account × region (queriesPerRequest), in the order the resources came. */
export function planCloudWatch(query: MetricQuery): MetricPlan {
  const gaps: MetricGap[] = [];
  const byScope = new Map<string, MetricBatch['items']>();
  for (const resource of query.resources) {
    const namespace = namespaceOf(resource);
    for (const metric of query.metrics ?? KIND_METRICS[resource.kind] ?? []) {
      if (!namespace?.metrics[metric]) {
        if (namespace) gaps.push({ resource, metric, reason: gapReason(resource, metric) });
        continue;
      }
      const key = `${resource.account}|${resource.region}`;
      let items = byScope.get(key);
      if (!items) {
        items = [];
        byScope.set(key, items);
      }
      items.push({ resource, metric });
    }
  }
  const batches: MetricBatch[] = [];
  const size = queriesPerRequest(query.start, query.end, query.periodSeconds);
  for (const [key, items] of byScope) {
    const [account, region] = key.split('|');
    for (let i = 0; i < items.length; i += size) {
      batches.push({
        account,
        region,
        items: items.slice(i, i + size),
        start: query.start,
        end: query.end,
        periodSeconds: query.periodSeconds,
        stat: query.stat,
      });
    }
  }
  return { batches, gaps };
}

export function cloudWatchQueries(batch: MetricBatch): MetricDataQuery[] {
  return batch.items.map(({ resource, metric }, i) => {
    const namespace = namespaceOf(resource)!;
    const definition = namespace.metrics[metric]!;
    return {
      Id: `q${i}`,
      MetricStat: {
        Metric: {
          Namespace: definition.namespace ?? namespace.namespace,
          MetricName: definition.name,
          Dimensions: [{ Name: namespace.dimension, Value: namespace.value(resource) }, ...(definition.extraDimensions ?? [])],
        },
        Period: batch.periodSeconds,
        Stat: STATS[batch.stat],
      },
      ReturnData: true,
    };
  });
}

export function createCloudWatchReader(
  clients: AwsClients,
  sessionOf: (account: string, signal: AbortSignal) => Promise<AwsSession | undefined>,
): Pick<ProviderFaces, 'metricPlan' | 'metrics'> {
  return {
    metricPlan: async (query) => planCloudWatch(query),
    async metrics({ batch, token }, options) {
      const session = await sessionOf(batch.account, options.signal);
      if (!session)
        throw Object.assign(new Error(`AWS account ${batch.account} is not reachable with this profile's credentials`), {
          name: 'AccessDenied',
        });
      const answer = await clients.client('cloudwatch', session, batch.region).send(
        new GetMetricDataCommand({
          MetricDataQueries: cloudWatchQueries(batch),
          StartTime: new Date(batch.start),
          EndTime: new Date(batch.end),
          ScanBy: 'TimestampAscending',
          NextToken: token,
        }),
        { abortSignal: options.signal },
      );
      // A query CloudWatch could not answer fails the page: retried when internal, reported when forbidden.
      const failed = answer.MetricDataResults?.find((r) => r.StatusCode === 'InternalError' || r.StatusCode === 'Forbidden');
      if (failed) {
        const name = failed.StatusCode === 'Forbidden' ? 'AccessDenied' : 'InternalError';
        throw Object.assign(new Error(`CloudWatch answered ${failed.StatusCode} for query ${failed.Label ?? failed.Id}`), { name });
      }
      const series: MetricSeries[] = [];
      for (const result of answer.MetricDataResults ?? []) {
        const index = Number(result.Id?.slice(1));
        const item = batch.items[index];
        if (!item) continue;
        const definition = namespaceOf(item.resource)!.metrics[item.metric]!;
        const timestamps = result.Timestamps ?? [];
        const values = result.Values ?? [];
        series.push({
          resource: item.resource,
          metric: item.metric,
          cloudMetric: definition.name,
          unit: definition.unit,
          periodSeconds: batch.periodSeconds,
          stat: batch.stat,
          points: timestamps.map((t, i) => [pointTimestamp(t.getTime()), values[i]]),
        });
      }
      return { series, ...(answer.NextToken ? { next: answer.NextToken } : {}) };
    },
  };
}
