// The Numenta Anomaly Benchmark's scoring, as NAB's own sweeper defines it (Lavin & Ahmad 2015;
// numenta/NAB `nab/sweeper.py`, `nab/optimizer.py`, `nab/runner.py`): each row gets a weight from
// where it falls against the labelled windows (a scaled sigmoid), one threshold is chosen for the
// whole corpus, and the raw total is normalised between the null and the perfect detector.
// Pure: bench/nab.js reads the files and calls these.

/** A profile's cost matrix (NAB's `config/profiles.json`). */
export interface NabProfile {
  tpWeight: number;
  fpWeight: number;
  fnWeight: number;
}

export const NAB_PROFILES: Record<'standard' | 'reward_low_FP_rate' | 'reward_low_FN_rate', NabProfile> = {
  standard: { tpWeight: 1.0, fpWeight: 0.11, fnWeight: 1.0 },
  reward_low_FP_rate: { tpWeight: 1.0, fpWeight: 0.22, fnWeight: 1.0 },
  reward_low_FN_rate: { tpWeight: 1.0, fpWeight: 0.11, fnWeight: 2.0 },
};

/** NAB ignores the first 15% of every file (at most 750 rows): the detector's time to learn. */
export const PROBATION_PERCENT = 0.15;

/** One data file: its row timestamps (any comparable numbers, e.g. epoch ms) and its labelled windows. */
export interface NabFile {
  name: string;
  timestamps: number[];
  /** [first, last] timestamps of each window, in time order; both are row timestamps. */
  windows: Array<[number, number]>;
}

/** A row as the sweep sees it: its anomaly score, its weight if flagged, and the window it is in. */
export interface SweptRow {
  anomalyScore: number;
  sweepScore: number;
  /** `file|start` inside a window, null outside, 'probationary' in the learning period. */
  window: string | null;
}

export interface ThresholdScore {
  threshold: number;
  score: number;
  tp: number;
  tn: number;
  fp: number;
  fn: number;
}

const PROBATIONARY = 'probationary';

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/**
 * The weight of a detection at a position relative to a window: -1 is the window's first row
 * (≈0.987), 0 its right edge (0), positive values are rows after it, down to -1 from 3 on.
 */
export function scaledSigmoid(relativePosition: number): number {
  if (relativePosition >= 3.0) return -1.0;
  return 2 * sigmoid(-5 * relativePosition) - 1.0;
}

export function probationaryLength(rows: number, percent = PROBATION_PERCENT): number {
  return Math.min(Math.floor(percent * rows), percent * 5000);
}

/** Each row's weight were it flagged: NAB's calcSweepScore. */
export function sweepFile(file: NabFile, anomalyScores: ArrayLike<number>, profile: NabProfile, percent = PROBATION_PERCENT): SweptRow[] {
  const { timestamps } = file;
  if (timestamps.length !== anomalyScores.length) {
    throw new Error(`${file.name}: ${anomalyScores.length} anomaly scores for ${timestamps.length} rows`);
  }
  const indexOf = new Map<number, number>();
  timestamps.forEach((t, i) => {
    if (!indexOf.has(t)) indexOf.set(t, i);
  });
  const windows = [...file.windows];
  const maxTP = scaledSigmoid(-1.0);
  const probation = probationaryLength(timestamps.length, percent);
  const rows: SweptRow[] = [];
  let current: { name: string; end: number; right: number; width: number } | undefined;
  let previous: { right: number; width: number } | undefined;
  for (let i = 0; i < timestamps.length; i++) {
    const t = timestamps[i];
    if (windows.length > 0 && t === windows[0][0]) {
      const [start, end] = windows.shift() as [number, number];
      const left = indexOf.get(start) as number;
      const right = indexOf.get(end);
      if (right === undefined) throw new Error(`${file.name}: window end ${end} is not a row`);
      current = { name: `${file.name}|${start}`, end, right, width: right - left + 1 };
    }
    let sweepScore: number;
    if (current) {
      const position = -(current.right - i + 1) / current.width;
      sweepScore = (scaledSigmoid(position) * profile.tpWeight) / maxTP;
    } else {
      const position = previous ? Math.abs(previous.right - i) / (previous.width - 1) : 3.0;
      sweepScore = scaledSigmoid(position) * profile.fpWeight;
    }
    rows.push({ anomalyScore: anomalyScores[i], sweepScore, window: i >= probation ? (current?.name ?? null) : PROBATIONARY });
    if (current && t === current.end) {
      previous = { right: i, width: current.width };
      current = undefined;
    }
  }
  if (windows.length > 0) throw new Error(`${file.name}: window start ${windows[0][0]} is not a row`);
  return rows;
}

