// The streaming anomaly detector: each point is scored from the points before it only, with one
// parameter set for every series. Two stages. Novelty: at several scales L, how far the last L
// points lie from the nearest stretch of L points seen before (a left "discord" distance; L = 1
// is the value alone). Judgement: each scale's novelty against how novel that scale has usually
// been in this series, the scales combined, and repeats after a detection held back (NAB rewards
// the earliest point of an anomaly and punishes every repeat).

/** The detector's parameters; the defaults are the one set tuned on the NAB corpus as a whole. */
export interface DetectorOptions {
  /** Subsequence lengths compared (1 = the value alone). */
  scales?: number[];
  /** How many past positions each subsequence is compared with. */
  memory?: number;
  /** Points learnt before any score is given. */
  warmup?: number;
  /** Novelty is judged against this quantile of the scale's past novelty… */
  quantile?: number;
  /** …over this many past points, once there are `minLevels` of them. */
  levelMemory?: number;
  minLevels?: number;
  /**
   * When set, judge against the k-th largest past level instead of the quantile, k growing with
   * the levels seen (`rankFraction` of them) up to `topRank`: a young series is judged against
   * the most novel point it has seen, an old one against its tenth most.
   */
  topRank?: number;
  rankFraction?: number;
  /** Novelty below this (in units of the warm-up's 5–95% range) is never news. */
  floor?: number;
  /** A point scores only when more abnormal than every point in the `restPeriod` before it. */
  restPeriod?: number;
}

export const DEFAULT_DETECTOR: Required<DetectorOptions> = {
  scales: [1, 8, 32],
  memory: 2000,
  warmup: 30,
  quantile: 0.995,
  levelMemory: 5000,
  minLevels: 20,
  topRank: 10,
  rankFraction: 0.02,
  floor: 1e-3,
  restPeriod: 100,
};

export interface PointScore {
  /** 0–1; 0 during warm-up, for a non-finite value, and while repeats are held back. */
  score: number;
  /** The score before repeats were held back: what the point itself looks like. */
  rawScore: number;
  /** False during the warm-up and for a non-finite value: the point was not judged. */
  ready: boolean;
}

/**
 * Stage one: per scale, the distance from the newest L points to their nearest match among the
 * last `memory` positions (trivial matches, lags under L, excluded), as a root mean square in
 * units of the warm-up's range. Incremental: each lag's sum of squares is updated in O(1).
 */
export class NoveltyLevels {
  private readonly values: number[] = [];
  private readonly distances: Float64Array[];
  private origin = 0;
  private spread = 1;
  private readonly keep: number;

  constructor(
    private readonly scales: number[],
    private readonly memory: number,
    private readonly warmup: number,
  ) {
    this.distances = scales.map(() => new Float64Array(memory + 1));
    this.keep = Math.max(memory + Math.max(...scales) + 1, warmup);
  }

  /** The levels for the new point (NaN for a scale with no full match yet), or undefined in warm-up. */
  push(value: number): number[] | undefined {
    const xs = this.values;
    const m = xs.length;
    if (m === this.warmup) this.fixScale();
    if (m < this.warmup) {
      xs.push(value);
      return undefined;
    }
    const x = (value - this.origin) / this.spread;
    xs.push(x);
    const maxLag = Math.min(this.memory, m);
    const levels: number[] = [];
    for (let s = 0; s < this.scales.length; s++) {
      const L = this.scales[s];
      const d2 = this.distances[s];
      let nearest = Number.POSITIVE_INFINITY;
      const lastFull = m - L + 1;
      const out = m - L;
      const gone = out >= 0 ? xs[out] : 0;
      for (let lag = 1; lag <= maxLag; lag++) {
        const here = x - xs[m - lag];
        let sum = d2[lag] + here * here;
        if (out - lag >= 0) {
          const old = gone - xs[out - lag];
          sum -= old * old;
        }
        d2[lag] = sum;
        if (lag >= L && lag <= lastFull && sum < nearest) nearest = sum;
      }
      levels.push(Number.isFinite(nearest) ? Math.sqrt(Math.max(0, nearest) / L) : Number.NaN);
    }
    // Every index above is relative to the newest value, and none reaches back past memory + max(L):
    // older values can go.
    if (xs.length > 2 * this.keep) xs.splice(0, xs.length - this.keep);
    return levels;
  }

