// `guardian completion bash|zsh|fish`: the completion script for the program's own tree, with the
// rule ids of the catalog as --rules values.

import type { Command } from 'commander';
import { SHELLS, type Shell } from '../../src/completion/scripts.js';
import { UsageError } from '../../src/errors.js';
import { contextFor, type VerbDefinition } from '../context.js';
import { suggest } from '../options.js';
import { completionScript, flagValues } from './specs.js';

export const defineCompletionScript: VerbDefinition = (program, runtime) => {
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
      const { loadCatalog, loadCostCatalog } = await import('../../src/rules/catalog.js');
      const ruleIds = (await loadCatalog()).map((rule) => rule.id);
      const costRuleIds = (await loadCostCatalog()).map((rule) => rule.id);
      ctx.io.stdout.write(completionScript(shell as Shell, root, flagValues(ruleIds, costRuleIds)));
    });
  // Suggested rather than enforced with .choices(), so a wrong shell gets Guardian's own one-line error.
  suggest(completion.registeredArguments[0], SHELLS);
};
