// `guardian completion bash|zsh|fish`: shell completion scripts generated from the live commander
// tree (commands, aliases, options, their choices and argument choices), so every command that is
// registered later appears without touching this file. completions/ holds the generated copies.

import type { Command, Option } from 'commander';
import { UsageError } from '../src/errors.js';
import { allKnownRegions } from '../src/model/regions.js';
import { CLOUDS, RESOURCE_KINDS } from '../src/model/resource.js';
import { type CommandDefinition, contextFor, type Runtime } from './context.js';
import { PROFILE_NAMES, suggest, suggestionsOf } from './options.js';

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

export const SHELLS = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof SHELLS)[number];

export interface OptionSpec {
  flags: string[];
  description: string;
  takesValue: boolean;
  choices: string[];
}

export interface CommandSpec {
  /** Words from the root to this command, e.g. ['config', 'set']; aliases get their own entry. */
  path: string[];
  description: string;
  subcommands: { name: string; description: string }[];
  /** Own options plus every ancestor's (commander accepts the program's options after a subcommand). */
  options: OptionSpec[];
  /** Choices per positional argument (empty: free text or a file). */
  args: string[][];
}

// Only plain words go into the generated scripts: nothing a shell would expand or split.
const SAFE_WORD = /^[A-Za-z0-9_.,:/@+=-]+$/;