  /** At the end of the warm-up: centre and scale the values by its median and 5–95% range. */
  private fixScale(): void {
    const xs = this.values;
    const sorted = [...xs].sort((a, b) => a - b);
    const q = (p: number) => sorted[Math.floor(p * (sorted.length - 1))];
    this.origin = q(0.5);
    const range = q(0.95) - q(0.05);
    this.spread = range > 0 ? range : Math.abs(this.origin) > 0 ? Math.abs(this.origin) : 1;
    for (let i = 0; i < xs.length; i++) xs[i] = (xs[i] - this.origin) / this.spread;
    // The sums as they stand at the warm-up's last point; pushes update them from here.
    const last = xs.length - 1;
    this.scales.forEach((L, s) => {
      const d2 = this.distances[s];
      for (let lag = 1; lag <= Math.min(this.memory, last); lag++) {
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

/** Recent novelty levels of one scale, kept sorted for a quantile. */
class RecentLevels {
  private readonly sorted: number[] = [];
  private readonly order: number[] = [];
  private head = 0;
  constructor(private readonly size: number) {}

  add(value: number): void {
    if (this.order.length - this.head === this.size) {
      const old = this.order[this.head++];
      this.sorted.splice(lowerBound(this.sorted, old), 1);
      if (this.head > 4096) {
        this.order.splice(0, this.head);
        this.head = 0;
      }
    }
    this.order.push(value);
    this.sorted.splice(lowerBound(this.sorted, value), 0, value);
  }

  /** The k-th largest (1 = the largest). */
  top(k: number): number {
    if (this.sorted.length === 0) return 0;
    return this.sorted[Math.max(0, this.sorted.length - k)];
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

/** Stage two: novelty levels in, a 0–1 score out. */
export class NoveltyJudge {
  private readonly history: RecentLevels[];
  private readonly recent: number[] = [];

  constructor(
    scales: number,
    private readonly options: Required<DetectorOptions>,
  ) {
    this.history = Array.from({ length: scales }, () => new RecentLevels(options.levelMemory));
  }

  judge(levels: number[]): { score: number; rawScore: number } {
    const { quantile, minLevels, floor, restPeriod } = this.options;
    let ratio = 0;
    for (let s = 0; s < levels.length; s++) {
      const level = levels[s];
      if (Number.isNaN(level)) continue;
      const history = this.history[s];
      const { topRank, rankFraction } = this.options;
      const k = Math.min(topRank, Math.max(1, Math.floor(history.count * rankFraction)));
      const usual = topRank > 0 ? history.top(k) : history.quantile(quantile);
      const enough = history.count >= minLevels;
      history.add(level);
      if (enough) ratio = Math.max(ratio, level / (usual + floor));
    }
    const rawScore = ratio / (1 + ratio);
    let prior = 0;
    for (const r of this.recent) if (r > prior) prior = r;
    this.recent.push(rawScore);
    if (this.recent.length > restPeriod) this.recent.shift();
    return { score: rawScore > prior ? rawScore : 0, rawScore };
  }
}

/** Scores points one at a time; `push` never looks at anything but the points pushed before. */
export class StreamingDetector {
  private readonly novelty: NoveltyLevels;
  private readonly judge: NoveltyJudge;

  constructor(options: DetectorOptions = {}) {
    const all = { ...DEFAULT_DETECTOR, ...options };
    this.novelty = new NoveltyLevels(all.scales, all.memory, all.warmup);
    this.judge = new NoveltyJudge(all.scales.length, all);
  }

  push(value: number): PointScore {
    if (!Number.isFinite(value)) return { score: 0, rawScore: 0, ready: false };
    const levels = this.novelty.push(value);
    if (levels === undefined) return { score: 0, rawScore: 0, ready: false };
    return { ...this.judge.judge(levels), ready: true };
  }
}
