// What every view is: a pure function of the refresh's data and the interface state to the lines
// of its body, plus how long its list is (the keys' reducer clamps the cursor to it).

import type { EstateSummary, WatchData } from '../estate.js';
import type { Line } from '../lines.js';
import type { UiState } from '../state.js';

export interface ViewInput {
  data: WatchData;
  summary: EstateSummary;
  ui: UiState;
  width: number;
  height: number;
}

export interface ViewOutput {
  lines: Line[];
  /** Rows the cursor moves over (0: the view has no list). */
  listLength: number;
  /** Columns left out at this width (named in the footer). */
  dropped?: string[];
}

export type ViewRenderer = (input: ViewInput) => ViewOutput;
