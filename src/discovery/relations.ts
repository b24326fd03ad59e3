// Relations that can only be resolved once a cloud's other resources have been seen (GCP:
// selfLink targets → ids, instance → firewall `protected-by`). Keyed by cloud and kept apart
// from the provider objects, which may run in worker threads behind a proxy: the resolvers are
// pure, import no SDK, and run on the main thread beside the snapshot writer.

import type { RelationIndex } from '../model/discovery.js';
import type { Cloud } from '../model/resource.js';
import { GcpRelationIndex } from '../providers/gcp/relations.js';

const RESOLVERS: Partial<Record<Cloud, () => RelationIndex>> = {
  gcp: () => new GcpRelationIndex(),
};

/** A fresh index for each of `clouds` that has post-run relations. */
export function relationIndexes(clouds: readonly Cloud[]): Map<Cloud, RelationIndex> {
  const indexes = new Map<Cloud, RelationIndex>();
  for (const cloud of clouds) {
    const create = RESOLVERS[cloud];
    if (create) indexes.set(cloud, create());
  }
  return indexes;
}
