// What a rule's cases file declares, and builders for the resources in it. Every rule file
// src/rules/<category>/<cloud>/<slug>.ts has a sibling <slug>.cases.ts exporting `cases`;
// test/unit/rule-cases.test.ts runs each case through the engine (runRules) and fails a rule
// with no failing or no passing case. Cases are test data: the build leaves this file and every
// *.cases.ts out of dist (tsconfig.build.json), the catalog never loads them as rules, and no
// shipped module may import them (.dependency-cruiser.cjs).

import type { Finding } from '../model/finding.js';
import type { Resource, ResourceAttributes, ResourceKind } from '../model/resource.js';

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
