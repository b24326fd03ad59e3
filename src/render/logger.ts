// Messages for people, always on stderr: warnings and errors even with --quiet, info unless
// --quiet, verbose and debug lines only when asked for. Every message is one line with its
// control characters escaped: messages quote files and cloud answers, which must not drive the terminal.

import type { Writable } from 'node:stream';
import { redactText } from '../config/redact.js';
import { escapeControls } from './escape.js';

export interface LoggerOptions {
  color: boolean;
  quiet: boolean;
  verbose: boolean;
  debug: boolean;
}

const ansi = { red: '\u001b[31m', yellow: '\u001b[33m', dim: '\u001b[2m', reset: '\u001b[0m' };

export class Logger {
  constructor(
    private readonly stream: Writable,
    private readonly options: LoggerOptions,
  ) {}

  private write(line: string, tint?: keyof typeof ansi): void {
    const text = escapeControls(redactText(line));
    this.stream.write(this.options.color && tint ? `${ansi[tint]}${text}${ansi.reset}\n` : `${text}\n`);
  }

  error(message: string): void {
    this.write(`guardian: ${message}`, 'red');
  }

  warn(message: string): void {
    this.write(`warning: ${message}`, 'yellow');
  }

  info(message: string): void {
    if (!this.options.quiet) this.write(message);
  }

  verbose(message: string): void {
    if (this.options.verbose) this.write(message, 'dim');
  }

  debug(message: string): void {
    if (this.options.debug) this.write(`debug: ${message}`, 'dim');
  }

  get isVerbose(): boolean {
    return this.options.verbose;
  }
}
