// guardian init ci: writes the GitHub Actions workflow template (scan on pull requests, upload SARIF
// to code scanning, fail on high) into .github/workflows/guardian.yml, never over an existing file
// without --force. The workflow installs this very Guardian: its git repository at the commit it
// was built from (src/ci/install-source.ts says how that is decided).

import type { Command } from 'commander';
import type { Checkout } from '../src/ci/install-source.js';
import { type CommandContext, type CommandDefinition, contextFor } from './context.js';

export interface InitCiOptions {
  force?: boolean;
  dir?: string;
  source?: string;
}

export const WORKFLOW_PATH = '.github/workflows/guardian.yml';
const PLACEHOLDERS = { repository: '__GUARDIAN_REPOSITORY__', commit: '__GUARDIAN_COMMIT__' } as const;

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

/** The directory this copy of Guardian lives in: beside dist/ when built, beside commands/ from the sources. */
async function packageRoot(): Promise<URL> {
  const { existsSync } = await import('node:fs');
  const candidates = ['../../', '../'].map((relative) => new URL(relative, import.meta.url));
  const found = candidates.find((root) => existsSync(new URL('templates/github-actions.yml', root)));
  if (!found) throw new Error('the CI workflow template templates/github-actions.yml is missing from this installation');
  return found;
}

/** What git says about `root` when it is a checkout of its own (not a copy inside another repository). */
async function readCheckout(root: string): Promise<Checkout | undefined> {
  const { spawnSync } = await import('node:child_process');
  const { realpathSync } = await import('node:fs');
  const git = (...args: string[]) => {
    const run = spawnSync('git', ['-C', root, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 10_000 });
    return run.status === 0 ? run.stdout.trim() : undefined;
  };
  const top = git('rev-parse', '--show-toplevel');
  const head = git('rev-parse', 'HEAD');
  if (!top || !head || realpathSync(top) !== realpathSync(root)) return undefined;
  return {
    origin: git('remote', 'get-url', 'origin') || undefined,
    head,
    dirty: git('status', '--porcelain', '--untracked-files=no') !== '',
    pushed: (git('branch', '--remotes', '--contains', 'HEAD') ?? '') !== '',
  };
}

export async function runInitCi(ctx: CommandContext, options: InitCiOptions): Promise<void> {
  const path = await import('node:path');
  const { fileURLToPath } = await import('node:url');
  const { mkdir, readFile, writeFile } = await import('node:fs/promises');
  const { UsageError } = await import('../src/errors.js');
  const { buildInfo } = await import('../src/build-info.js');
  const { resolveInstallSource } = await import('../src/ci/install-source.js');
  const root = await packageRoot();
  const rootDir = fileURLToPath(root);
  // Decided before anything is written: a workflow that cannot install Guardian is worse than none.
  const source = resolveInstallSource({
    flag: options.source,
    checkout: options.source?.includes('#') ? undefined : await readCheckout(rootDir),
    stamp: buildInfo(),
  });
  const template = await readFile(new URL('templates/github-actions.yml', root), 'utf8');
  for (const placeholder of Object.values(PLACEHOLDERS)) {
    if (!template.includes(placeholder)) throw new Error(`the CI workflow template has no ${placeholder}`);
  }
  // JSON strings are YAML double-quoted scalars: nothing in a URL can break out of them.
  const workflow = template
    .replaceAll(PLACEHOLDERS.repository, JSON.stringify(source.repository))
    .replaceAll(PLACEHOLDERS.commit, JSON.stringify(source.commit));

  const target = path.join(path.resolve(options.dir ?? process.cwd()), WORKFLOW_PATH);
  await mkdir(path.dirname(target), { recursive: true });
  try {
    await writeFile(target, workflow, { flag: options.force ? 'w' : 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new UsageError(`${target} already exists; pass --force to overwrite it`);
    }
    throw new UsageError(`cannot write ${target}: ${(error as Error).message}`);
  }
  for (const warning of source.warnings) ctx.io.log.warn(warning);
  ctx.io.out(target);
  ctx.io.log.info(`CI installs Guardian from ${source.repository} at commit ${source.commit.slice(0, 12)}`);
  ctx.io.log.info('next: set TF_DIR and the cloud credentials in it, commit it, and open a pull request');
}
