// The forecasting models `predict costs` chooses between, each a pure function from a daily
// history to the next h days: seasonal-naive (the same weekday last week), a linear run-rate
// (least squares over the last four whole weeks), and additive Holt-Winters with a damped trend
// and weekly seasonality whose four parameters minimise the one-step squared error.

export const MODEL_NAMES = ['seasonal-naive', 'run-rate', 'holt-winters'] as const;
export type ModelName = (typeof MODEL_NAMES)[number];

/** Days in the weekly season. */
export const SEASON = 7;

/** A fitted model: the next `h` days after the history. */
export type Forecaster = (h: number) => number[];

/** The value of the same weekday in the last week, repeated. */
export function seasonalNaive(values: number[]): Forecaster {
  const n = values.length;
  return (h) => Array.from({ length: h }, (_, i) => values[n - SEASON + (i % SEASON)]);
}

/** Days the run-rate's line is fitted to: whole weeks, so weekday and weekend swings cancel out. */
export const RUN_RATE_DAYS = 28;

/** A least-squares line through the last four weeks, carried on. */
export function runRate(values: number[]): Forecaster {
  const window = values.slice(-RUN_RATE_DAYS);
  const n = window.length;
  const meanX = (n - 1) / 2;
  const meanY = window.reduce((sum, v) => sum + v, 0) / n;
  let sxy = 0;
  let sxx = 0;
  window.forEach((y, x) => {
    sxy += (x - meanX) * (y - meanY);
    sxx += (x - meanX) ** 2;
  });
  const slope = sxx > 0 ? sxy / sxx : 0;
  return (h) => Array.from({ length: h }, (_, i) => meanY + slope * (n - meanX + i));
}

export interface HoltWintersParams {
  alpha: number;
  beta: number;
  gamma: number;
  phi: number;
}

interface HoltWintersState {
  level: number;
  trend: number;
  /** Seasonal terms by position in the week relative to the history's first day. */
  season: number[];
  /** The history's length (the position of the next day). */
  n: number;
  sse: number;
}

/** Runs the smoothing over the history from a start taken from its first two weeks. */
function smooth(values: number[], { alpha, beta, gamma, phi }: HoltWintersParams): HoltWintersState {
  const m = SEASON;
  const first = values.slice(0, m).reduce((sum, v) => sum + v, 0) / m;
  const second = values.slice(m, 2 * m).reduce((sum, v) => sum + v, 0) / m;
  let level = first;
  let trend = (second - first) / m;
  const season = values.slice(0, m).map((v) => v - first);
  let sse = 0;
  for (let t = m; t < values.length; t++) {
    const s = season[t % m];
    const predicted = level + phi * trend + s;
    const error = values[t] - predicted;
    sse += error * error;
    const previous = level;
    level = alpha * (values[t] - s) + (1 - alpha) * (level + phi * trend);
    trend = beta * (level - previous) + (1 - beta) * phi * trend;
    season[t % m] = gamma * (values[t] - level) + (1 - gamma) * s;
  }
  return { level, trend, season, n: values.length, sse };
}

const logistic = (x: number) => 1 / (1 + Math.exp(-x));
const logit = (p: number) => Math.log(p / (1 - p));

/** Parameters from unconstrained coordinates: smoothing weights in (0, 1), damping in (0.8, 0.98). */
function paramsOf(x: number[]): HoltWintersParams {
  return { alpha: logistic(x[0]), beta: logistic(x[1]) * 0.5, gamma: logistic(x[2]), phi: 0.8 + 0.18 * logistic(x[3]) };
}

/**
 * Nelder–Mead simplex minimisation (Nelder & Mead 1965, the standard reflection 1, expansion 2,
 * contraction and shrink ½). Small and deterministic: four parameters, a few hundred evaluations.
 */
export function nelderMead(f: (x: number[]) => number, start: number[], options: { step?: number; iterations?: number } = {}): number[] {
  const step = options.step ?? 1;
  const iterations = options.iterations ?? 200;
  const dim = start.length;
  let simplex = [start, ...start.map((_, i) => start.map((v, j) => (i === j ? v + step : v)))].map((x) => ({ x, fx: f(x) }));
  const combine = (a: number[], b: number[], t: number) => a.map((v, i) => v + t * (b[i] - v));
  for (let k = 0; k < iterations; k++) {
    simplex.sort((a, b) => a.fx - b.fx);
    const best = simplex[0];
    const worst = simplex[dim];
    if (Math.abs(worst.fx - best.fx) <= 1e-10 * (Math.abs(best.fx) + 1e-12)) break;
    const centroid = start.map((_, i) => simplex.slice(0, dim).reduce((sum, p) => sum + p.x[i], 0) / dim);
    const reflected = combine(centroid, worst.x, -1);
    const fr = f(reflected);
    if (fr < best.fx) {
      const expanded = combine(centroid, worst.x, -2);
      const fe = f(expanded);
      simplex[dim] = fe < fr ? { x: expanded, fx: fe } : { x: reflected, fx: fr };
    } else if (fr < simplex[dim - 1].fx) {
      simplex[dim] = { x: reflected, fx: fr };
    } else {
      const contracted = fr < worst.fx ? combine(centroid, reflected, 0.5) : combine(centroid, worst.x, 0.5);
      const fc = f(contracted);
      if (fc < Math.min(fr, worst.fx)) simplex[dim] = { x: contracted, fx: fc };
      else simplex = simplex.map((p, i) => (i === 0 ? p : { x: combine(best.x, p.x, 0.5), fx: f(combine(best.x, p.x, 0.5)) }));
    }
  }
  simplex.sort((a, b) => a.fx - b.fx);
  return simplex[0].x;
}

/** Holt-Winters' parameters fitted to the history by minimising the one-step squared error. */
export function fitHoltWinters(values: number[]): HoltWintersParams {
  const start = [logit(0.3), logit(0.1), logit(0.1), logit(0.5)];
  return paramsOf(nelderMead((x) => smooth(values, paramsOf(x)).sse, start, { step: 1.5, iterations: 150 }));
}

/** Additive Holt-Winters, damped trend, weekly season; needs at least two weeks. */
export function holtWinters(values: number[], params: HoltWintersParams = fitHoltWinters(values)): Forecaster {
  const state = smooth(values, params);
  return (h) => {
    const out: number[] = [];
    let damp = 0;
    for (let i = 1; i <= h; i++) {
      damp += params.phi ** i;
      out.push(state.level + damp * state.trend + state.season[(state.n + i - 1) % SEASON]);
    }
    return out;
  };
}

/** Days of history each model needs before it can forecast. */
export const MODEL_MIN_DAYS: Record<ModelName, number> = {
  'seasonal-naive': SEASON,
  'run-rate': RUN_RATE_DAYS,
  'holt-winters': 3 * SEASON,
};

export function fitModel(name: ModelName, values: number[]): Forecaster {
  if (name === 'seasonal-naive') return seasonalNaive(values);
  if (name === 'run-rate') return runRate(values);
  return holtWinters(values);
}
