// The true cost series a running server answers every billing API from (Cost Explorer, Cost
// Management, the BigQuery billing export), built once on first use, with Cost Explorer's
// resource-level split of its AWS lines built from the same estate at the same moment.

import { costSeries, type TrueCostSeries } from '../estate/costs.js';
import {
  type ResourceBillingManifest,
  type ResourceCostSplit,
  resourceBillingManifest,
  resourceCostSplit,
} from '../estate/resource-costs.js';
import { type SandboxState, serverSlot } from './state.js';

/**
 * Billing history, so it does not follow later changes to the estate (a volume deleted today was
 * still billed last month): a server slot, not an estate one.
 */
const COST_SERIES = serverSlot('costs.series', ({ estate }) => {
  const series = costSeries(estate);
  const split = resourceCostSplit(estate, series);
  return {
    series,
    split,
    manifest: undefined as ResourceBillingManifest | undefined,
    estate: { ...estate, resources: [...estate.resources] },
  };
});

export function cachedCostSeries(state: SandboxState): TrueCostSeries {
  return state.get(COST_SERIES).series;
}

export function cachedResourceSplit(state: SandboxState): ResourceCostSplit {
  return state.get(COST_SERIES).split;
}

export function cachedResourceBilling(state: SandboxState): ResourceBillingManifest {
  const entry = state.get(COST_SERIES);
  entry.manifest ??= resourceBillingManifest(entry.estate, entry.series, entry.split);
  return entry.manifest;
}
