// guardian init ci: writes the GitHub Actions workflow template (scan on pull requests, upload SARIF
// to code scanning, fail on high) into .github/workflows/guardian.yml, never over an existing file
// without --force. The workflow installs this very Guardian: its git repository at the commit it
// was built from (src/ci/install-source.ts says how that is decided, src/ci/workflow.ts writes it).

import type { Command } from 'commander';
import { WORKFLOW_PATH } from '../src/ci/workflow.js';
import { type CommandContext, type CommandDefinition, contextFor } from './context.js';

export interface InitCiOptions {
  force?: boolean;
  dir?: string;
  source?: string;
}

const INIT_EXAMPLES = `
The workflow installs Guardian from its git repository at this build's commit (see README, "guardian init ci").

Examples:
  guardian init ci                                      # from a clone: installs its origin at HEAD in CI
  guardian init ci --source https://github.com/acme/guardian.git
  guardian init ci --source https://github.com/acme/guardian.git#0123456789abcdef0123456789abcdef01234567
  guardian init ci --dir ../infra --force               # write into another repository, replacing the file`;

export const defineInit: CommandDefinition = (program, runtime) => {
  const init = program.command('init').description('write files that set Guardian up in a repository').addHelpText('after', INIT_EXAMPLES);
  init
    .command('ci')
    .description(`write ${WORKFLOW_PATH}: scan pull requests, upload SARIF to code scanning, fail on high`)
    .addHelpText('after', INIT_EXAMPLES)
    .option(
      '--source <url[#commit]>',
      "git repository CI installs Guardian from (default: this clone's origin), pinned to this build's commit",
    )
    .option('--force', 'overwrite an existing workflow file')
    .option('--dir <path>', 'repository root to write into (default: the working directory)')
    .action(async (options: InitCiOptions, command: Command) => {
      await runInitCi(contextFor(command, runtime), options);
    });
};

export async function runInitCi(ctx: CommandContext, options: InitCiOptions): Promise<void> {
  const { writeWorkflow } = await import('../src/ci/workflow.js');
  const { target, source } = await writeWorkflow({ source: options.source, dir: options.dir ?? ctx.cwd, force: options.force === true });
  for (const warning of source.warnings) ctx.io.log.warn(warning);
  ctx.io.out(target);
  ctx.io.log.info(`CI installs Guardian from ${source.repository} at commit ${source.commit.slice(0, 12)}`);
  ctx.io.log.info('next: set TF_DIR and the cloud credentials in it, commit it, and open a pull request');
}
