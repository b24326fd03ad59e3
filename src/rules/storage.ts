// What the snapshot cost rules of the three clouds share: a snapshot older than the threshold whose
// source volume or disk is gone from an inventory that listed that kind completely.

import type { Resource, ResourceKind } from '../model/resource.js';
import { type CostContext, type CostVerdict, daysSince, fact, NONE, recommend, type Saving } from './cost.js';
import { label } from './rule.js';

export interface OrphanSpec {
  noun: string;
  sourceKind: ResourceKind;
  saving: Saving;
  cli: string[];
}

export function orphanedSnapshot(snapshot: Resource, context: CostContext, spec: OrphanSpec): CostVerdict {
  const age = daysSince(snapshot.createdAt, context.now);
  if (age === undefined || age <= context.thresholds.snapshotAgeDays) return NONE;
  const source = snapshot.relations.find((r) => r.type === 'snapshot-of')?.target;
  // No source recorded (a copied or imported snapshot): nothing says it is an orphan.
  if (!source || context.byId(source)) return NONE;
  // GCP snapshots are global: their disk may be in any zone of the project.
  const region = snapshot.region === 'global' ? undefined : snapshot.region;
  if (!context.listed(spec.sourceKind, snapshot.account, region))
    return {
      status: 'undecided',
      reason: `the ${spec.sourceKind} listing of ${snapshot.account} failed: cannot tell whether ${source} is gone`,
    };
  if (context.snapshotInUse(snapshot.id)) return NONE;
  return recommend({
    summary: `Delete ${label(spec.noun, snapshot)}: it is ${age} days old and its source ${source} no longer exists.`,
    saving: spec.saving,
    evidence: [fact(`created ${snapshot.createdAt} (${age} days ago)`), fact(`source ${source} is not in the inventory`)],
    risk: 'The data in it is lost for good once deleted; keep it if anyone may need to restore that old state. Priced at its full size: incremental snapshots may bill less.',
    cli: spec.cli,
  });
}
