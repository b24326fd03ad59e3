// What a rule's cases file declares, and builders for the resources in it. Every rule file
// src/rules/<category>/<cloud>/<slug>.ts has a sibling <slug>.cases.ts exporting `cases`: a
// security rule's (`defineCases`: pass, fail, unknown) are run through the engine (runRules) by
// test/unit/rule-cases.test.ts, which fails a rule with no failing or no passing case; a cost
// rule's (`defineCostCases`: recommend, leave, unjudged, each with its metric readings and any
// context it changes) are run through the walk optimize uses (ruleChecks, then `recommend`) by
// test/unit/cost-rule-cases.test.ts, which fails a rule with no recommending or no leaving case.
// Cases are test data: the build leaves this file and every *.cases.ts out of dist
// (tsconfig.build.json), the catalog never loads them as rules, and no shipped module may import
// them (.dependency-cruiser.cjs).

import type { Finding } from '../model/finding.js';
import type { Evidence, RecommendationAction } from '../model/recommendation.js';
import type { Resource, ResourceAttributes, ResourceKind } from '../model/resource.js';
import type { Price } from '../pricing/catalog.js';
import type { CostMetric, CostThresholds, MetricReading, Proposal, Saving } from './cost.js';

export interface RuleCase {
  /** What the case shows, in a few words; it names the test. */
  name?: string;
  /** The resource the rule judges. */
  resource: Resource;
  /** Other resources the rule may consult through its context (the Elastic IP of an instance). */
  others?: Resource[];
}

export interface FindingCase extends RuleCase {
  /** Fields the finding on `resource` must have, beyond what every finding must (its id and name in one sentence). */
  finding?: Partial<Finding>;
}

export interface UnknownCase extends FindingCase {
  /** The attributes the rule must say it could not read. */
  missing: string[];
}

export interface RuleCases {
  /** Resources configured the safe way: no finding. At least one. */
  pass: RuleCase[];
  /** Misconfigured resources: exactly one `fail` finding each. At least one. */
  fail: FindingCase[];
  /** Resources the rule cannot decide: exactly one `unknown` finding each, never a pass. */
  unknown?: UnknownCase[];
}

/** Identity for type inference in cases files. */
export function defineCases(cases: RuleCases): RuleCases {
  return cases;
}

let counter = 0;

/** A resource with sensible defaults and the attributes a case cares about; ids are unique in a run. */
export function resource(kind: ResourceKind, attributes: ResourceAttributes = {}, overrides: Partial<Resource> = {}): Resource {
  counter += 1;
  const cloud = kind.slice(0, kind.indexOf('.')) as Resource['cloud'];
  const account = cloud === 'aws' ? '111122223333' : cloud === 'azure' ? '00000000-0000-0000-0000-000000000001' : 'acme-prod';
  return {
    cloud,
    kind,
    id: `${kind.split('.').pop()}-${counter}`,
    name: `test-${counter}`,
    account,
    region: cloud === 'aws' ? 'eu-west-1' : cloud === 'azure' ? 'westeurope' : 'europe-west1-b',
    tags: {},
    attributes,
    relations: [],
    ...overrides,
  };
}

type Ingress = NonNullable<ResourceAttributes['ingress']>;

/** An inbound allow of one TCP port from `source` (the whole IPv4 Internet unless told). */
export const world = (port: number, source = '0.0.0.0/0', protocol = 'tcp') => ({
  protocol,
  fromPort: port,
  toPort: port,
  source,
  action: 'allow' as const,
});

/** An inbound allow of one TCP port from a private range. */
export const internal = (port: number) => world(port, '10.0.0.0/8');

export const securityGroup = (ingress: Ingress, extra: ResourceAttributes = {}, overrides: Partial<Resource> = {}) =>
  resource('aws.ec2.security-group', { ingress, isDefault: false, ...extra }, overrides);

export const nsg = (ingress: Ingress) => resource('azure.network.nsg', { ingress });

export const firewall = (ingress: Ingress, extra: ResourceAttributes = {}) =>
  resource('gcp.compute.firewall', { ingress, direction: 'INGRESS', disabled: false, ...extra });

/** A GCE instance that passes every instance rule unless `extra` says otherwise. */
export const gceInstance = (extra: ResourceAttributes = {}) =>
  resource('gcp.compute.instance', {
    serviceAccount: 'app@acme-prod.iam.gserviceaccount.com',
    serviceAccountScopes: ['https://www.googleapis.com/auth/cloud-platform'],
    serialPortEnabled: false,
    projectSshKeysBlocked: true,
    ...extra,
  });

// ---- cost rules -----------------------------------------------------------------------------

/** The moment cost cases are judged at, unless a case says otherwise. */
export const COST_NOW = new Date('2026-11-25T00:00:00Z');

/** The metric window of every reading in the cases: the 14 days before COST_NOW, hourly. */
export const COST_WINDOW = { start: '2026-11-11T00:00:00.000Z', end: '2026-11-25T00:00:00.000Z', periodSeconds: 3600 };

/** An ISO time `n` days before COST_NOW. */
export const daysAgo = (n: number) => new Date(COST_NOW.getTime() - n * 86_400_000).toISOString();

