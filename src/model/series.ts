// A numeric time series: what every predictor reads (forecasts, capacity, anomalies, risk),
// whatever it came from — a cost series, a cloud metric, a Prometheus query or a file.

import type { ResourceRef } from './metric.js';

/** One observation: epoch milliseconds (UTC) and its value. NaN marks a gap the source reported. */
export interface TimePoint {
  t: number;
  v: number;
}

export interface Series {
  /** Stable and unique within one read: e.g. `aws/123456789012/eu-west-1/i-0abc/cpu` or a Prometheus label set. */
  id: string;
  /** What a person reads in a table row. Text from clouds and files: escape before printing. */
  name: string;
  /** `USD`, `percent`, `bytes`…; absent when the source does not say. */
  unit?: string;
  /** Where it came from: labels of a Prometheus series, or the cost grouping's keys. */
  labels: Record<string, string>;
  /** The discovered resource it describes, when there is one. */
  resource?: ResourceRef;
  /** In time order, no duplicate timestamps. */
  points: TimePoint[];
}
