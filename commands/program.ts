// Builds the commander program (global options, the registry's commands, help commands), runs it
// with the Ctrl-C signal and the stdout pipe watched, and returns the exit code commands/errors.ts
// maps every outcome to: the only catch-all for errors (see DESIGN.md).

import { Command, Help, Option } from 'commander';
import { buildInfo, PACKAGE_VERSION, versionLine } from '../src/build-info.js';
import { assertProfileName } from '../src/config/keys.js';
import { registerEnvSecrets } from '../src/config/redact.js';
import { ExitCode, UsageError } from '../src/errors.js';
import { OUTPUT_CHOICES } from '../src/render/format.js';
import type { IoStreams } from '../src/render/io.js';
import type { GlobalOptions, Runtime } from './context.js';
import { reportError } from './errors.js';
import { defineHelpCommands, PROGRAM_HELP } from './help.js';
import { COMMANDS, type CommandEntry, entriesFor } from './index.js';

export const VERSION = PACKAGE_VERSION;

/** `--profile ''` must not quietly mean 'default': a profile flag names a profile. */
function checkProfileFlag(globals: GlobalOptions): void {
  if (globals.profile === undefined) return;
  if (globals.profile.trim() === '')
    throw new UsageError("--profile needs a profile name, not ''", { hint: 'see: guardian config profiles' });
  assertProfileName(globals.profile);
}

/**
 * The program with every command the line can reach: the entries `argv` names are loaded and
 * defined in full; the others stand in with their name, term and summary, enough for the
 * program's help and commander's suggestions. Without `argv`, everything is loaded.
 */
export async function buildProgram(runtime: Runtime, argv?: readonly string[]): Promise<Command> {
  const needed = new Set(argv === undefined ? COMMANDS : entriesFor(argv));
  const definitions = await Promise.all(COMMANDS.map((entry) => (needed.has(entry) ? entry.load() : undefined)));
  const terms = new Map<Command, string>();
  const plainHelp = new Help();
  const program = new Command('guardian')
    .description('Discover, cost and scan AWS, Azure and GCP estates from one CLI.')
    .version(versionLine(buildInfo()), '-V, --version', 'print the version, commit and Node.js version')
    .helpCommand(false)
    .addHelpText('after', PROGRAM_HELP)
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
    })
    .configureHelp({ subcommandTerm: (command) => terms.get(command) ?? plainHelp.subcommandTerm(command) });
  program.enablePositionalOptions(false);
  COMMANDS.forEach((entry, index) => {
    const define = definitions[index];
    if (define) define(program, runtime);
    else standIn(program, entry, terms);
  });
  defineHelpCommands(program);
  program.hook('preAction', (_program, action) => checkProfileFlag(action.optsWithGlobals<GlobalOptions>()));
  for (const command of program.commands) inheritErrorHandling(command, runtime);
  return program;
}

/** An unloaded entry's commands: named and described for help, never run (a line naming them loads them). */
function standIn(program: Command, entry: CommandEntry, terms: Map<Command, string>): void {
  for (const { name, term, summary, hidden } of entry.commands) {
    const command = program.command(name, { hidden: hidden ?? false }).description(summary);
    terms.set(command, term);
  }
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
  let signalIsTheEnd = false;
  const runtime: Runtime = {
    signal: controller.signal,
    env,
    streams,
    stopsOnSignal: () => {
      signalIsTheEnd = true;
    },
  };
  try {
    const program = await buildProgram(runtime, argv);
    await program.parseAsync(argv);
    if (readerGone) return ExitCode.ok;
    if (stdoutFailed) return reportError(stdoutFailed, streams, debug, false);
    if (controller.signal.aborted && !signalIsTheEnd) {
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
