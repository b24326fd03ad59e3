// Utilisation metrics as every metrics reader returns them: one series per resource, metric and
// statistic, its points exactly as the cloud's monitoring API returned them (the cloud's own
// unit and scale: GCP reports CPU utilisation as a 0-1 ratio, Azure disk operations per second).

import type { Resource, ResourceKind } from './resource.js';

/** The resource a series belongs to: enough to find it again in a snapshot or the console. */
export type ResourceRef = Pick<Resource, 'cloud' | 'kind' | 'id' | 'name' | 'account' | 'region'>;

export function resourceRef(resource: Pick<Resource, 'cloud' | 'kind' | 'id' | 'name' | 'account' | 'region'>): ResourceRef {
  return {
    cloud: resource.cloud,
    kind: resource.kind,
    id: resource.id,
    name: resource.name,
    account: resource.account,
    region: resource.region,
  };
}

/** Guardian's names for the metrics it reads; each cloud maps them to its own metric names. */
export const METRIC_NAMES = [
  'cpu',
  'network-in',
  'network-out',
  'disk-read-ops',
  'disk-write-ops',
  'db-connections',
  'free-storage',
  /** Percent of a machine's root filesystem used: published by the clouds' agents (CWAgent disk_used_percent, Ops Agent disk/percent_used). */
  'disk-used',
  'memory',
  'requests',
] as const;
export type MetricName = (typeof METRIC_NAMES)[number];

export const METRIC_STATS = ['average', 'maximum', 'p95'] as const;
export type MetricStat = (typeof METRIC_STATS)[number];

/** One point: the start of its period (ISO 8601, UTC) and the value the cloud returned. */
export type MetricPoint = [timestamp: string, value: number];

const isoCache = new Map<number, string>();

/**
 * A point's timestamp, `Date#toISOString()` of epoch milliseconds. Cached: every series of a read
 * has the same period starts, so millions of points share a few thousand strings (one Date and
 * one string each, not one per point).
 */
export function pointTimestamp(ms: number): string {
  let text = isoCache.get(ms);
  if (text === undefined) {
    if (isoCache.size >= 100_000) isoCache.clear();
    text = new Date(ms).toISOString();
    isoCache.set(ms, text);
  }
  return text;
}

const internCache = new Map<string, string>();

/** The one copy of a timestamp string: points cloned out of a provider thread arrive with a string each. */
export function internTimestamp(text: string): string {
  const known = internCache.get(text);
  if (known !== undefined) return known;
  if (internCache.size >= 100_000) internCache.clear();
  internCache.set(text, text);
  return text;
}

export interface MetricSeries {
  resource: ResourceRef;
  metric: MetricName;
  /** The cloud's own metric name (CPUUtilization, Percentage CPU, compute.googleapis.com/…). */
  cloudMetric: string;
  /** The cloud's own unit (Percent, Bytes, Count, CountPerSecond, 10^2.%, By, 1). */
  unit: string;
  periodSeconds: number;
  stat: MetricStat;
  /** Oldest first. Periods the cloud had no data for are absent, never zero. */
  points: MetricPoint[];
}

/** A metric a resource does not have: not published by the cloud, or not readable by this stat. */
export interface MetricGap {
  resource: ResourceRef;
  metric: MetricName;
  reason: string;
}

/** What a metrics reader is asked for: these resources' metrics over [start, end). */
export interface MetricQuery {
  resources: ResourceRef[];
  /** Undefined: each kind's own metrics (KIND_METRICS). */
  metrics?: MetricName[];
  /** ISO 8601; the reader aligns nothing, callers pass period-aligned bounds. */
  start: string;
  end: string;
  periodSeconds: number;
  stat: MetricStat;
}

/**
 * One call chain of a metrics read: the resources × metrics one request (and its pages) carries,
 * in the account (and region, for AWS; 'global' elsewhere) it is read in.
 */
export interface MetricBatch {
  account: string;
  region: string;
  items: { resource: ResourceRef; metric: MetricName }[];
  start: string;
  end: string;
  periodSeconds: number;
  stat: MetricStat;
}

export interface MetricPlan {
  batches: MetricBatch[];
  /** Metrics asked for that a resource does not have (EC2 memory, Azure percentiles…). */
  gaps: MetricGap[];
}

/** One page of a batch: the first when `token` is absent. */
export interface MetricPageQuery {
  batch: MetricBatch;
  token?: string;
}

export interface MetricPage {
  /** Series with this page's points; a series may continue on the next page. */
  series: MetricSeries[];
  next?: string;
}

/** The metrics each metered kind is read for when none are named (memory: to say it is unknown). */
export const KIND_METRICS: Partial<Record<ResourceKind, readonly MetricName[]>> = {
  'aws.ec2.instance': ['cpu', 'network-in', 'network-out', 'disk-read-ops', 'disk-write-ops', 'memory'],
  'aws.rds.instance': ['cpu', 'db-connections', 'free-storage'],
  'azure.compute.vm': ['cpu', 'network-in', 'network-out', 'disk-read-ops', 'disk-write-ops'],
  'gcp.compute.instance': ['cpu', 'network-in', 'network-out', 'disk-read-ops', 'disk-write-ops', 'memory'],
};

/** Kinds that have utilisation metrics. */
export const METERED_KINDS = Object.keys(KIND_METRICS) as ResourceKind[];

export function isMeteredKind(kind: ResourceKind): boolean {
  return KIND_METRICS[kind] !== undefined;
}
