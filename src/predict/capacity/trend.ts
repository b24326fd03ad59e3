// The robust trend arithmetic under `predict capacity`, pure: the Theil–Sen line (the median of
// every pairwise slope, which one outlier in three cannot move) with Sen's rank interval for its
// slope, and the detection of resets (a clean-up that frees a disk), after which only the points
// since the last one are fitted. Times are in days, values in the series' unit.
// Sen, "Estimates of the regression coefficient based on Kendall's tau", JASA 63 (1968).

export interface XY {
  x: number;
  y: number;
}

export interface SenLine {
  slope: number;
  /** The line's value at x = 0. */
  intercept: number;
  /** Sen's interval for the slope at the confidence asked for (independent points, widened for autocorrelation). */
  slopeLow: number;
  slopeHigh: number;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** The normal quantile for a two-sided interval (Acklam's rational approximation; 1e-9 is ample here). */
export function normalQuantile(p: number): number {
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  if (p > 1 - low) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) /
    (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
  );
}

/**
 * The Theil–Sen line through at least two points with distinct x. Sen's interval counts the
 * pairwise slopes between the ranks (N ∓ z·√Var S)/2, Var S = n(n−1)(2n+5)/18; disk levels drift
 * slowly, so neighbouring residuals are correlated and the interval is widened by
 * √((1+ρ)/(1−ρ)) for the residuals' lag-1 autocorrelation ρ (0 ≤ ρ ≤ 0.9), as for n_eff.
 */
export function theilSen(points: readonly XY[], confidence = 0.95): SenLine {
  const slopes: number[] = [];
  for (let i = 0; i < points.length; i++)
    for (let j = i + 1; j < points.length; j++) {
      const dx = points[j].x - points[i].x;
      if (dx !== 0) slopes.push((points[j].y - points[i].y) / dx);
    }
  if (slopes.length === 0) throw new RangeError('theilSen needs two points with different x');
  slopes.sort((a, b) => a - b);
  const slope = median(slopes);
  const intercept = median(points.map((p) => p.y - slope * p.x));
  const residuals = points.map((p) => p.y - (intercept + slope * p.x));
  const rho = Math.min(0.9, Math.max(0, lag1(residuals)));
  const n = points.length;
  const z = normalQuantile(1 - (1 - confidence) / 2);
  const c = z * Math.sqrt((n * (n - 1) * (2 * n + 5)) / 18) * Math.sqrt((1 + rho) / (1 - rho));
  const total = slopes.length;
  const lowRank = Math.max(0, Math.floor((total - c) / 2));
  const highRank = Math.min(total - 1, Math.ceil((total + c) / 2));
  return { slope, intercept, slopeLow: slopes[lowRank], slopeHigh: slopes[highRank] };
}

function lag1(values: readonly number[]): number {
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  let num = 0;
  let den = 0;
  for (let i = 0; i < values.length; i++) {
    const d = values[i] - mean;
    den += d * d;
    if (i > 0) num += d * (values[i - 1] - mean);
  }
  return den === 0 ? 0 : num / den;
}

/** The line's intercept when its slope is forced to `slope` (the interval's ends pivot around the data). */
export function interceptFor(points: readonly XY[], slope: number): number {
  return median(points.map((p) => p.y - slope * p.x));
}

/**
 * At most `buckets` points: each bucket of consecutive points (equal time spans) becomes its
 * median value at its median time. A month of 5-minute points is 8,640; Theil–Sen is quadratic.
 */
export function thin(points: readonly XY[], buckets: number): XY[] {
  if (points.length <= buckets) return [...points];
  const first = points[0].x;
  const span = points.at(-1)!.x - first || 1;
  const groups: XY[][] = Array.from({ length: buckets }, () => []);
  for (const p of points) groups[Math.min(buckets - 1, Math.floor(((p.x - first) / span) * buckets))].push(p);
  return groups.filter((g) => g.length > 0).map((g) => ({ x: median(g.map((p) => p.x)), y: median(g.map((p) => p.y)) }));
}

export interface ResetOptions {
  /** Points compared on each side of a candidate drop (their medians, so up to half of them may be outliers). */
  window?: number;
  /** The smallest drop that counts, in the series' unit (also at least 6 robust standard deviations of the point-to-point change). */
  minDrop?: number;
}

/**
 * The index of the first point after the last reset: a sustained drop, where the median of the
 * `window` points from i on is below the median of the `window` points before i by more than the
 * drop threshold. Of a run of such indices the one with the steepest single step is the reset.
 * 0 when there was none. A lone low or high outlier moves neither median.
 */
export function lastReset(values: readonly number[], options: ResetOptions = {}): number {
  const k = options.window ?? 5;
  if (values.length < 2 * k) return 0;
  const diffs = values.slice(1).map((v, i) => v - values[i]);
  const centre = median(diffs);
  const noise = 1.4826 * median(diffs.map((d) => Math.abs(d - centre)));
  const threshold = Math.max(options.minDrop ?? 5, 6 * noise);
  let reset = 0;
  let best = 0;
  let inRun = false;
  for (let i = k; i <= values.length - k; i++) {
    const drop = median(values.slice(i - k, i)) - median(values.slice(i, i + k));
    if (drop >= threshold) {
      const step = values[i - 1] - values[i];
      if (!inRun || step > best) {
        reset = i;
        best = step;
      }
      inRun = true;
    } else inRun = false;
  }
  return reset;
}
