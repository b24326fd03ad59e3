// The command tree as completion sees it: every command of the live commander tree (commands,
// aliases, options, their choices and argument choices) as a flat list of CommandSpecs, which
// src/completion/scripts.ts turns into bash, zsh and fish scripts. Every command registered later
// appears without touching this file; completions/ holds the generated copies.

import type { Command, Option } from 'commander';
import { type CommandSpec, type OptionSpec, renderCompletionScript, SAFE_WORD, type Shell, words } from '../../src/completion/scripts.js';
import { allKnownRegions } from '../../src/model/regions.js';
import { CLOUDS, RESOURCE_KINDS } from '../../src/model/resource.js';
import { PROFILE_NAMES, suggestionsOf } from '../options.js';

/** Lists that live in the config store: the scripts ask `guardian __complete NAME` on Tab. */
export const DYNAMIC_LISTS = { profiles: PROFILE_NAMES } as const;

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
 * the same flag takes the same values on every command (rule ids come from the loaded catalogs),
 * except where a key names the command first ('optimize --rules': the cost rules, not scan's).
 */
export function flagValues(ruleIds: readonly string[] = [], costRuleIds: readonly string[] = []): Record<string, readonly string[]> {
  return {
    'optimize --rules': costRuleIds,
    'optimize --skip-rules': costRuleIds,
    '--provider': CLOUDS,
    '--kind': kindWords(),
    '--region': allKnownRegions(),
    '--profile': [PROFILE_NAMES],
    '--rules': ruleIds,
    '--skip-rules': ruleIds,
    '--group-by': ['service', 'region', 'account', 'tag:'],
  };
}

function describeOption(option: Option, byFlag: Record<string, readonly string[]>, path: string[]): OptionSpec {
  const flags = [option.short, option.long].filter((f): f is string => typeof f === 'string');
  const takesValue = option.required || option.optional;
  const own = option.argChoices ?? suggestionsOf(option);
  return {
    flags,
    description: option.description ?? '',
    takesValue,
    choices: words(own ?? (takesValue && option.long ? (byFlag[`${path.join(' ')} ${option.long}`] ?? byFlag[option.long]) : undefined)),
  };
}

const HELP_OPTION: OptionSpec = { flags: ['-h', '--help'], description: 'show help', takesValue: false, choices: [] };

/** Every command of the tree as a flat list, root first. */
export function commandSpecs(root: Command, byFlag: Record<string, readonly string[]> = {}): CommandSpec[] {
  const specs: CommandSpec[] = [];
  const visit = (command: Command, path: string[], inherited: OptionSpec[]) => {
    const own = command.options.filter((o) => !o.hidden).map((o) => describeOption(o, byFlag, path));
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