function words(values: readonly string[] | undefined): string[] {
  return (values ?? []).filter((v) => SAFE_WORD.test(v));
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

const quote = (text: string) => `'${text.replaceAll("'", "'\\''")}'`;
const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();

/** The bodies of the lookup functions every shell script shares (POSIX `case`, valid in bash and zsh). */
function caseFunction(name: string, entries: [string, string][]): string {
  const arms = entries.filter(([, value]) => value !== '').map(([key, value]) => `    ${quote(key)}) echo ${quote(value)} ;;`);
  return [`${name}() {`, '  case "$1" in', ...arms, '  esac', '}'].join('\n');
}

function sharedFunctions(program: string, specs: CommandSpec[]): string {
  const fn = `_${program}`;
  const key = (spec: CommandSpec) => spec.path.join(' ');
  const expand = `# Lists that change without ${program} changing (profiles) are asked for when Tab is pressed.
${fn}_expand() {
  case "$1" in
    @*) ${program} __complete "\${1#@}" 2>/dev/null ;;
    *) echo "$1" ;;
  esac
}`;
  return [
    expand,
    caseFunction(
      `${fn}_subcommands`,
      specs.map((s) => [key(s), s.subcommands.map((c) => c.name).join(' ')]),
    ),
    caseFunction(
      `${fn}_options`,
      specs.map((s) => [key(s), s.options.flatMap((o) => o.flags).join(' ')]),
    ),
    caseFunction(
      `${fn}_value_options`,
      specs.map((s) => [
        key(s),
        s.options
          .filter((o) => o.takesValue)
          .flatMap((o) => o.flags)
          .join(' '),
      ]),
    ),
    caseFunction(
      `${fn}_option_choices`,
      specs.flatMap((s) =>
        s.options
          .filter((o) => o.choices.length > 0)
          .flatMap((o) => o.flags.map((f): [string, string] => [`${key(s)}|${f}`, o.choices.join(' ')])),
      ),
    ),
    caseFunction(
      `${fn}_arg_choices`,
      specs.flatMap((s) => s.args.map((choices, index): [string, string] => [`${key(s)}|${index}`, choices.join(' ')])),
    ),
  ].join('\n\n');
}

/**
 * Shared word scan (bash and zsh): walk the words before the cursor, following subcommands, skipping
 * option values, counting positionals. Sets `path` and `nargs`.
 */
function scanWords(fn: string, wordsVar: string, first: number, last: string): string {
  return `  local cmdpath="" nargs=0 skip=0 i word sub matched
  for ((i = ${first}; i < ${last}; i++)); do
    word="\${${wordsVar}[i]}"
    if ((skip)); then skip=0; continue; fi
    case "$word" in
      =) skip=1 ;;
      --*=*) ;;
      -*) [[ " $(${fn}_value_options "$cmdpath") " == *" $word "* ]] && skip=1 ;;
      *)
        matched=0
        for sub in $(${fn}_subcommands "$cmdpath"); do
          if [[ "$sub" == "$word" ]]; then cmdpath="\${cmdpath:+$cmdpath }$word"; matched=1; nargs=0; break; fi
        done
        ((matched)) || ((nargs++))
        ;;
    esac
  done`;
}

function bashScript(program: string, specs: CommandSpec[]): string {
  const fn = `_${program}`;
  return `# bash completion for ${program}. Generated by \`${program} completion bash\`; do not edit.
# Install: ${program} completion bash > ~/.local/share/bash-completion/completions/${program}
#      or: eval "$(${program} completion bash)" in ~/.bashrc

${sharedFunctions(program, specs)}

${fn}_complete() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="" last=$COMP_CWORD
  # bash splits --opt=value into '--opt' '=' 'value'.
  if [[ "$cur" == "=" ]]; then cur=""; prev="\${COMP_WORDS[COMP_CWORD-1]}"; last=$((COMP_CWORD - 1));
  elif ((COMP_CWORD >= 2)) && [[ "\${COMP_WORDS[COMP_CWORD-1]}" == "=" ]]; then prev="\${COMP_WORDS[COMP_CWORD-2]}"; last=$((COMP_CWORD - 2));
  elif ((COMP_CWORD >= 1)); then prev="\${COMP_WORDS[COMP_CWORD-1]}"; fi
${scanWords(fn, 'COMP_WORDS', 1, '$last')}
  local choices
  if [[ "$prev" == -* ]] && [[ " $(${fn}_value_options "$cmdpath") " == *" $prev "* ]]; then
    choices="$(${fn}_expand "$(${fn}_option_choices "$cmdpath|$prev")")"
    if [[ -n "$choices" ]]; then COMPREPLY=($(compgen -W "$choices" -- "$cur")); else COMPREPLY=($(compgen -f -- "$cur")); fi
    return 0
  fi
  if [[ "$cur" == -* ]]; then
    COMPREPLY=($(compgen -W "$(${fn}_options "$cmdpath")" -- "$cur"))
    return 0
  fi
  choices="$(${fn}_subcommands "$cmdpath")"
  [[ -z "$choices" ]] && choices="$(${fn}_expand "$(${fn}_arg_choices "$cmdpath|$nargs")")"
  if [[ -n "$choices" ]]; then COMPREPLY=($(compgen -W "$choices" -- "$cur")); else COMPREPLY=($(compgen -f -- "$cur")); fi
  return 0
}

complete -o default -F ${fn}_complete ${program}
`;
}

function zshScript(program: string, specs: CommandSpec[]): string {
  const fn = `_${program}`;
  const describe = (name: string, entries: [string, string[]][]) =>
    caseFunction(
      name,
      entries.map(([key, lines]) => [key, lines.join('\n')]),
    );
  const escapeColon = (text: string) => text.replaceAll(':', '\\:');
  return `#compdef ${program}
# zsh completion for ${program}. Generated by \`${program} completion zsh\`; do not edit.
# Install: ${program} completion zsh > "\${fpath[1]}/_${program}"  (or: source <(${program} completion zsh))

${sharedFunctions(program, specs)}

${describe(
  `${fn}_subcommand_descriptions`,
  specs.map((s) => [s.path.join(' '), s.subcommands.map((c) => `${c.name}:${oneLine(c.description)}`)]),
)}

${describe(
  `${fn}_option_descriptions`,
  specs.map((s) => [s.path.join(' '), s.options.flatMap((o) => o.flags.map((f) => `${escapeColon(f)}:${oneLine(o.description)}`))]),
)}

${fn}() {
  local cur="\${words[CURRENT]}" prev="\${words[CURRENT-1]}"
  local -a lines
${scanWords(fn, 'words', 2, '$CURRENT')}
  local choices
  if [[ "$prev" == -* ]] && [[ " $(${fn}_value_options "$cmdpath") " == *" $prev "* ]]; then
    choices="$(${fn}_expand "$(${fn}_option_choices "$cmdpath|$prev")")"
    if [[ -n "$choices" ]]; then compadd -- \${=choices}; else _files; fi
    return
  fi
  if [[ "$cur" == -* ]]; then
    lines=("\${(@f)$(${fn}_option_descriptions "$cmdpath")}")
    _describe -t options 'option' lines
    return
  fi
  choices="$(${fn}_subcommands "$cmdpath")"
  if [[ -n "$choices" ]]; then
    lines=("\${(@f)$(${fn}_subcommand_descriptions "$cmdpath")}")
    _describe -t commands 'command' lines
    return
  fi
  choices="$(${fn}_expand "$(${fn}_arg_choices "$cmdpath|$nargs")")"
  if [[ -n "$choices" ]]; then compadd -- \${=choices}; else _files; fi
}

if [[ "\${zsh_eval_context[-1]}" == loadautofunc ]]; then
  ${fn} "$@"
else
  compdef ${fn} ${program}
fi
`;
}

function fishScript(program: string, specs: CommandSpec[]): string {
  const fn = `__${program}`;
  const key = (spec: CommandSpec) => spec.path.join(' ');
  const lines: string[] = [];
  const fishQuote = (text: string) => `'${text.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
  // A dynamic list is a command substitution fish runs when Tab is pressed.
  const fishChoices = (choices: string[]) =>
    choices.length === 1 && choices[0].startsWith('@')
      ? fishQuote(`(${program} __complete ${choices[0].slice(1)} 2>/dev/null)`)
      : fishQuote(choices.join(' '));
  for (const spec of specs) {
    const condition = `"${fn}_path_is ${fishQuote(key(spec))}"`;
    for (const sub of spec.subcommands) {
      lines.push(`complete -c ${program} -f -n ${condition} -a ${fishQuote(sub.name)} -d ${fishQuote(oneLine(sub.description))}`);
    }
    spec.args.forEach((choices, index) => {
      if (choices.length === 0) return;
      lines.push(
        `complete -c ${program} -f -n "${fn}_path_is ${fishQuote(key(spec))}; and ${fn}_nargs_is ${index}" -a ${fishChoices(choices)}`,
      );
    });
    for (const option of spec.options) {
      const parts = [`complete -c ${program} -n ${condition}`];
      for (const flag of option.flags) parts.push(flag.startsWith('--') ? `-l ${flag.slice(2)}` : `-s ${flag.slice(1)}`);
      if (option.takesValue) parts.push(option.choices.length > 0 ? `-x -a ${fishChoices(option.choices)}` : '-r -F');
      parts.push(`-d ${fishQuote(oneLine(option.description))}`);
      lines.push(parts.join(' '));
    }
  }
  const valueOptions = specs.map(
    (s) =>
      `    case ${fishQuote(key(s))}\n      echo ${
        s.options
          .filter((o) => o.takesValue)
          .flatMap((o) => o.flags)
          .join(' ') || "''"
      }`,
  );
  const subcommands = specs.map((s) => `    case ${fishQuote(key(s))}\n      echo ${s.subcommands.map((c) => c.name).join(' ') || "''"}`);
  return `# fish completion for ${program}. Generated by \`${program} completion fish\`; do not edit.
# Install: ${program} completion fish > ~/.config/fish/completions/${program}.fish

function ${fn}_value_options
  switch $argv[1]
${valueOptions.join('\n')}
  end
end

function ${fn}_subcommands
  switch $argv[1]
${subcommands.join('\n')}
  end
end

# Prints the command path and the number of positionals typed after it, e.g. "config set|1".
function ${fn}_scan
  set -l tokens (commandline -opc)
  set -e tokens[1]
  set -l cmdpath ''
  set -l nargs 0
  set -l skip 0
  for word in $tokens
    if test $skip -eq 1
      set skip 0
      continue
    end
    switch $word
      case '--*=*'
      case '-*'
        if contains -- $word (string split ' ' -- (${fn}_value_options "$cmdpath"))
          set skip 1
        end
      case '*'
        if contains -- $word (string split ' ' -- (${fn}_subcommands "$cmdpath"))
          set cmdpath (string trim -- "$cmdpath $word")
          set nargs 0
        else
          set nargs (math $nargs + 1)
        end
    end
  end
  echo "$cmdpath|$nargs"
end

function ${fn}_path_is
  test (string split -f1 '|' -- (${fn}_scan)) = "$argv[1]"
end

function ${fn}_nargs_is
  test (string split -f2 '|' -- (${fn}_scan)) = "$argv[1]"
end

complete -c ${program} -e
${lines.join('\n')}
`;
}

export function completionScript(shell: Shell, root: Command, byFlag: Record<string, readonly string[]> = flagValues()): string {
  const program = root.name();
  const specs = commandSpecs(root, byFlag);
  if (shell === 'bash') return bashScript(program, specs);
  if (shell === 'zsh') return zshScript(program, specs);
  return fishScript(program, specs);
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
