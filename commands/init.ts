// guardian init ci: writes the GitHub Actions workflow template (scan on pull requests, upload SARIF
// to code scanning, fail on high) into .github/workflows/guardian.yml, never over an existing file
// without --force.

import type { Command } from 'commander';
import { type CommandContext, type CommandDefinition, contextFor } from './context.js';

export interface InitCiOptions {
  force?: boolean;
  dir?: string;
}

export const WORKFLOW_PATH = '.github/workflows/guardian.yml';

export const defineInit: CommandDefinition = (program, runtime) => {
  const init = program.command('init').description('write files that set Guardian up in a repository');
  init
    .command('ci')
    .description(`write ${WORKFLOW_PATH}: scan pull requests, upload SARIF to code scanning, fail on high`)
    .option('--force', 'overwrite an existing workflow file')
    .option('--dir <path>', 'repository root to write into (default: the working directory)')
    .action(async (options: InitCiOptions, command: Command) => {
      await runInitCi(contextFor(command, runtime), options);
    });
};

/** The template ships in the package's templates/ directory, beside dist/ (or beside commands/ in a checkout). */
async function readTemplate(): Promise<string> {
  const { readFile } = await import('node:fs/promises');
  const candidates = ['../../templates/github-actions.yml', '../templates/github-actions.yml'].map(
    (relative) => new URL(relative, import.meta.url),
  );
  for (const candidate of candidates) {
    try {
      return await readFile(candidate, 'utf8');
    } catch {
      // try the next layout
    }
  }
  throw new Error('the CI workflow template templates/github-actions.yml is missing from this installation');
}

export async function runInitCi(ctx: CommandContext, options: InitCiOptions): Promise<void> {
  const path = await import('node:path');
  const { mkdir, writeFile } = await import('node:fs/promises');
  const { UsageError } = await import('../src/errors.js');
  const root = path.resolve(options.dir ?? process.cwd());
  const target = path.join(root, WORKFLOW_PATH);
  const template = await readTemplate();
  await mkdir(path.dirname(target), { recursive: true });
  try {
    await writeFile(target, template, { flag: options.force ? 'w' : 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new UsageError(`${target} already exists; pass --force to overwrite it`);
    }
    throw new UsageError(`cannot write ${target}: ${(error as Error).message}`);
  }
  ctx.io.out(target);
  ctx.io.log.info('next: set TF_DIR and the cloud credentials in it, commit it, and open a pull request');
}
