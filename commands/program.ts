// Builds the commander program, runs it and turns every outcome into an exit code. The only
// place that decides exit codes (see DESIGN.md) and the only catch-all for errors.

import { Command, CommanderError, Option } from 'commander';
import { buildInfo, PACKAGE_VERSION, versionLine } from '../src/build-info.js';
import { assertProfileName } from '../src/config/keys.js';
import { redactText, registerEnvSecrets } from '../src/config/redact.js';
import { ExitCode, isGuardianError, UsageError } from '../src/errors.js';
import { didYouMean } from '../src/model/suggest.js';
import { escapeControls } from '../src/render/escape.js';
import { OUTPUT_CHOICES } from '../src/render/format.js';
import type { IoStreams } from '../src/render/io.js';
import type { GlobalOptions, Runtime } from './context.js';
import { COMMANDS } from './index.js';
import { suggest } from './options.js';

export const VERSION = PACKAGE_VERSION;

const PROGRAM_HELP = `
Examples:
  guardian discover --profile demo                  # try it on the built-in sandbox, no account needed
  guardian config init                              # set up a profile for your clouds
  guardian discover --provider aws --region eu-west-1 --json > snapshot.json
  guardian scan --plan plan.json --fail-on high --output sarif > guardian.sarif
  guardian costs --budget 25000                     # exit 1 when month-to-date or projected spend is over
  guardian help discover diff                       # help for any command or subcommand

Environment:
  GUARDIAN_PROFILE     profile to use (same as --profile)
  GUARDIAN_CONFIG_DIR  where the config store lives (see: guardian config path)
  GUARDIAN_DATA_DIR    where snapshots and caches live (default $XDG_DATA_HOME/guardian)
  GUARDIAN_DEMO_*      the demo sandbox's seed, size, day and faults (see: guardian help sandbox)
  NO_COLOR, CI         no colour, spinners or prompts
  AWS_*, AZURE_*, GOOGLE_APPLICATION_CREDENTIALS
                       each cloud's own credential chain, used when a profile does not say otherwise

Exit codes:
  0    success
  1    the check failed: findings at or above --fail-on, budget exceeded (config get: not set)
  2    usage error: bad flag, value or input file
  3    configuration or credential error
  4    partial results under --strict
  130  interrupted (Ctrl-C); what was found is saved`;

/** `--profile ''` must not quietly mean 'default': a profile flag names a profile. */
function checkProfileFlag(globals: GlobalOptions): void {
  if (globals.profile === undefined) return;
  if (globals.profile.trim() === '')
    throw new UsageError("--profile needs a profile name, not ''", { hint: 'see: guardian config profiles' });
  assertProfileName(globals.profile);
}

type Internals = Command & { _hidden?: boolean; _actionHandler?: unknown };
const visibleChildren = (command: Command) => command.commands.filter((c) => !(c as Internals)._hidden && c.name() !== 'help');

/**
 * `help [command...]` on the program and on every command group (`guardian help discover diff`,
 * `guardian config help set`): the help of any command below it; an unknown name is a usage error,
 * where commander's own help command printed the whole help without a word.
 */
function defineHelp(group: Command): void {
  group.helpCommand(false);
  const help = group
    .command('help')
    .description(group.parent ? 'show help for a subcommand' : 'show help for a command or subcommand (e.g. guardian help discover diff)')
    .argument('[command...]', 'command path')
    .action((words: string[]) => {
      let target = group;
      for (const word of words) {
        const visible = visibleChildren(target);
        const next = visible.find((c) => c.name() === word || c.aliases().includes(word));
        if (!next) {
          const where = [...commandPath(target), word].join(' ');
          const names = visible.flatMap((c) => [c.name(), ...c.aliases()]);
          throw new UsageError(
            names.length === 0
              ? `'${commandPath(target).join(' ')}' has no subcommands (asked for help on '${where}')`
              : `unknown command '${where}'${didYouMean(word, names)}`,
            { hint: `see: ${['guardian', ...commandPath(target), '--help'].join(' ')}` },
          );
        }
        target = next;
      }
      target.outputHelp();
    });
  suggest(
    help.registeredArguments[0],
    visibleChildren(group).map((c) => c.name()),
  );
}

/** Every command group (subcommands, no action of its own), where commander would add its help command. */
function helpGroups(command: Command): Command[] {
  const below = command.commands.flatMap(helpGroups);
  const isGroup = command.commands.length > 0 && !(command as Internals)._actionHandler;
  return isGroup ? [command, ...below] : below;
}

function commandPath(command: Command): string[] {
  const path: string[] = [];
  for (let at: Command | null = command; at?.parent; at = at.parent) path.unshift(at.name());
  return path;
}

export function buildProgram(runtime: Runtime): Command {
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
    });
  program.enablePositionalOptions(false);
  for (const define of COMMANDS) define(program, runtime);
  for (const group of helpGroups(program)) defineHelp(group);
  program.hook('preAction', (_program, action) => checkProfileFlag(action.optsWithGlobals<GlobalOptions>()));
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
  let signalIsTheEnd = false;
  const runtime: Runtime = {
    signal: controller.signal,
    env,
    streams,
    stopsOnSignal: () => {
      signalIsTheEnd = true;
    },
  };
  const program = buildProgram(runtime);
  try {
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
