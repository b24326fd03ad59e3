// The progress reporter long-running commands feed. On an interactive stderr it is an ora spinner;
// everywhere else (CI, pipes, NO_COLOR, --quiet) it is plain lines: updates only with --verbose,
// outcomes as one line each, so logs stay readable and free of escape codes.

import { redactText } from '../config/redact.js';
import { escapeControls } from './escape.js';
import type { Io } from './io.js';

export interface Progress {
  /** Begin a step; `text` says what is happening. */
  start(text: string): void;
  /** The current step moved on (a count, the scope being read). */
  update(text: string): void;
  /** The step finished well. */
  succeed(text?: string): void;
  /** The step failed; the run may go on. */
  fail(text?: string): void;
  /** Stop showing progress without an outcome line (before printing results, on Ctrl-C). */
  stop(): void;
}

/** Plain lines on stderr through the logger: used whenever a spinner is not allowed. */
export class LineProgress implements Progress {
  /** The step started last: what an outcome without its own text refers to. */
  private step = '';
  constructor(private readonly io: Pick<Io, 'log'>) {}

  start(text: string): void {
    this.step = text;
    this.io.log.verbose(`${text}…`);
  }

  update(text: string): void {
    this.io.log.verbose(text);
  }

  succeed(text?: string): void {
    this.io.log.info(`done: ${text ?? this.step}`);
  }

  fail(text?: string): void {
    this.io.log.warn(`failed: ${text ?? this.step}`);
  }

  stop(): void {}
}

/** Reports nothing at all: for --quiet and for machine-readable runs that want stderr empty. */
export class SilentProgress implements Progress {
  start(): void {}
  update(): void {}
  succeed(): void {}
  fail(): void {}
  stop(): void {}
}

type Spinner = {
  text: string;
  start(text?: string): unknown;
  succeed(text?: string): unknown;
  fail(text?: string): unknown;
  stop(): unknown;
};

/** Spinner text is one line, redacted, with control characters escaped (like the Logger's). */
const spinnerText = (text: string) => escapeControls(redactText(text));

class SpinnerProgress implements Progress {
  constructor(private readonly spinner: Spinner) {}

  start(text: string): void {
    this.spinner.start(spinnerText(text));
  }

  update(text: string): void {
    this.spinner.text = spinnerText(text);
  }

  succeed(text?: string): void {
    this.spinner.succeed(text === undefined ? undefined : spinnerText(text));
  }

  fail(text?: string): void {
    this.spinner.fail(text === undefined ? undefined : spinnerText(text));
  }

  stop(): void {
    this.spinner.stop();
  }
}

/** The reporter for this run. ora is loaded only when a spinner will actually be shown. */
export async function createProgress(io: Io): Promise<Progress> {
  if (io.quiet) return new SilentProgress();
  if (!io.live) return new LineProgress(io);
  const { default: ora } = await import('ora');
  const spinner = ora({ stream: io.stderr, isEnabled: true, color: 'cyan', discardStdin: false, isSilent: false });
  if (!io.color) spinner.color = 'white';
  return new SpinnerProgress(spinner);
}
