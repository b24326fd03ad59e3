// `guardian help [command...]` on the program and on every command group, and the program's own
// help text. commander's help command takes one word and prints the whole help for an unknown one.

import type { Command } from 'commander';
import { UsageError } from '../src/errors.js';
import { didYouMean } from '../src/model/suggest.js';
import { suggest } from './options.js';

/** What `guardian --help` says after the commands and options. */
export const PROGRAM_HELP = `
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

/** A help command on the program and on every group below it; call once the tree is complete. */
export function defineHelpCommands(program: Command): void {
  for (const group of helpGroups(program)) defineHelp(group);
}
