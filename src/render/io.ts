// The one I/O object handed down from bin/: streams, TTY-ness, colour, CI, verbosity and the
// stderr logger. Deciding "no colour, no spinner, no prompt" happens here, once.

import type { Writable } from 'node:stream';
import { UsageError } from '../errors.js';
import { Logger } from './logger.js';

export interface IoStreams {
  stdout: Writable & { isTTY?: boolean; columns?: number };
  stderr: Writable & { isTTY?: boolean; columns?: number };
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
}

export interface IoFlags {
  color?: boolean;
  quiet?: boolean;
  verbose?: boolean;
  debug?: boolean;
  yes?: boolean;
  output?: string;
  json?: boolean;
  query?: string;
  sortBy?: string;
  /** false with --no-headers. */
  headers?: boolean;
}

/** How tables and JSON documents are shaped for this run (from --output, --query, --sort-by, --no-headers and the terminal). */
export interface OutputShape {
  /** Table lines fit this many columns; undefined: no limit (off a terminal without COLUMNS, or -o wide). */
  width?: number;
  /** -o wide: every column, including the wide-only ones, nothing wrapped or cut. */
  wide: boolean;
  headers: boolean;
  /** A column header (case and punctuation ignored); a leading '-' sorts descending. */
  sortBy?: string;
  /** A JMESPath expression applied to the JSON document (and to each NDJSON line). */
  query?: string;
  /** -o yaml: the JSON document printed as YAML. */
  yaml: boolean;
  /** What the tables printed so far noticed, checked and reported when they are written out. */
  notes: TableNotes;
}

export interface TableNotes {
  /** With --sort-by: tables rendered, whether any had the column, and the columns they had. */
  sort: { tables: number; matched: boolean; columns: Set<string> };
  /** Headers of columns left out to fit the width since the last write. */
  hidden: Set<string>;
}

/**
 * The width tables fit. COLUMNS wins when set, as POSIX specifies ("shall override the
 * system-selected horizontal screen size"); then the terminal's own width. Off a terminal there is
 * no limit — as gh (tab-separated, never truncated) and kubectl (never truncated) do — so piped
 * text keeps every character; set COLUMNS to fit a width there.
 */
export function terminalWidth(stdout: IoStreams['stdout'], env: NodeJS.ProcessEnv): number | undefined {
  const fromEnv = env.COLUMNS?.trim();
  if (fromEnv && /^\d+$/.test(fromEnv) && Number(fromEnv) > 0) return Number(fromEnv);
  if (stdout.isTTY === true && stdout.columns !== undefined && stdout.columns > 0) return stdout.columns;
  return undefined;
}

export interface Io extends IoStreams {
  stdoutIsTTY: boolean;
  stderrIsTTY: boolean;
  /** Colour on stdout/stderr: TTY, not CI, no NO_COLOR, not --no-color. */
  color: boolean;
  ci: boolean;
  /** Prompts allowed: stdin and stderr are TTYs, not CI, no --yes. */
  interactive: boolean;
  /** Spinners/live progress allowed on stderr. */
  live: boolean;
  quiet: boolean;
  verbose: boolean;
  debug: boolean;
  yes: boolean;
  log: Logger;
  shape: OutputShape;
  /** Write data to stdout (adds a trailing newline when missing). */
  out(text: string): void;
}

export function isCi(env: NodeJS.ProcessEnv): boolean {
  const ci = env.CI;
  return ci !== undefined && ci !== '' && ci !== '0' && ci.toLowerCase() !== 'false';
}

export function createIo(streams: IoStreams, env: NodeJS.ProcessEnv, flags: IoFlags = {}): Io {
  const stdoutIsTTY = streams.stdout.isTTY === true;
  const stderrIsTTY = streams.stderr.isTTY === true;
  const ci = isCi(env);
  const noColorEnv = env.NO_COLOR !== undefined && env.NO_COLOR !== '';
  const quiet = flags.quiet === true;
  const color = flags.color !== false && !noColorEnv && !ci && (stdoutIsTTY || stderrIsTTY) && env.TERM !== 'dumb';
  const verbose = flags.verbose === true || flags.debug === true;
  const debug = flags.debug === true;
  const yes = flags.yes === true;
  // A pseudo-terminal with no width (script or expect without a window) makes a spinner redraw
  // itself endlessly; treat it like a pipe.
  const sized = streams.stderr.columns === undefined || streams.stderr.columns > 0;
  const live = stderrIsTTY && sized && !ci && !quiet && !noColorEnv && flags.color !== false && env.TERM !== 'dumb';
  const interactive = streams.stdin.isTTY === true && stderrIsTTY && !ci && !yes;
  const log = new Logger(streams.stderr, { color: color && stderrIsTTY, quiet, verbose, debug });
  const wide = flags.output === 'wide' && flags.json !== true;
  const shape: OutputShape = {
    width: wide ? undefined : terminalWidth(streams.stdout, env),
    wide,
    headers: flags.headers !== false,
    sortBy: flags.sortBy,
    query: flags.query,
    yaml: flags.output === 'yaml' && flags.json !== true,
    notes: { sort: { tables: 0, matched: false, columns: new Set() }, hidden: new Set() },
  };
  return {
    ...streams,
    stdoutIsTTY,
    stderrIsTTY,
    color,
    ci,
    interactive,
    live,
    quiet,
    verbose,
    debug,
    yes,
    log,
    shape,
    out(text: string) {
      const { sort, hidden } = shape.notes;
      // Tables are rendered before they are written, so an unknown --sort-by column is refused
      // here, before anything reaches stdout, once it is clear that no table had it.
      if (shape.sortBy !== undefined && sort.tables > 0 && !sort.matched) {
        throw new UsageError(`--sort-by: no column '${shape.sortBy.replace(/^-/, '')}' here (choose ${[...sort.columns].join(', ')})`);
      }
      streams.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
      if (hidden.size > 0) {
        log.info(`not shown at ${shape.width} columns: ${[...hidden].join(', ')} (--output wide shows every column, --json every field)`);
        hidden.clear();
      }
    },
  };
}
