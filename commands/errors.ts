// The one place an outcome becomes an exit code and an error becomes one line on stderr: typed
// Guardian errors carry their code, commander's parse errors are usage errors, anything else is an
// internal error (its stack only with --debug). Every line is redacted and escaped.

import { CommanderError } from 'commander';
import { redactText } from '../src/config/redact.js';
import { ExitCode, isGuardianError } from '../src/errors.js';
import { escapeControls } from '../src/render/escape.js';
import type { IoStreams } from '../src/render/io.js';

/** Commander's error text as one line: "error: unknown option '--x'\n(Did you mean --y?)" → one line. */
export function oneLine(message: string): string {
  return message
    .replace(/^error:\s*/i, '')
    .split('\n')
    .map((part) => part.trim())
    .filter(Boolean)
    .join(' ')
    .replace(/\(Did you mean/g, '(did you mean');
}

export function reportError(error: unknown, streams: IoStreams, debug: boolean, interrupted: boolean): number {
  // Messages quote files and cloud answers: one line, with every control character escaped.
  const write = (line: string) => streams.stderr.write(`${escapeControls(redactText(line))}\n`);
  const writeStack = (stack: string) => streams.stderr.write(`${escapeControls(redactText(stack), { newlines: true })}\n`);
  if (error instanceof CommanderError) {
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return ExitCode.ok;
    // 'commander.help' with a non-zero code: a command group was run without a subcommand (help went to stderr).
    if (error.code === 'commander.help') return error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
    if (error.code === 'commander.executeSubCommandAsync') return error.exitCode;
    write(`guardian: ${oneLine(error.message)}`);
    return ExitCode.usage;
  }
  if (interrupted) {
    write('guardian: interrupted');
    return ExitCode.interrupted;
  }
  if (isGuardianError(error)) {
    // One line: what is wrong, then (when known) what to do about it.
    write(`guardian: ${error.message}${error.hint ? ` — ${error.hint}` : ''}`);
    if (debug && error.stack) writeStack(error.stack);
    return error.exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  write(`guardian: internal error: ${message.split('\n')[0]}`);
  if (debug && error instanceof Error && error.stack) writeStack(error.stack);
  else write('Run again with --debug for the stack trace, and report it if it persists.');
  return ExitCode.checkFailed;
}
