// One planned resource as the mappers see it: its values after apply, which of them are known only
// after apply, and the resources its configuration refers to (Terraform records references in the
// plan's "configuration" section, which is how a rule resource finds its security group).

import type { Cloud, Resource, ResourceKind } from '../model/resource.js';
import type { ConfigModule, ConfigResource, ResourceChange, TerraformPlan } from './read.js';

export interface Planned {
  change: ResourceChange;
  address: string;
  /** The address without a count/for_each index: module.net.aws_security_group.web */
  baseAddress: string;
  type: string;
  after: Record<string, unknown>;
  afterUnknown: Record<string, unknown>;
  config?: ConfigResource;
  modulePrefix: string;
}

export function withoutIndex(address: string): string {
  return address.replace(/\[[^\]]*\]$/, '');
}

function indexConfig(module: ConfigModule | undefined, prefix: string, into: Map<string, ConfigResource>): void {
  if (!module) return;
  for (const resource of module.resources ?? []) into.set(`${prefix}${resource.address}`, resource);
  for (const [name, call] of Object.entries(module.module_calls ?? {})) indexConfig(call.module, `${prefix}module.${name}.`, into);
}

/** Planned resources that will exist after apply (creates, updates, no-ops; not deletes or data sources). */
export function plannedResources(plan: TerraformPlan): Planned[] {
  const config = new Map<string, ConfigResource>();
  indexConfig(plan.configuration?.root_module, '', config);
  const out: Planned[] = [];
  for (const change of plan.resource_changes ?? []) {
    if (change.mode === 'data') continue;
    const actions = change.change.actions;
    if (actions.length === 1 && actions[0] === 'delete') continue;
    const after = change.change.after;
    if (!after || typeof after !== 'object') continue;
    const modulePrefix = change.module_address ? `${change.module_address.replace(/\[[^\]]*\]/g, '')}.` : '';
    const baseAddress = withoutIndex(change.address).replace(/\[[^\]]*\]/g, '');
    out.push({
      change,
      address: change.address,
      baseAddress,
      type: change.type,
      after,
      afterUnknown: (change.change.after_unknown ?? {}) as Record<string, unknown>,
      config: config.get(baseAddress),
      modulePrefix,
    });
  }
  return out;
}

/** True where the after_unknown mirror holds `true` anywhere under the value. */
export function anyUnknown(mirror: unknown): boolean {
  if (mirror === true) return true;
  if (Array.isArray(mirror)) return mirror.some(anyUnknown);
  if (mirror && typeof mirror === 'object') return Object.values(mirror).some(anyUnknown);
  return false;
}

function collectReferences(expression: unknown, into: string[]): void {
  if (Array.isArray(expression)) {
    for (const item of expression) collectReferences(item, into);
    return;
  }
  if (!expression || typeof expression !== 'object') return;
  const record = expression as Record<string, unknown>;
  if (Array.isArray(record.references)) into.push(...(record.references as string[]));
  for (const [key, value] of Object.entries(record)) if (key !== 'references' && key !== 'constant_value') collectReferences(value, into);
}

/**
 * The addresses of resources that the configuration of `attribute` (searched in nested blocks too)
 * refers to, e.g. security_group_id = aws_security_group.web.id → ['aws_security_group.web'].
 */
export function referencedAddresses(planned: Planned, attribute: string): string[] {
  const expression = planned.config?.expressions?.[attribute];
  if (expression === undefined) return [];
  const refs: string[] = [];
  collectReferences(expression, refs);
  const addresses = new Set<string>();
  for (const ref of refs) {
    const match = /^([a-z][a-z0-9_]*\.[A-Za-z_][A-Za-z0-9_-]*)/.exec(ref);
    if (match && !ref.startsWith('var.') && !ref.startsWith('local.') && !ref.startsWith('data.') && !ref.startsWith('module.')) {
      addresses.add(`${planned.modulePrefix}${match[1]}`);
    }
  }
  return [...addresses];
}

/** Whether the configuration sets `attribute` at all (as opposed to leaving it to the provider). */
export function configures(planned: Planned, attribute: string): boolean {
  return planned.config?.expressions?.[attribute] !== undefined;
}

export function stringValue(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Builds the Resource skeleton every mapper fills. */
export function plannedResource(planned: Planned, kind: ResourceKind, place: { account: string; region: string; name?: string }): Resource {
  const after = planned.after;
  const rawTags = (after.tags ?? after.labels) as Record<string, unknown> | null | undefined;
  const tags: Record<string, string> = {};
  if (rawTags && typeof rawTags === 'object') for (const [k, v] of Object.entries(rawTags)) if (typeof v === 'string') tags[k] = v;
  return {
    cloud: kind.slice(0, kind.indexOf('.')) as Cloud,
    kind,
    id: planned.address,
    name: place.name ?? stringValue(after.name) ?? tags.Name ?? planned.address,
    account: place.account,
    region: place.region,
    tags,
    attributes: { terraformAddress: planned.address, unknownAfterApply: [] as string[] },
    relations: [],
  };
}

export function markUnknown(resource: Resource, attribute: string): void {
  const list = resource.attributes.unknownAfterApply as string[];
  if (!list.includes(attribute)) list.push(attribute);
}

/**
 * Reads a boolean attribute: the planned value, or undefined and marked unknown when it is known
 * only after apply. `fallback` is the provider's documented default for an unset optional value.
 */
export function plannedBoolean(
  planned: Planned,
  resource: Resource,
  key: string,
  attribute: string,
  fallback?: boolean,
): boolean | undefined {
  if (anyUnknown(planned.afterUnknown[key])) {
    markUnknown(resource, attribute);
    return undefined;
  }
  const value = planned.after[key];
  if (typeof value === 'boolean') return value;
  return fallback;
}
