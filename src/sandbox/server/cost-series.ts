// The true cost series a running server answers every billing API from (Cost Explorer, Cost
// Management, the BigQuery billing export), built once on first use.

import { costSeries, type TrueCostSeries } from '../estate/costs.js';
import { type SandboxState, serverSlot } from './state.js';

/**
 * Billing history, so it does not follow later changes to the estate (a volume deleted today was
 * still billed last month): a server slot, not an estate one.
 */
const COST_SERIES = serverSlot('costs.series', ({ estate }) => costSeries(estate));

export function cachedCostSeries(state: SandboxState): TrueCostSeries {
  return state.get(COST_SERIES);
}
