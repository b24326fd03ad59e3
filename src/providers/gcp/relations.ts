// GCP relations need other kinds at hand: the API refers to disks, instances and networks by
// selfLink, and which firewalls protect an instance follows from network + target tags, not
// from anything on the instance. The index observes each resource as discovery streams it
// (keeping only selfLink → id and each network's firewall targets) and resolves each one
// afterwards, so a run never holds every GCP resource. Pure and SDK-free: the discovery run
// imports it directly on the main thread.

import type { Relation, Resource } from '../../model/resource.js';

/** What deciding "does this firewall protect that instance" needs of an enabled ingress firewall. */
interface FirewallTarget {
  id: string;
  targetTags: string[];
  targetServiceAccounts: string[];
}

function appliesTo(firewall: FirewallTarget, instance: Resource): boolean {
  if (firewall.targetTags.length > 0) {
    const tags = (instance.attributes.networkTags as string[] | undefined) ?? [];
    return firewall.targetTags.some((tag) => tags.includes(tag));
  }
  if (firewall.targetServiceAccounts.length > 0)
    return instance.attributes.serviceAccount !== undefined && firewall.targetServiceAccounts.includes(instance.attributes.serviceAccount);
  // No target: the rule applies to every instance in the network.
  return true;
}

export class GcpRelationIndex {
  readonly #idByLink = new Map<string, string>();
  readonly #firewallsByNetwork = new Map<string, FirewallTarget[]>();

  /** Remember what other resources' relations need of this one. Call for every resource before resolving any. */
  observe(resource: Resource): void {
    if (resource.cloud !== 'gcp') return;
    const link = resource.attributes.selfLink;
    if (typeof link === 'string') this.#idByLink.set(link, resource.id);
    if (resource.kind !== 'gcp.compute.firewall') return;
    const network = resource.relations.find((relation) => relation.type === 'in-network')?.target;
    const attributes = resource.attributes;
    if (!network || attributes.direction !== 'INGRESS' || attributes.disabled === true) return;
    const list = this.#firewallsByNetwork.get(network) ?? [];
    list.push({
      id: resource.id,
      targetTags: (attributes.targetTags as string[] | undefined) ?? [],
      targetServiceAccounts: (attributes.targetServiceAccounts as string[] | undefined) ?? [],
    });
    this.#firewallsByNetwork.set(network, list);
  }

  /**
   * Rewrite selfLink relation targets to the target's id where the target was discovered, and add
   * instance → firewall `protected-by` relations. Targets that were not discovered (networks, forwarding
   * rules, another project's disks) keep their selfLink. Idempotent; mutates and returns `resource`.
   */
  resolve(resource: Resource): Resource {
    if (resource.cloud !== 'gcp') return resource;
    const relations: Relation[] = resource.relations
      .filter((relation) => relation.type !== 'protected-by')
      .map((relation) => ({ type: relation.type, target: this.#idByLink.get(relation.target) ?? relation.target }));
    if (resource.kind === 'gcp.compute.instance') {
      // Matching by network selfLink also finds a shared VPC's firewalls, which live in the host project.
      for (const network of (resource.attributes.networks as string[] | undefined) ?? []) {
        for (const firewall of this.#firewallsByNetwork.get(network) ?? []) {
          if (appliesTo(firewall, resource)) relations.push({ type: 'protected-by', target: firewall.id });
        }
      }
    }
    resource.relations = relations;
    return resource;
  }
}

/** The whole-array form, for callers that hold every resource anyway. Mutates and returns `resources`. */
export function resolveGcpRelations(resources: Resource[]): Resource[] {
  const index = new GcpRelationIndex();
  for (const resource of resources) index.observe(resource);
  for (const resource of resources) index.resolve(resource);
  return resources;
}
