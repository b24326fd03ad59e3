// An anomaly: one point of a series that the streaming detector (src/predict) judged abnormal,
// scored from the points before it only. `predict anomalies`, `predict risk`, chat and watch
// all read this shape.

export interface Anomaly {
  /** The `Series.id` it was found in. */
  seriesId: string;
  /** The series' display name (from clouds or files: escape before printing). */
  seriesName: string;
  /** Epoch milliseconds of the point. */
  t: number;
  value: number;
  /** What the detector expected at `t` from the past, and the spread around it (same unit). */
  expected: number;
  spread: number;
  /** 0–1: how abnormal; the detector flags points at or above its threshold. */
  score: number;
  /** One line a person can act on, e.g. "+240% against the expected 112 ± 18 for a Tuesday". */
  reason: string;
}
