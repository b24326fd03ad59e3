// Builds the commander program, runs it and turns every outcome into an exit code. The only
// place that decides exit codes (see DESIGN.md) and the only catch-all for errors.

import { Command, CommanderError, Option } from 'commander';
import { redactText, registerEnvSecrets } from '../src/config/redact.js';
import { ExitCode, isGuardianError } from '../src/errors.js';
import { escapeControls } from '../src/render/escape.js';
import { OUTPUT_CHOICES } from '../src/render/format.js';
import type { IoStreams } from '../src/render/io.js';
import type { Runtime } from './context.js';
import { COMMANDS } from './index.js';

export const VERSION = '0.1.0';

export function buildProgram(runtime: Runtime): Command {
  const program = new Command('guardian')
    .description('Discover, cost and scan AWS, Azure and GCP estates from one CLI.')
    .version(VERSION, '-V, --version', 'print the version')
    .helpCommand('help [command]', 'show help for a command')
    .option('-p, --profile <name>', 'configuration profile to use (env: GUARDIAN_PROFILE)')
    .addOption(new Option('-o, --output <format>', 'output format (wide: every column, uncut)').choices(OUTPUT_CHOICES))
    .option('--json', 'shorthand for --output json')
    .option('--query <jmespath>', 'JMESPath expression applied to the JSON/YAML output (per line for NDJSON)')
    .option('--sort-by <column>', 'order table and CSV rows by this column (--sort-by=-column: descending)')
    .option('--no-headers', 'print table and CSV rows without the header')
    .option('--no-color', 'disable colour (also NO_COLOR, CI, or no TTY)')
    .option('-q, --quiet', 'print only data and errors')
    .option('-v, --verbose', 'print progress details on stderr')
    .option('--debug', 'print debug details and stack traces on stderr')
    .option('-y, --yes', 'answer yes to prompts; never prompt')
    .showSuggestionAfterError(true)
    .showHelpAfterError(false)
    .exitOverride()
    .configureOutput({
      writeOut: (text) => runtime.streams.stdout.write(text),
      // Commander's own errors are rethrown through exitOverride and printed by main(); help shown
      // because of an error (a command group run without its subcommand) still goes to stderr.
      writeErr: (text) => runtime.streams.stderr.write(text),
      outputError: () => {},
    });
  program.enablePositionalOptions(false);
  for (const define of COMMANDS) define(program, runtime);
  for (const command of program.commands) inheritErrorHandling(command, runtime);
  return program;
}

function inheritErrorHandling(command: Command, runtime: Runtime): void {
  command
    .exitOverride()
    .showSuggestionAfterError(true)
    .configureOutput({
      writeOut: (text) => runtime.streams.stdout.write(text),
      writeErr: (text) => runtime.streams.stderr.write(text),
      outputError: () => {},
    });
  for (const sub of command.commands) inheritErrorHandling(sub, runtime);
}

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

export async function main(argv: string[], streams: IoStreams, env: NodeJS.ProcessEnv): Promise<number> {
  registerEnvSecrets(env);
  const controller = new AbortController();
  let interrupts = 0;
  const onSignal = () => {
    interrupts += 1;
    if (interrupts > 1) process.exit(ExitCode.interrupted);
    controller.abort(new Error('interrupted'));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  // The reader went away (`guardian discover --output ndjson | head`): stop the run as Ctrl-C
  // would, so what was found is still saved, and end quietly, as a command cut off by a pipe does.
  let readerGone = false;
  let stdoutFailed: NodeJS.ErrnoException | undefined;
  const onStdoutError = (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') readerGone = true;
    else if (!readerGone) stdoutFailed ??= error;
    controller.abort(new Error('stdout closed'));
  };
  streams.stdout.on('error', onStdoutError);
  const debug = argv.includes('--debug');
  const runtime: Runtime = { signal: controller.signal, env, streams };
  const program = buildProgram(runtime);
  try {
    await program.parseAsync(argv);
    if (readerGone) return ExitCode.ok;
    if (stdoutFailed) return reportError(stdoutFailed, streams, debug, false);
    if (controller.signal.aborted) {
      streams.stderr.write('guardian: interrupted\n');
      return ExitCode.interrupted;
    }
    return ExitCode.ok;
  } catch (error) {
    if (readerGone) return ExitCode.ok;
    return reportError(stdoutFailed ?? error, streams, debug, controller.signal.aborted && !stdoutFailed);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

function reportError(error: unknown, streams: IoStreams, debug: boolean, interrupted: boolean): number {
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
