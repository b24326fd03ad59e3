// A forecast of one daily series: what `predict costs` prints, what `costs --budget` projects
// with, and what chat and watch can read. The model is the one that won a rolling-origin
// backtest on the series' own history; the intervals are that backtest's error quantiles.

export type ForecastModelName = 'seasonal-naive' | 'run-rate' | 'holt-winters';

export interface ForecastPoint {
  /** Epoch milliseconds (UTC midnight) of the day. */
  t: number;
  mean: number;
  /** 80% and 95% intervals; absent when the backtest had too few errors to make them from. */
  lower80?: number;
  upper80?: number;
  lower95?: number;
  upper95?: number;
}

export interface ForecastInterval {
  lower80: number;
  upper80: number;
  lower95: number;
  upper95: number;
  /** How many backtest errors the quantiles come from. */
  samples: number;
}

export interface ModelScore {
  model: ForecastModelName;
  /** Mean absolute error of the forecast total (to month end, or over the horizon), as a fraction of the actual total. */
  error: number;
  /** Backtest origins the error is the mean of. */
  origins: number;
}

export interface SeriesForecast {
  seriesId: string;
  /** From clouds and files: escape before printing. */
  seriesName: string;
  unit?: string;
  labels: Record<string, string>;
  /** `skipped`: no forecast; `note` says why (too short, a gap too recent, not daily…). */
  status: 'ok' | 'skipped';
  /** Things a reader must know: gaps, a flat line, values left out, intervals not given. */
  notes: string[];
  /** The history the forecast stands on (after any gap): first and last day (ISO), and its length. */
  history: { first: string; last: string; days: number };
  /** The backtest's winner and every model's score, best first. */
  model?: ForecastModelName;
  backtest?: { metric: 'month-end-total' | 'horizon-total'; scores: ModelScore[] };
  /** Monthly charges found in the history and added on their day (e.g. a reservation's fee on the 1st). */
  monthlyCharges?: { dayOfMonth: number; amount: number }[];
  points: ForecastPoint[];
  /**
   * The total to the horizon: in month-end mode the month's total, month to date included
   * (`toDate`); otherwise the sum over the forecast days. Its interval is the backtest's
   * quantiles of the error of the same total.
   */
  total?: { from: string; to: string; toDate: number; mean: number; interval?: ForecastInterval };
}
