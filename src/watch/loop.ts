// The refresh loop behind the dashboard: one refresh at a time in the background, the next one an
// interval after the last ended (or at once with `r`), progress passed on at most every
// PROGRESS_EVERY_MS, and a failed refresh keeping the last good data beside its error. The
// summary the views read is derived here, once per refresh, never during a render.

import { redactText } from '../config/redact.js';
import { escapeControls } from '../render/escape.js';
import { type EstateSummary, summarize, type WatchData } from './estate.js';

/** Progress lines come per page; the header needs a few a second, not one per event. */
export const PROGRESS_EVERY_MS = 200;

export interface RefreshStatus {
  running: boolean;
  /** What the running refresh is doing (the discovery progress line, then its later phases). */
  progress?: string;
  /** Why the last refresh failed; the data shown is the last good one. */
  error?: string;
  /** When the next refresh starts; undefined when none is scheduled (a snapshot, or one running). */
  nextAt?: Date;
}

export interface LoopState {
  data?: WatchData;
  summary?: EstateSummary;
  status: RefreshStatus;
}

export type Refresh = (signal: AbortSignal, onProgress: (line: string) => void) => Promise<WatchData>;

export interface LoopOptions {
  refresh: Refresh;
  /** Undefined: refresh once and never again (`--input`). */
  intervalMs?: number;
  now(): Date;
}

export interface RefreshLoop {
  start(): void;
  /** Start a refresh now unless one is running (`r`). */
  refreshNow(): void;
  state(): LoopState;
  /** Hear every change of state (the dashboard re-renders); returns the unsubscribe. */
  subscribe(listener: (state: LoopState) => void): () => void;
  /** Stop the timer and abort a running refresh; resolves when it has let go. */
  stop(): Promise<void>;
}

/** One line for the header: the error's own message, first line only, secrets out, controls escaped. */
export function describeFailure(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return escapeControls(redactText(message.split('\n')[0] ?? ''));
}

export function createRefreshLoop(options: LoopOptions): RefreshLoop {
  let state: LoopState = { status: { running: false } };
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let controller: AbortController | undefined;
  let stopped = false;
  let progressTimer: NodeJS.Timeout | undefined;
  let pendingProgress: string | undefined;
  const listeners = new Set<(state: LoopState) => void>();

  const set = (next: LoopState) => {
    state = next;
    for (const listener of listeners) listener(state);
  };
  const status = (patch: Partial<RefreshStatus>) => set({ ...state, status: { ...state.status, ...patch } });

  const schedule = () => {
    if (stopped || options.intervalMs === undefined) return;
    const nextAt = new Date(options.now().getTime() + options.intervalMs);
    timer = setTimeout(run, options.intervalMs);
    status({ nextAt });
  };

  const flushProgress = () => {
    progressTimer = undefined;
    if (pendingProgress !== undefined && state.status.running) status({ progress: pendingProgress });
    pendingProgress = undefined;
  };
  const onProgress = (line: string) => {
    pendingProgress = line;
    progressTimer ??= setTimeout(flushProgress, PROGRESS_EVERY_MS);
  };

  function run(): void {
    if (stopped || running) return;
    if (timer) clearTimeout(timer);
    timer = undefined;
    controller = new AbortController();
    const { signal } = controller;
    status({ running: true, progress: 'starting…', nextAt: undefined });
    running = options
      .refresh(signal, onProgress)
      .then(
        (data) => {
          if (stopped) return;
          set({ data, summary: summarize(data), status: { running: false } });
        },
        (error: unknown) => {
          if (stopped) return;
          set({ ...state, status: { running: false, error: describeFailure(error) } });
        },
      )
      .finally(() => {
        if (progressTimer) clearTimeout(progressTimer);
        progressTimer = undefined;
        pendingProgress = undefined;
        running = undefined;
        controller = undefined;
        schedule();
      });
  }

  return {
    start: run,
    refreshNow: run,
    state: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      if (progressTimer) clearTimeout(progressTimer);
      controller?.abort();
      await running;
    },
  };
}
