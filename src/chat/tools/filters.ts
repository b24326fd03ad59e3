// The resource filters the inventory, scan and optimize tools share: one schema fragment and one
// matcher, so "aws", "eu-west-1", "instance" or "env=prod" mean the same thing in every tool.

import picomatch from 'picomatch';
import { CLOUDS, type Resource } from '../../model/resource.js';
import type { JsonSchema } from './types.js';

export interface ResourceFilter {
  cloud?: string;
  account?: string;
  region?: string;
  kind?: string;
  tag?: string;
  state?: string;
  name?: string;
  id?: string;
  /** Only resources reachable from the internet (public flag, a public IP, an internet-facing scheme). */
  public?: boolean;
}

export const RESOURCE_FILTER_SCHEMA: Record<keyof ResourceFilter, JsonSchema> = {
  cloud: { type: 'string', enum: [...CLOUDS], description: 'aws, azure or gcp' },
  account: { type: 'string', minLength: 1, description: 'AWS account id, Azure subscription id or GCP project id' },
  region: { type: 'string', minLength: 1, description: 'region, location or zone (a glob such as eu-* works)' },
  kind: {
    type: 'string',
    minLength: 1,
    description: 'resource kind such as aws.ec2.instance, or part of one: instance, volume, rds, bucket, vm, disk, snapshot',
  },
  tag: { type: 'string', minLength: 1, description: 'a tag key, or key=value (value match ignores case)' },
  state: { type: 'string', minLength: 1, description: 'state such as running, stopped, available, in-use' },
  name: { type: 'string', minLength: 1, description: 'part of the name (case-insensitive), or a glob such as web-*' },
  id: { type: 'string', minLength: 1, description: "the resource's exact id (EC2 id, ARN, ARM id, GCP id)" },
  public: {
    type: 'boolean',
    description:
      'true: only resources reachable from the internet (public snapshot/AMI/bucket/database, a public IP, an internet-facing load balancer)',
  },
};

/** Reachable from the internet, as the inventory records it. */
export function isPublic(resource: Resource): boolean {
  const { attributes } = resource;
  return (
    attributes.public === true ||
    (typeof attributes.publicIp === 'string' && attributes.publicIp !== '') ||
    attributes.scheme === 'internet-facing'
  );
}

const lower = (text: string) => text.toLowerCase();

function textMatcher(pattern: string): (value: string) => boolean {
  if (/[*?[]/.test(pattern)) {
    const match = picomatch(lower(pattern), { bash: true, dot: true });
    return (value) => match(lower(value));
  }
  const needle = lower(pattern);
  return (value) => lower(value).includes(needle);
}

function exactOrGlob(pattern: string): (value: string) => boolean {
  if (/[*?[]/.test(pattern)) {
    const match = picomatch(lower(pattern), { bash: true, dot: true });
    return (value) => match(lower(value));
  }
  const wanted = lower(pattern);
  return (value) => lower(value) === wanted;
}

/** A predicate for the given filters; an absent filter matches everything. */
export function resourceMatcher(filter: ResourceFilter): (resource: Resource) => boolean {
  const tests: ((r: Resource) => boolean)[] = [];
  if (filter.cloud) tests.push((r) => r.cloud === filter.cloud);
  if (filter.account) tests.push((r) => r.account === filter.account);
  if (filter.region) {
    const region = exactOrGlob(filter.region);
    tests.push((r) => region(r.region));
  }
  if (filter.kind) {
    const kind = lower(filter.kind);
    tests.push((r) => r.kind === kind || r.kind.includes(kind));
  }
  if (filter.state) {
    const state = exactOrGlob(filter.state);
    tests.push((r) => r.state !== undefined && state(r.state));
  }
  if (filter.name) {
    const name = textMatcher(filter.name);
    tests.push((r) => name(r.name));
  }
  if (filter.id) tests.push((r) => r.id === filter.id);
  if (filter.public !== undefined) tests.push((r) => isPublic(r) === filter.public);
  if (filter.tag) {
    const at = filter.tag.indexOf('=');
    const key = (at < 0 ? filter.tag : filter.tag.slice(0, at)).trim();
    const value = at < 0 ? undefined : filter.tag.slice(at + 1).trim();
    tests.push((r) => {
      const entry = Object.entries(r.tags).find(([k]) => lower(k) === lower(key));
      return entry !== undefined && (value === undefined || lower(entry[1]) === lower(value));
    });
  }
  return (resource) => tests.every((test) => test(resource));
}

/** A resource as a tool shows it: identity, state, tags and its scalar attributes (rules and lists stay out). */
export function resourceRow(resource: Resource) {
  const attributes: Record<string, string | number | boolean> = {};
  for (const [key, value] of Object.entries(resource.attributes)) {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') attributes[key] = value;
  }
  return {
    id: resource.id,
    name: resource.name,
    kind: resource.kind,
    cloud: resource.cloud,
    account: resource.account,
    region: resource.region,
    ...(resource.state !== undefined ? { state: resource.state } : {}),
    ...(resource.createdAt !== undefined ? { createdAt: resource.createdAt } : {}),
    tags: resource.tags,
    attributes,
  };
}
