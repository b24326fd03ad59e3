// Writes the GitHub Actions workflow of `guardian init ci` (scan on pull requests, upload SARIF,
// fail on high): the template with the repository and commit to install filled in, decided before
// anything is written (install-source.ts), and never over an existing file without `force`.

import { spawnSync } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildInfo } from '../build-info.js';
import { UsageError } from '../errors.js';
import { type Checkout, type InstallSource, resolveInstallSource } from './install-source.js';

export const WORKFLOW_PATH = '.github/workflows/guardian.yml';
const TEMPLATE = 'templates/github-actions.yml';
const PLACEHOLDERS = { repository: '__GUARDIAN_REPOSITORY__', commit: '__GUARDIAN_COMMIT__' } as const;

export interface WorkflowRequest {
  /** --source: URL or URL#COMMIT; undefined: this clone's origin and HEAD, else the build stamp. */
  source?: string;
  /** The repository root to write into. */
  dir: string;
  force: boolean;
}

export interface WrittenWorkflow {
  /** The file written. */
  target: string;
  source: InstallSource;
}

/** The directory this copy of Guardian lives in: beside dist/ when built, the checkout when run from the sources. */
export function packageRoot(): URL {
  const candidates = ['../../../', '../../'].map((relative) => new URL(relative, import.meta.url));
  const found = candidates.find((root) => existsSync(new URL(TEMPLATE, root)));
  if (!found) throw new Error(`the CI workflow template ${TEMPLATE} is missing from this installation`);
  return found;
}

/** What git says about `root` when it is a checkout of its own (not a copy inside another repository). */
export function readCheckout(root: string): Checkout | undefined {
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

export async function writeWorkflow(request: WorkflowRequest, root: URL = packageRoot()): Promise<WrittenWorkflow> {
  // Decided before anything is written: a workflow that cannot install Guardian is worse than none.
  const source = resolveInstallSource({
    flag: request.source,
    checkout: request.source?.includes('#') ? undefined : readCheckout(fileURLToPath(root)),
    stamp: buildInfo(),
  });
  const template = await readFile(new URL(TEMPLATE, root), 'utf8');
  for (const placeholder of Object.values(PLACEHOLDERS)) {
    if (!template.includes(placeholder)) throw new Error(`the CI workflow template has no ${placeholder}`);
  }
  // JSON strings are YAML double-quoted scalars: nothing in a URL can break out of them.
  const workflow = template
    .replaceAll(PLACEHOLDERS.repository, JSON.stringify(source.repository))
    .replaceAll(PLACEHOLDERS.commit, JSON.stringify(source.commit));

  const target = path.join(path.resolve(request.dir), WORKFLOW_PATH);
  await mkdir(path.dirname(target), { recursive: true });
  try {
    await writeFile(target, workflow, { flag: request.force ? 'w' : 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new UsageError(`${target} already exists; pass --force to overwrite it`);
    throw new UsageError(`cannot write ${target}: ${(error as Error).message}`);
  }
  return { target, source };
}
