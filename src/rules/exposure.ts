// Network exposure shared by the security-group, NSG and firewall rules: which inbound rules let the
// whole Internet reach a port. Azure NSGs are evaluated by priority, so an allow shadowed by an
// earlier deny for the same traffic does not count.

import type { IngressRule, Resource } from '../model/resource.js';
import { fail, label, PASS, type RuleDefinition, type RuleMetadata, unknown, unknownAfterApply, type Verdict } from './rule.js';

const IPV4_WORLD = new Set(['0.0.0.0/0', '0.0.0.0']);
const IPV6_WORLD = new Set(['::/0', '::']);
/** Azure service tags and wildcards that mean "any source on the Internet". */
const TAG_WORLD = new Set(['*', 'internet', 'any']);

export type AddressFamily = 'ipv4' | 'ipv6' | 'any';

export function isWorldSource(source: string, family: AddressFamily = 'any'): boolean {
  const value = source.trim().toLowerCase();
  if (family === 'ipv4') return IPV4_WORLD.has(value) || TAG_WORLD.has(value);
  if (family === 'ipv6') return IPV6_WORLD.has(value);
  return IPV4_WORLD.has(value) || IPV6_WORLD.has(value) || TAG_WORLD.has(value);
}

const ANY_PROTOCOL = new Set(['all', '-1', '*', 'any']);

function protocolMatches(rule: IngressRule, protocol: 'tcp' | 'udp'): boolean {
  const value = rule.protocol.toLowerCase();
  return ANY_PROTOCOL.has(value) || value === protocol || (protocol === 'tcp' && value === '6') || (protocol === 'udp' && value === '17');
}

/** Every port: the whole 0–65535 range (or "all ports") of any protocol, tcp or udp. */
export function opensEverything(rule: IngressRule): boolean {
  const from = rule.fromPort ?? 0;
  const to = rule.toPort ?? 65535;
  const fullRange = from === -1 || (from <= 0 && to >= 65535);
  const protocol = rule.protocol.toLowerCase();
  return fullRange && (ANY_PROTOCOL.has(protocol) || protocol === 'tcp' || protocol === 'udp' || protocol === '6' || protocol === '17');
}

function coversPort(rule: IngressRule, port: number): boolean {
  if (rule.fromPort === undefined && rule.toPort === undefined) return true;
  const from = rule.fromPort ?? 0;
  const to = rule.toPort ?? 65535;
  // EC2 reports -1 for "all ports" on protocol -1 and for ICMP type/code.
  if (from === -1) return true;
  return from <= port && port <= to;
}

function isAllow(rule: IngressRule): boolean {
  return (rule.action ?? 'allow') === 'allow';
}

/** A deny that runs earlier (lower priority number) for the same traffic hides an allow. */
function shadowed(allow: IngressRule, port: number | undefined, protocol: 'tcp' | 'udp', rules: IngressRule[]): boolean {
  if (allow.priority === undefined) return false;
  return rules.some(
    (deny) =>
      !isAllow(deny) &&
      deny.priority !== undefined &&
      deny.priority < allow.priority! &&
      protocolMatches(deny, protocol) &&
      (port === undefined ? opensEverything(deny) : coversPort(deny, port)) &&
      (isWorldSource(deny.source) || deny.source === allow.source),
  );
}

export interface Exposure {
  rule: IngressRule;
  port?: number;
}

/**
 * Allow rules that open any of `ports` (tcp) to the Internet, after deny shadowing. A rule that opens
 * every port is left to the "all traffic" rules, so one open-to-all rule is one finding, not ten.
 */
export function openPorts(
  ingress: IngressRule[],
  ports: readonly number[],
  family: AddressFamily,
  protocol: 'tcp' | 'udp' = 'tcp',
): Exposure[] {
  const found: Exposure[] = [];
  for (const rule of ingress) {
    if (!isAllow(rule) || !isWorldSource(rule.source, family) || !protocolMatches(rule, protocol) || opensEverything(rule)) continue;
    for (const port of ports) {
      if (coversPort(rule, port) && !shadowed(rule, port, protocol, ingress)) {
        found.push({ rule, port });
        break;
      }
    }
  }
  return found;
}

/** Allow rules that open every port and protocol to the Internet. */
export function openEverything(ingress: IngressRule[], family: AddressFamily): Exposure[] {
  return ingress
    .filter((rule) => isAllow(rule) && isWorldSource(rule.source, family) && opensEverything(rule))
    .filter((rule) => !shadowed(rule, undefined, 'tcp', ingress))
    .map((rule) => ({ rule }));
}

function describeExposure(exposures: Exposure[], service: string): string {
  const sources = [...new Set(exposures.map((e) => e.rule.source))].join(', ');
  const ports = [...new Set(exposures.map((e) => e.port).filter((p) => p !== undefined))];
  const portText = ports.length ? `${service} (tcp/${ports.join(', tcp/')})` : service;
  return `${portText} from ${sources}`;
}

/** Disabled GCP firewall rules and egress rules let nothing in. */
function inactive(resource: Resource): boolean {
  const { disabled, direction } = resource.attributes;
  return disabled === true || (typeof direction === 'string' && direction.toUpperCase() === 'EGRESS');
}

const NOUNS: Record<string, string> = {
  'aws.ec2.security-group': 'Security group',
  'azure.network.nsg': 'Network security group',
  'gcp.compute.firewall': 'Firewall rule',
};

export function nounFor(resource: Resource): string {
  return NOUNS[resource.kind] ?? 'Resource';
}

/**
 * The check of an "open to the Internet" rule: fail on a known exposure, unknown when the inbound
 * rules (or part of them) are not known, pass otherwise.
 */
export function exposureCheck(resource: Resource, find: (ingress: IngressRule[]) => Exposure[], service: string): Verdict {
  if (inactive(resource)) return PASS;
  const ingress = resource.attributes.ingress;
  const noun = nounFor(resource);
  if (ingress) {
    const exposures = find(ingress);
    if (exposures.length > 0) return fail(`${label(noun, resource)} allows ${describeExposure(exposures, service)}.`);
  }
  if (!ingress || unknownAfterApply(resource).includes('ingress')) {
    return unknown(resource, label(noun.toLowerCase(), resource), ['ingress'], `allows ${service} from the Internet`);
  }
  return PASS;
}

/** Builds a rule that flags `ports` open to the Internet for the given address family. */
export function openPortRule(
  metadata: Omit<RuleMetadata, 'category'>,
  options: { ports: readonly number[]; service: string; family: AddressFamily; protocol?: 'tcp' | 'udp' },
): RuleDefinition {
  return {
    ...metadata,
    check: (resource) =>
      exposureCheck(resource, (ingress) => openPorts(ingress, options.ports, options.family, options.protocol), options.service),
  };
}

export const ADMIN_PORTS = [22, 3389] as const;
export const DATABASE_PORTS = [3306, 5432, 1433, 27017, 6379] as const;
