// GCP relations need every kind at hand: the API refers to disks, instances and networks by
// selfLink, and which firewalls protect an instance follows from network + target tags, not
// from anything on the instance. Run this over a finished discovery (pure, idempotent).

import type { Relation, Resource } from '../../model/resource.js';

function appliesTo(firewall: Resource, instance: Resource): boolean {
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
  // No target: the rule applies to every instance in the network.
  return true;
}

/**
 * Rewrite selfLink relation targets to the target's id where the target was discovered, and add
 * instance → firewall `protected-by` relations. Targets that were not discovered (networks, forwarding
 * rules, another project's disks) keep their selfLink. Mutates and returns `resources`.
 */
export function resolveGcpRelations(resources: Resource[]): Resource[] {
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
      // Matching by network selfLink also finds a shared VPC's firewalls, which live in the host project.
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
