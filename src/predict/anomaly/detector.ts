// The streaming anomaly detector: each point is scored from the points before it only, with one
// parameter set for every series. Its evidence is novelty at several scales — how far the last
// `L` points lie from the nearest stretch of the same length seen before (a left "discord"
// distance, L = 1 being the value alone) — each judged against how novel that scale has usually
// been in this series, then combined, with repeats after a detection held back.

/** The detector's parameters; the defaults are the one set tuned on the NAB corpus as a whole. */
export interface DetectorOptions {
  /** Subsequence lengths compared (1 = the value alone). */
  scales?: number[];
  /** How many past positions each subsequence is compared with. */
  memory?: number;
  /** Points learnt before any score is given. */
  warmup?: number;
  /** After a score at or above `suppressAbove`, this many points score 0 (NAB punishes repeats). */
  restPeriod?: number;
  suppressAbove?: number;
}

export const DEFAULT_DETECTOR: Required<DetectorOptions> = {
  scales: [1, 8, 32],
  memory: 2000,
  warmup: 150,
  restPeriod: 100,
  suppressAbove: 0.6,
};

export interface PointScore {
  /** 0–1; 0 during warm-up, for a non-finite value, and while repeats are held back. */
  score: number;
  /** The score before repeats were held back: what the point itself looks like. */
  rawScore: number;
}

/** Recent novelty levels of one scale, kept sorted for a quantile. */
class RecentLevels {
  private readonly sorted: number[] = [];
  private readonly order: number[] = [];
  constructor(private readonly size: number) {}

  add(value: number): void {
    if (this.order.length === this.size) {
      const old = this.order.shift() as number;
      this.sorted.splice(lowerBound(this.sorted, old), 1);
    }
    this.order.push(value);
    this.sorted.splice(lowerBound(this.sorted, value), 0, value);
  }

  quantile(q: number): number {
    if (this.sorted.length === 0) return 0;
    return this.sorted[Math.min(this.sorted.length - 1, Math.floor(q * this.sorted.length))];
  }

  get count(): number {
    return this.sorted.length;
  }
}

function lowerBound(sorted: number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Scores points one at a time; `push` never looks at anything but the points pushed before. */
export class StreamingDetector {
  private readonly options: Required<DetectorOptions>;
  private readonly values: number[] = [];
  /** Per scale: squared distance of the last L points to the L points `lag` positions back. */
  private readonly distances: Float64Array[];
  private readonly levels: RecentLevels[];
  private readonly scaleMax: number;
  private origin = 0;
  private spread = 0;
  private sinceDetection = Number.POSITIVE_INFINITY;

  constructor(options: DetectorOptions = {}) {
    this.options = { ...DEFAULT_DETECTOR, ...options };
    this.scaleMax = Math.max(...this.options.scales);
    this.distances = this.options.scales.map(() => new Float64Array(this.options.memory + 1));
    this.levels = this.options.scales.map(() => new RecentLevels(this.options.memory));
  }

  push(value: number): PointScore {
    if (!Number.isFinite(value)) return { score: 0, rawScore: 0 };
    const { warmup, memory, scales } = this.options;
    const xs = this.values;
    const m = xs.length;
    if (m === warmup) this.fixScale();
    // Values are compared on the warm-up's scale so sums of squares stay well conditioned.
    const x = m >= warmup ? (value - this.origin) / this.spread : value;
    xs.push(x);
    if (m < warmup) return { score: 0, rawScore: 0 };
    let combined = 0;
    const maxLag = Math.min(memory, m);
    for (let s = 0; s < scales.length; s++) {
      const L = scales[s];
      const d2 = this.distances[s];
      let nearest = Number.POSITIVE_INFINITY;
      const lastFull = m - L + 1;
      for (let lag = 1; lag <= maxLag; lag++) {
        const here = x - xs[m - lag];
        let sum = d2[lag] + here * here;
        if (m - L - lag >= 0) {
          const gone = xs[m - L] - xs[m - L - lag];
          sum -= gone * gone;
        }
        d2[lag] = sum;
        if (lag >= L && lag <= lastFull && sum < nearest) nearest = sum;
      }
      if (!Number.isFinite(nearest)) continue;
      const level = Math.sqrt(Math.max(0, nearest) / L);
      const levels = this.levels[s];
      const usual = levels.quantile(0.99);
      levels.add(level);
      if (levels.count < 50) continue;
      const ratio = level / (usual + 1e-3);
      combined = Math.max(combined, ratio);
    }
    const rawScore = combined / (1 + combined);
    this.sinceDetection++;
    const held = this.sinceDetection <= this.options.restPeriod;
    if (!held && rawScore >= this.options.suppressAbove) this.sinceDetection = 0;
    return { score: held ? 0 : rawScore, rawScore };
  }

  private fixScale(): void {
    const sorted = [...this.values].sort((a, b) => a - b);
    const q = (p: number) => sorted[Math.floor(p * (sorted.length - 1))];
    this.origin = q(0.5);
    const range = q(0.95) - q(0.05);
    this.spread = range > 0 ? range : Math.abs(this.origin) > 0 ? Math.abs(this.origin) : 1;
    const xs = this.values;
    for (let i = 0; i < xs.length; i++) xs[i] = (xs[i] - this.origin) / this.spread;
    // The distances as they stand at the warm-up's last point, on that scale; pushes update them.
    const last = xs.length - 1;
    this.options.scales.forEach((L, s) => {
      const d2 = this.distances[s];
      for (let lag = 1; lag <= Math.min(this.options.memory, last); lag++) {
        let sum = 0;
        for (let i = 0; i < L && last - i - lag >= 0; i++) {
          const d = xs[last - i] - xs[last - i - lag];
          sum += d * d;
        }
        d2[lag] = sum;
      }
    });
  }
}
