// GCP's post-run relations resolved the streaming way (observe each resource as it arrives,
// resolve each one from a spool afterwards) must equal the whole-array resolution the snapshot
// used to get, on resources listed through the real Compute client from the sandbox.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { relationIndexes } from '../../src/discovery/relations.js';
import type { Relation, Resource } from '../../src/model/resource.js';
import { createGcpProvider } from '../../src/providers/gcp/index.js';
import { GcpRelationIndex, resolveGcpRelations } from '../../src/providers/gcp/relations.js';
import { generateEstate } from '../../src/sandbox/estate/generate.js';
import type { Estate } from '../../src/sandbox/estate/types.js';
import { buildGcpEstate, type GcpSandbox, startGcpSandbox } from './gcp-fixture.js';

const signal = new AbortController().signal;

/** The whole-array resolution as it was before streaming, kept verbatim as the oracle. */
function previousResolve(resources: Resource[]): Resource[] {
  const appliesTo = (firewall: Resource, instance: Resource): boolean => {
    const attributes = firewall.attributes;
    if (attributes.direction !== 'INGRESS' || attributes.disabled === true) return false;
    const targetTags = (attributes.targetTags as string[] | undefined) ?? [];
    const targetAccounts = (attributes.targetServiceAccounts as string[] | undefined) ?? [];
    if (targetTags.length > 0) {
      const tags = (instance.attributes.networkTags as string[] | undefined) ?? [];
      return targetTags.some((tag) => tags.includes(tag));
    }
    if (targetAccounts.length > 0)
      return instance.attributes.serviceAccount !== undefined && targetAccounts.includes(instance.attributes.serviceAccount);
    return true;
  };
  const idByLink = new Map<string, string>();
  const firewallsByNetwork = new Map<string, Resource[]>();
  for (const resource of resources) {
    if (resource.cloud !== 'gcp') continue;
    const link = resource.attributes.selfLink;
    if (typeof link === 'string') idByLink.set(link, resource.id);
    const network = resource.relations.find((relation) => relation.type === 'in-network')?.target;
    if (resource.kind === 'gcp.compute.firewall' && network) {
      const list = firewallsByNetwork.get(network) ?? [];
      list.push(resource);
      firewallsByNetwork.set(network, list);
    }
  }
  for (const resource of resources) {
    if (resource.cloud !== 'gcp') continue;
    const relations: Relation[] = resource.relations
      .filter((relation) => relation.type !== 'protected-by')
      .map((relation) => ({ type: relation.type, target: idByLink.get(relation.target) ?? relation.target }));
    if (resource.kind === 'gcp.compute.instance') {
      for (const network of (resource.attributes.networks as string[] | undefined) ?? []) {
        for (const firewall of firewallsByNetwork.get(network) ?? []) {
          if (appliesTo(firewall, resource)) relations.push({ type: 'protected-by', target: firewall.id });
        }
      }
    }
    resource.relations = relations;
  }
  return resources;
}

/** Every GCP resource of the estate as the provider lists it, instances first (before the firewalls that protect them). */
async function listed(estate: Estate): Promise<Resource[]> {
  const sandbox: GcpSandbox = await startGcpSandbox(estate);
  const gcp = createGcpProvider({ keyFile: sandbox.keyFile, endpoint: sandbox.origin, projects: estate.gcp.projects.map((p) => p.id) }, {});
  try {
    const { scopes } = await gcp.listScopes({ signal });
    const resources: Resource[] = [];
    for (const spec of gcp.kinds) {
      for (const scope of scopes) {
        let token: string | undefined;
        do {
          const page = await spec.listPage(scope, token, { signal, raw: false });
          resources.push(...page.resources);
          token = page.next;
        } while (token);
      }
    }
    return resources;
  } finally {
    await gcp.close();
    await sandbox.close();
  }
}

describe.each([
  { name: 'the hand-built estate', estate: () => buildGcpEstate(40) },
  { name: 'a generated estate (seed 7, size 6000)', estate: () => generateEstate({ seed: 7, size: 6000, now: '2026-01-15' }) },
])('GCP relations over $name', ({ estate }) => {
  let resources: Resource[];
  let expected: Resource[];

  beforeAll(async () => {
    resources = await listed(estate());
    expected = previousResolve(structuredClone(resources));
  }, 120_000);

  afterAll(() => {
    resources = [];
  });

  it('has instances protected by firewalls and selfLinks to resolve', () => {
    expect(expected.some((r) => r.kind === 'gcp.compute.instance' && r.relations.some((x) => x.type === 'protected-by'))).toBe(true);
    expect(resources.some((r) => r.relations.some((x) => x.target.startsWith('http')))).toBe(true);
    expect(expected).not.toEqual(resources);
  });

  it('resolves page by page through a spool exactly as the whole array was resolved', () => {
    const index = relationIndexes(['aws', 'gcp']).get('gcp') as GcpRelationIndex;
    expect(relationIndexes(['aws', 'azure']).size).toBe(0);
    // What the snapshot writer does: observe as the resources arrive, spool them as JSON, resolve afterwards.
    const spool: string[] = [];
    for (const resource of structuredClone(resources)) {
      index.observe(resource);
      spool.push(JSON.stringify(resource));
    }
    const resolved = spool.map((line) => index.resolve(JSON.parse(line) as Resource));
    expect(resolved).toEqual(expected);
  });

  it('keeps the whole-array form identical, and idempotent', () => {
    const once = resolveGcpRelations(structuredClone(resources));
    expect(once).toEqual(expected);
    expect(resolveGcpRelations(once)).toEqual(expected);
    const index = new GcpRelationIndex();
    for (const resource of expected) index.observe(resource);
    expect(expected.map((r) => index.resolve(structuredClone(r)))).toEqual(expected);
  });
});
