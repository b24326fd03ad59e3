// The one I/O object handed down from bin/: streams, TTY-ness, colour, CI, verbosity and the
// stderr logger. Deciding "no colour, no spinner, no prompt" happens here, once.

import type { Writable } from 'node:stream';
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
    out(text: string) {
      streams.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
    },
  };
}