/**
 * The score at every distinct threshold, highest first: NAB's calcScoreByThreshold. A threshold
 * flags the rows scored at or above it; a window counts once, by its best (earliest) detection;
 * every false positive counts.
 */
export function scoreByThreshold(swept: SweptRow[], profile: NabProfile): ThresholdScore[] {
  // A stable sort, highest anomaly score first, as Python's sorted(reverse=True) is.
  const rows = swept.filter((r) => r.window !== PROBATIONARY).sort((a, b) => b.anomalyScore - a.anomalyScore);
  const windowScores = new Map<string, number>();
  for (const r of rows) if (r.window !== null) windowScores.set(r.window, -profile.fnWeight);
  let windowTotal = -profile.fnWeight * windowScores.size;
  let fpTotal = 0;
  let tn = rows.filter((r) => r.window === null).length;
  let fn = rows.length - tn;
  let tp = 0;
  let fp = 0;
  const out: ThresholdScore[] = [];
  let threshold = 1.1;
  for (const r of rows) {
    if (r.anomalyScore !== threshold) {
      out.push({ threshold, score: windowTotal + fpTotal, tp, tn, fp, fn });
      threshold = r.anomalyScore;
    }
    if (r.window === null) {
      fp++;
      tn--;
      fpTotal += r.sweepScore;
    } else {
      tp++;
      fn--;
      const best = windowScores.get(r.window) as number;
      if (r.sweepScore > best) {
        windowScores.set(r.window, r.sweepScore);
        windowTotal += r.sweepScore - best;
      }
    }
  }
  out.push({ threshold, score: windowTotal + fpTotal, tp, tn, fp, fn });
  return out;
}

/** The corpus-wide threshold with the highest score (the highest such threshold on a tie). */
export function optimiseThreshold(scores: ThresholdScore[]): ThresholdScore {
  let best = scores[0];
  for (const s of scores) if (s.score > best.score) best = s;
  return best;
}

export interface CorpusScore {
  threshold: number;
  raw: number;
  tp: number;
  fp: number;
  fn: number;
}

/** A detector's raw score over a corpus under one profile, at its best single threshold. */
export function scoreCorpus(files: NabFile[], scores: ArrayLike<number>[], profile: NabProfile): CorpusScore {
  const swept: SweptRow[] = [];
  files.forEach((file, i) => {
    for (const row of sweepFile(file, scores[i], profile)) swept.push(row);
  });
  const best = optimiseThreshold(scoreByThreshold(swept, profile));
  return { threshold: best.threshold, raw: best.score, tp: best.tp, fp: best.fp, fn: best.fn };
}

/** NAB's perfect detector: every window caught at its first row, worth tpWeight each. */
export function perfectRaw(files: NabFile[], profile: NabProfile): number {
  return profile.tpWeight * files.reduce((n, f) => n + f.windows.length, 0);
}

/** NAB's null detector: it never fires, so it scores at the threshold that flags nothing. */
export function nullRaw(files: NabFile[], profile: NabProfile): number {
  return scoreCorpus(
    files,
    files.map((f) => new Array<number>(f.timestamps.length).fill(0)),
    profile,
  ).raw;
}

/** 100 × (raw − null) / (perfect − null): 0 for the null detector, 100 for the perfect one. */
export function normalise(raw: number, nullScore: number, perfect: number): number {
  return (100 * (raw - nullScore)) / (perfect - nullScore);
}
