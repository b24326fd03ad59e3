// The shape of a chat tool: a read-only capability of Guardian with a name the model calls it by,
// a description, JSON-schema parameters (validated before it runs) and a run function over the
// session's estate. Both chat modes (the model loop and the offline interpreter) call the same tools.

import type { CostsOutcome } from '../../costs/run.js';
import type { Inventory } from '../../discovery/load.js';
import type { OptimizeOutcome } from '../../optimize/run.js';
import type { AnomaliesReport } from '../../predict/anomaly/run.js';
import type { CapacityResult } from '../../predict/capacity/run.js';
import type { PredictCostsOutcome } from '../../predict/costs/run.js';
import type { RiskResult } from '../../predict/risk/run.js';
import type { ScanReport } from '../../rules/scan.js';

/** A JSON schema object (the subset the tools use: object, string, integer, number, enum, array). */
export type JsonSchema = Record<string, unknown>;

/** What one billing read asks for; the period follows `guardian costs` (--last, --month, --from/--to; default month to date). */
export interface SpendQuery {
  groupBy?: 'service' | 'region' | 'account';
  last?: string;
  month?: string;
  from?: string;
  to?: string;
  clouds?: ('aws' | 'azure' | 'gcp')[];
  top: number;
  budget?: number;
}

/**
 * Where the tools read the estate from, once per chat session: one discovery (or the --input
 * snapshot), one scan and one optimize run, kept for the session; billing reads per question.
 */
/** What a predict tool asks the estate for (the same requests `guardian predict …` makes). */
export interface PredictQuery {
  costs: { horizonDays?: number; top: number; clouds?: ('aws' | 'azure' | 'gcp')[] };
  anomalies: { source: 'costs' | 'cpu'; sinceDays: number; top: number; clouds?: ('aws' | 'azure' | 'gcp')[] };
  capacity: { horizonDays: number; threshold: number; clouds?: ('aws' | 'azure' | 'gcp')[] };
  risk: { horizonDays: number; clouds?: ('aws' | 'azure' | 'gcp')[] };
}

export interface EstateSource {
  /** 'snapshot' with --input (billing APIs are not read then), 'live' otherwise. */
  readonly mode: 'live' | 'snapshot';
  inventory(): Promise<Inventory>;
  scan(): Promise<ScanReport>;
  optimize(): Promise<OptimizeOutcome>;
  spend(query: SpendQuery): Promise<CostsOutcome>;
  predictCosts(query: PredictQuery['costs']): Promise<PredictCostsOutcome>;
  anomalies(query: PredictQuery['anomalies']): Promise<AnomaliesReport>;
  capacity(query: PredictQuery['capacity']): Promise<CapacityResult>;
  risk(query: PredictQuery['risk']): Promise<RiskResult>;
}

export interface ToolContext {
  estate: EstateSource;
  signal: AbortSignal;
}

export interface ChatTool<Args = Record<string, unknown>> {
  /** `inventory_*`, `costs_*`, `scan_*`, `optimize_*`, `predict_*`: the capability it calls. Stable: sessions and the offline interpreter name it. */
  name: string;
  description: string;
  /** JSON schema of the arguments (an object); checked with ajv before `run`. */
  parameters: JsonSchema;
  run(args: Args, ctx: ToolContext): Promise<unknown>;
}

/** The outcome of one call: the tool's result, or the error that goes back to the model in its place. */
export type ToolOutcome = { ok: true; result: unknown } | { ok: false; error: string };
