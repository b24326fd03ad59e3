// Lookup tables over an estate, built once per server so every request is a map lookup.

import type { Estate, EstateResource } from '../estate/types.js';

export interface EstateIndex {
  byId: Map<string, EstateResource>;
  /** key: `${kind}|${account}|${region}` → resources in estate order. */
  byScope: Map<string, EstateResource[]>;
  /** key: `${kind}|${account}` → resources in estate order (all regions). */
  byAccount: Map<string, EstateResource[]>;
}

export function indexEstate(estate: Estate): EstateIndex {
  const byId = new Map<string, EstateResource>();
  const byScope = new Map<string, EstateResource[]>();
  const byAccount = new Map<string, EstateResource[]>();
  const push = (map: Map<string, EstateResource[]>, key: string, resource: EstateResource) => {
    const list = map.get(key);
    if (list) list.push(resource);
    else map.set(key, [resource]);
  };
  for (const resource of estate.resources) {
    byId.set(resource.id, resource);
    push(byScope, `${resource.kind}|${resource.account}|${resource.region}`, resource);
    push(byAccount, `${resource.kind}|${resource.account}`, resource);
  }
  return { byId, byScope, byAccount };
}
