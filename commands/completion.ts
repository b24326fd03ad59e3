// `guardian completion bash|zsh|fish`: shell completion scripts generated from the live commander
// tree (commands, aliases, options, their choices and argument choices), so every command that is
// registered later appears without touching this file. completions/ holds the generated copies.

import type { Command, Option } from 'commander';
import {
  type CommandSpec,
  type OptionSpec,
  renderCompletionScript,
  SAFE_WORD,
  SHELLS,
  type Shell,
  words,
} from '../src/completion/scripts.js';
import { UsageError } from '../src/errors.js';
import { allKnownRegions } from '../src/model/regions.js';
import { CLOUDS, RESOURCE_KINDS } from '../src/model/resource.js';
import { type CommandDefinition, contextFor, type Runtime } from './context.js';
import { PROFILE_NAMES, suggest, suggestionsOf } from './options.js';

export { type CommandSpec, type OptionSpec, SHELLS, type Shell };

const DYNAMIC_LISTS = { profiles: PROFILE_NAMES } as const;

/** Every kind and every prefix --kind accepts (aws, aws.ec2, aws.ec2.instance). */
function kindWords(): string[] {
  const words = new Set<string>();
  for (const kind of RESOURCE_KINDS) {
    const parts = kind.split('.');
    for (let i = 1; i <= parts.length; i++) words.add(parts.slice(0, i).join('.'));
  }
  return [...words];
}

/**
 * Values offered for a flag wherever it appears, unless the command declares its own choices:
 * the same flag takes the same values on every command (rule ids come from the loaded catalog).
 */
export function flagValues(ruleIds: readonly string[] = []): Record<string, readonly string[]> {
  return {
    '--provider': CLOUDS,
    '--kind': kindWords(),
    '--region': allKnownRegions(),
    '--profile': [PROFILE_NAMES],
    '--rules': ruleIds,
    '--skip-rules': ruleIds,
    '--group-by': ['service', 'region', 'account', 'tag:'],
  };
}

function describeOption(option: Option, byFlag: Record<string, readonly string[]>): OptionSpec {
  const flags = [option.short, option.long].filter((f): f is string => typeof f === 'string');
  const takesValue = option.required || option.optional;
  const own = option.argChoices ?? suggestionsOf(option);
  return {
    flags,
    description: option.description ?? '',
    takesValue,
    choices: words(own ?? (takesValue && option.long ? byFlag[option.long] : undefined)),
  };
}

const HELP_OPTION: OptionSpec = { flags: ['-h', '--help'], description: 'show help', takesValue: false, choices: [] };

/** Every command of the tree as a flat list, root first. */
export function commandSpecs(root: Command, byFlag: Record<string, readonly string[]> = {}): CommandSpec[] {
  const specs: CommandSpec[] = [];
  const visit = (command: Command, path: string[], inherited: OptionSpec[]) => {
    const own = command.options.filter((o) => !o.hidden).map((o) => describeOption(o, byFlag));
    const options = [...own, ...inherited.filter((i) => !own.some((o) => o.flags.some((f) => i.flags.includes(f))))];
    const children = command.commands.filter((c) => !(c as Command & { _hidden?: boolean })._hidden);
    const subcommands = children.flatMap((c) => [c.name(), ...c.aliases()].map((name) => ({ name, description: c.description() })));
    const isRoot = path.length === 0;
    // Commander's implicit help command, unless the program declares its own.
    const implicitHelp = isRoot && children.length > 0 && !children.some((c) => c.name() === 'help');
    if (implicitHelp) subcommands.push({ name: 'help', description: 'show help for a command' });
    const args = command.registeredArguments.map((a) => words(a.argChoices ?? suggestionsOf(a)));
    specs.push({ path, description: command.description(), subcommands, options: [...options, HELP_OPTION], args });
    for (const child of children) {
      for (const name of [child.name(), ...child.aliases()]) visit(child, [...path, name], options);
    }
    if (implicitHelp) {
      specs.push({
        path: ['help'],
        description: 'show help for a command',
        subcommands: [],
        options: [...options, HELP_OPTION],
        args: [children.map((c) => c.name()).filter((n) => SAFE_WORD.test(n))],
      });
    }
  };
  visit(root, [], []);
  return specs;
}

export function completionScript(shell: Shell, root: Command, byFlag: Record<string, readonly string[]> = flagValues()): string {
  return renderCompletionScript(shell, root.name(), commandSpecs(root, byFlag));
}

export const defineCompletion: CommandDefinition = (program: Command, runtime: Runtime) => {
  const completion = program
    .command('completion')
    .description('print a shell completion script (bash, zsh or fish)')
    .argument('<shell>', 'bash, zsh or fish')
    .addHelpText(
      'after',
      '\nExamples:\n  guardian completion bash > ~/.local/share/bash-completion/completions/guardian\n  guardian completion zsh > "$fpath[1]/_guardian"\n  guardian completion fish > ~/.config/fish/completions/guardian.fish',
    )
    .action(async (shell: string, _options: object, command: Command) => {
      const ctx = contextFor(command, runtime);
      if (!(SHELLS as readonly string[]).includes(shell)) {
        throw new UsageError(`unknown shell '${shell}' (choose ${SHELLS.join(', ')})`);
      }
      let root = command;
      while (root.parent) root = root.parent;
      const { loadCatalog } = await import('../src/rules/catalog.js');
      const ruleIds = (await loadCatalog()).map((rule) => rule.id);
      ctx.io.stdout.write(completionScript(shell as Shell, root, flagValues(ruleIds)));
    });
  // Suggested rather than enforced with .choices(), so a wrong shell gets Guardian's own one-line error.
  suggest(completion.registeredArguments[0], SHELLS);

  // What the scripts call on Tab for lists that live in the config store; hidden from help.
  program
    .command('__complete', { hidden: true })
    .argument('<list>', Object.keys(DYNAMIC_LISTS).join(', '))
    .action(async (list: string, _options: object, command: Command) => {
      const ctx = contextFor(command, runtime);
      if (!Object.hasOwn(DYNAMIC_LISTS, list))
        throw new UsageError(`__complete: no list '${list}' (${Object.keys(DYNAMIC_LISTS).join(', ')})`);
      const { openConfigStore } = await import('../src/config/store.js');
      const { DEMO_PROFILE } = await import('../src/config/profile.js');
      let names: string[];
      try {
        names = (await openConfigStore(ctx.env)).listProfiles().map((p) => p.name);
      } catch {
        // A broken file is reported by the command the user runs, not in the middle of their typing.
        names = [DEMO_PROFILE];
      }
      ctx.io.stdout.write(`${names.join('\n')}\n`);
    });
};
