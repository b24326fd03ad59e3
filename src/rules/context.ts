// The read-only view of the scanned estate a rule may consult: lookups by id and by relation,
// built once per scan so a rule never walks the whole inventory.

import type { RelationType, Resource } from '../model/resource.js';
import type { RuleContext } from './rule.js';

/** Tier tag values whose resources must not be reachable from the Internet. */
export const SENSITIVE_TIERS = new Set(['data', 'db', 'database']);

function tierOf(resource: Resource): string | undefined {
  for (const [key, value] of Object.entries(resource.tags)) {
    if (key.toLowerCase() === 'tier') return value.toLowerCase();
  }
  return undefined;
}

export function createRuleContext(resources: readonly Resource[]): RuleContext {
  // Both indexes are built on first use: most rules never look past the resource they judge.
  let byId: Map<string, Resource> | undefined;
  const idIndex = () => {
    if (byId) return byId;
    byId = new Map();
    for (const resource of resources) byId.set(resource.id, resource);
    return byId;
  };
  let referrers: Map<string, Resource[]> | undefined;
  const referrerIndex = () => {
    if (referrers) return referrers;
    referrers = new Map();
    for (const resource of resources) {
      for (const relation of resource.relations) {
        const key = `${relation.type}|${relation.target}`;
        const list = referrers.get(key);
        if (list) list.push(resource);
        else referrers.set(key, [resource]);
      }
    }
    return referrers;
  };
  return {
    byId: (id) => idIndex().get(id),
    related(resource: Resource, type: RelationType) {
      const found: Resource[] = [];
      for (const relation of resource.relations) {
        if (relation.type !== type) continue;
        const target = idIndex().get(relation.target);
        if (target) found.push(target);
      }
      return found;
    },
    referrers: (resource, type) => referrerIndex().get(`${type}|${resource.id}`) ?? [],
    isSensitiveTier: (resource) => {
      const tier = tierOf(resource);
      return tier !== undefined && SENSITIVE_TIERS.has(tier);
    },
    isDefaultSecurityGroup: (resource) =>
      resource.kind === 'aws.ec2.security-group' &&
      (resource.attributes.isDefault === true || (resource.attributes.isDefault === undefined && resource.name === 'default')),
  };
}