/** A metric read over COST_WINDOW with this p95 and maximum (in Guardian's units for the metric). */
export const read = (metric: CostMetric, p95: number, max = p95): MetricReading => ({
  status: 'read',
  metric,
  cloudMetric: metric,
  unit: 'x',
  points: 336,
  p95,
  max,
  window: COST_WINDOW,
});

export type Readings = Partial<Record<CostMetric, MetricReading>>;

/** A machine doing nothing: CPU and network under the idle thresholds. */
export const idle: Readings = { cpu: read('cpu', 1), network: read('network', 200) };
/** A machine above idle but under the rightsizing threshold. */
export const underused: Readings = { cpu: read('cpu', 12), network: read('network', 90_000) };
/** A machine working hard. */
export const busy: Readings = { cpu: read('cpu', 70), network: read('network', 900_000) };

export interface CostCase {
  /** What the case shows, in a few words; it names the test. */
  name?: string;
  /** The resource the rule judges. */
  resource: Resource;
  /** The rest of the estate the rule may consult (a stopped machine's disks, a snapshot's volume). */
  others?: Resource[];
  /** The metric statistics of `resource`; a metric not given was not read ('missing', offline). */
  readings?: Readings;
  /** The moment ages are measured from; COST_NOW unless told. */
  now?: Date;
  /** Thresholds that differ from DEFAULT_THRESHOLDS. */
  thresholds?: Partial<CostThresholds>;
  /** False: every listing failed, so a resource missing from the inventory proves nothing. */
  listed?: boolean;
  /** Snapshot ids an image is built on. */
  snapshotsInUse?: string[];
}

export interface RecommendCase extends CostCase {
  /** The recommendation's action (the rule's). */
  action: RecommendationAction;
  /**
   * The monthly saving, worked out in the case from src/pricing/catalog.ts (never a literal dollar
   * figure). Without it the saving must still be priced and above zero.
   */
  saving?: Saving;
  /** Other fields the proposal must have, beyond what every proposal must (naming the resource in one sentence, evidence, a risk, the cloud CLI). */
  proposal?: Partial<Omit<Proposal, 'saving' | 'evidence'>> & { evidence?: Partial<Evidence>[] };
}

export interface UnjudgedCase extends CostCase {
  /** Why the rule could not judge (metrics missing, a listing failed): the reason it must give. */
  reason: string | RegExp;
}

export interface CostCases {
  /** Wasteful resources: a recommendation each. At least one. */
  recommend: RecommendCase[];
  /** Resources in use, or not the rule's business: no recommendation. At least one. */
  leave: CostCase[];
  /** Resources the rule cannot judge: undecided, with the reason, never a clean bill. */
  unjudged?: UnjudgedCase[];
}

/** Identity for type inference in cost cases files. */
export function defineCostCases(cases: CostCases): CostCases {
  return cases;
}

/** An EC2 instance of `type`, running unless told. */
export const ec2 = (type: string, state = 'running', extra: ResourceAttributes = {}) =>
  resource('aws.ec2.instance', { instanceType: type, ...extra }, { state });

/** An Azure VM of `size` (Linux), running unless told, with an ARM id. */
export const azureVm = (size: string, state = 'running', extra: ResourceAttributes = {}) => {
  const vm = resource('azure.compute.vm', { instanceType: size, osType: 'Linux', ...extra }, { state });
  return { ...vm, id: `/subscriptions/${vm.account}/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/${vm.name}` };
};

/** A Compute Engine instance of `type`, RUNNING unless told. */
export const gce = (type: string, state = 'RUNNING', extra: ResourceAttributes = {}) =>
  resource('gcp.compute.instance', { instanceType: type, ...extra }, { state });

/** The machine, stopped `days` days before COST_NOW. */
export const stoppedFor = (machine: Resource, days: number): Resource => ({
  ...machine,
  attributes: { ...machine.attributes, stoppedAt: daysAgo(days) },
});

/** A disk of `kind` attached to `machine`. */
export const attachedDisk = (kind: ResourceKind, attributes: ResourceAttributes, machine: Resource, overrides: Partial<Resource> = {}) =>
  resource(kind, attributes, { relations: [{ type: 'attached-to', target: machine.id }], ...overrides });

/** A snapshot of `kind`, `age` days old, of the disk or volume with id `source` (100 GB unless told). */
export const snapshotOf = (kind: ResourceKind, age: number, source: string, extra: ResourceAttributes = {}) =>
  resource(kind, { sizeGb: 100, ...extra }, { createdAt: daysAgo(age), relations: [{ type: 'snapshot-of', target: source }] });

/** A list price from src/pricing/catalog.ts as a case's expected monthly saving; hourly prices × 730 hours. */
export function priced(price: Price | undefined, per: 'hour' | 'month'): Extract<Saving, { amount: number }> {
  if (!price) throw new Error('the case asks for a price the tables do not list');
  return { amount: per === 'hour' ? price.amount * 730 : price.amount, approximate: price.approximate };
}

/** The sum of expected savings (a machine's disks, a database's instance and storage). */
export const plus = (...parts: Extract<Saving, { amount: number }>[]) => ({
  amount: parts.reduce((sum, p) => sum + p.amount, 0),
  approximate: parts.some((p) => p.approximate),
});

/** current − target. */
export const minus = (current: Extract<Saving, { amount: number }>, target: Extract<Saving, { amount: number }>) => ({
  amount: current.amount - target.amount,
  approximate: current.approximate || target.approximate,
  of: current.amount,
});
