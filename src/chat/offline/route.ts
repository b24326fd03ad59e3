// What the offline answers share: the tool calls of one turn (run through the registry's runTool,
// so the arguments are schema-checked exactly as a model's are, and recorded for --json), and the
// translation of entities into the tools' filters — a kind class into the clouds' kinds, a region
// into a glob that also takes its zones, a state class into each cloud's state words, an account
// word ("the data account") into the account ids it names.

import type { RESOURCE_KINDS } from '../../model/resource.js';
import { escapeControls } from '../../render/escape.js';
import type { ToolContext, ToolOutcome } from '../tools/types.js';
import type { ChatTurn } from '../turn.js';
import type { Entities, KindClass, StateClass } from './entities.js';

type ResourceKind = (typeof RESOURCE_KINDS)[number];

export type ToolCall = ChatTurn['toolCalls'][number];

/** Runs a tool by name with already-parsed arguments; the registry's `runTool` in the command. */
export type ToolRunner = (name: string, args: Record<string, unknown>, ctx: ToolContext) => Promise<ToolOutcome>;

export class ToolError extends Error {}

/** The calls of one answer, in order; a failed call is recorded with its error and stops the answer. */
export class Calls {
  readonly made: ToolCall[] = [];
  constructor(
    private readonly run: ToolRunner,
    private readonly ctx: ToolContext,
  ) {}

  async call<T = Record<string, unknown>>(name: string, args: Record<string, unknown>): Promise<T> {
    const outcome = await this.run(name, args, this.ctx);
    this.made.push({ name, arguments: args, result: outcome.ok ? outcome.result : { error: outcome.error } });
    if (!outcome.ok) throw new ToolError(outcome.error);
    return outcome.result as T;
  }
}

const KINDS: Record<KindClass, ResourceKind[]> = {
  instance: ['aws.ec2.instance', 'azure.compute.vm', 'gcp.compute.instance'],
  volume: ['aws.ec2.volume', 'azure.compute.disk', 'gcp.compute.disk'],
  snapshot: ['aws.ec2.snapshot', 'azure.compute.snapshot', 'gcp.compute.snapshot'],
  firewall: ['aws.ec2.security-group', 'azure.network.nsg', 'gcp.compute.firewall'],
  address: ['aws.ec2.address', 'azure.network.public-ip', 'gcp.compute.address'],
  network: ['aws.ec2.vpc'],
  image: ['aws.ec2.image'],
  database: ['aws.rds.instance'],
  bucket: ['aws.s3.bucket'],
  'load-balancer': ['aws.elbv2.load-balancer'],
};

/** The clouds' kinds a kind class stands for, on the named cloud only when one is named. */
export function concreteKinds(kind: KindClass | undefined, cloud: string | undefined): ResourceKind[] | undefined {
  if (!kind) return undefined;
  return KINDS[kind].filter((k) => !cloud || k.startsWith(`${cloud}.`));
}

/** A region filter that also takes the region's zones (GCP reports disks and VMs by zone). */
export function regionGlob(region: string | string[] | undefined): string | undefined {
  if (region === undefined) return undefined;
  const regions = Array.isArray(region) ? region : [region];
  return `{${regions.flatMap((r) => [r, `${r}-?`]).join(',')}}`;
}

/**
 * Each cloud's words for a state class (the tools match case-insensitively). The tools read a
 * filter as a glob only when it has a wildcard, so a set of words ends in `*`.
 */
export function stateGlob(state: StateClass | undefined, kind: KindClass | undefined): string | undefined {
  switch (state) {
    case 'running':
      return kind === 'database' ? '{available,running}*' : 'running';
    case 'stopped':
      return '{stopped,stopping,deallocated,terminated}*';
    case 'unattached':
      // AWS volumes "available", Azure disks "Unattached", addresses "unassociated" / GCP "RESERVED".
      return kind === 'database' ? 'stopped' : '{available,unattached,unassociated,reserved}*';
    case 'attached':
      return '{in-use,attached,associated,in_use}*';
    default:
      return undefined;
  }
}

const ACCOUNT_ID = /^(?:\d{12}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[a-z][a-z0-9-]*-\d{6})$/;

/**
 * The account ids an account entity names: itself when it is an id, else the estate's accounts
 * whose id contains the word ("data" → acme-data-247259), read with inventory_counts.
 */
export async function resolveAccount(calls: Calls, account: string | undefined): Promise<string[] | undefined> {
  if (!account || ACCOUNT_ID.test(account)) return account ? [account] : undefined;
  const counts = await calls.call<{ groups: { key: string }[] }>('inventory_counts', { by: 'account' });
  return counts.groups.map((g) => g.key).filter((key) => key.toLowerCase().includes(account.toLowerCase()));
}

/** Cloud text (names, ids, tags, messages) made safe for a terminal, and kept on one line. */
export function safe(text: unknown): string {
  return escapeControls(String(text));
}

const count = new Intl.NumberFormat('en-US');
export const n = (value: number): string => count.format(value);

export function money(amount: number, currency: string): string {
  const formatted = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(amount);
  if (currency === 'USD') return `$${formatted}`;
  if (currency === 'EUR') return `€${formatted}`;
  return `${formatted} ${currency}`;
}

export function plural(value: number, one: string, many = `${one}s`): string {
  return `${n(value)} ${value === 1 ? one : many}`;
}

/** "in aws, account 123, region eu-west-1" — the filters an answer was narrowed by, for its first line. */
export function scopeOf(entities: Entities, accounts?: string[]): string {
  const parts: string[] = [];
  if (entities.cloud) parts.push(entities.cloud);
  if (accounts?.length) parts.push(`account ${accounts.map(safe).join(' or ')}`);
  if (entities.region) parts.push(`region ${Array.isArray(entities.region) ? entities.region.join(' or ') : entities.region}`);
  if (entities.tag) parts.push(`tag ${safe(entities.tag)}`);
  return parts.length ? ` (${parts.join(', ')})` : '';
}
