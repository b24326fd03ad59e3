// `guardian init ci` writes a workflow that installs this very Guardian: its git repository at the
// commit it was built from, never an unpinned registry name. Run from a clone (origin + HEAD), from
// an installed copy (the build stamp), with --source, and with nothing to go on.

import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const WORKFLOW = '.github/workflows/guardian.yml';
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'guardian-init-ci-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A copy of the built Guardian in its own directory, as a clone or an installed package would have it. */
function copyOfGuardian(name: string, stamp?: object): string {
  const root = path.join(dir, name);
  mkdirSync(root, { recursive: true });
  for (const part of ['dist', 'templates', 'package.json']) cpSync(part, path.join(root, part), { recursive: true });
  symlinkSync(path.resolve('node_modules'), path.join(root, 'node_modules'));
  if (stamp) writeFileSync(path.join(root, 'dist/build-info.json'), JSON.stringify(stamp));
  return root;
}

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd, encoding: 'utf8' }).trim();
}

function initCi(root: string, args: string[] = []) {
  const repo = mkdtempSync(path.join(dir, 'repo-'));
  const run = execa(process.execPath, [path.join(root, 'dist/bin/guardian.js'), 'init', 'ci', '--dir', repo, ...args], {
    reject: false,
    stdin: 'ignore',
    env: { NO_COLOR: '1', CI: 'true' },
  });
  return { repo, run };
}

interface Workflow {
  env: Record<string, string>;
  jobs: { scan: { steps: { name?: string; run?: string; uses?: string }[] } };
}

function readWorkflow(repo: string): Workflow {
  return parse(readFileSync(path.join(repo, WORKFLOW), 'utf8')) as Workflow;
}

function installStep(workflow: Workflow): string {
  const step = workflow.jobs.scan.steps.find((s) => s.name === 'Install Guardian');
  expect(step?.run).toBeDefined();
  return step!.run!;
}

describe('guardian init ci', () => {
  it("from a clone, installs the clone's origin at its HEAD commit, and the install step uses exactly that", async () => {
    const root = copyOfGuardian('clone', { version: '0.1.0', commit: 'unknown', dirty: null, source: null });
    git(root, 'init', '-q');
    git(root, 'add', 'templates', 'package.json');
    git(root, 'commit', '-q', '-m', 'x');
    git(root, 'remote', 'add', 'origin', 'git@github.com:acme/guardian.git');
    const head = git(root, 'rev-parse', 'HEAD');
    const { repo, run } = initCi(root);
    const result = await run;
    expect(result.exitCode).toBe(0);
    const workflow = readWorkflow(repo);
    expect(workflow.env).toMatchObject({ GUARDIAN_REPOSITORY: 'git@github.com:acme/guardian.git', GUARDIAN_COMMIT: head });
    // Clone, check out the pinned commit, build from its lockfile, install that directory, and check
    // the installed copy reports the pinned commit.
    expect(installStep(workflow).split('\n').filter(Boolean)).toEqual([
      'git clone --quiet "$GUARDIAN_REPOSITORY" "$RUNNER_TEMP/guardian"',
      'git -C "$RUNNER_TEMP/guardian" checkout --quiet --detach "$GUARDIAN_COMMIT"',
      '(cd "$RUNNER_TEMP/guardian" && npm ci --no-audit --no-fund)',
      'npm install --global "$RUNNER_TEMP/guardian"',
      'guardian version',
      '# The installed copy must report the pinned commit.',
      'test "$(guardian version --json | jq -r .commit)" = "$GUARDIAN_COMMIT"',
    ]);
    expect(readFileSync(path.join(repo, WORKFLOW), 'utf8')).not.toContain('guardian-cloud');
    // Not pushed anywhere this clone knows of: said, not silently written.
    expect(result.stderr).toContain('on no remote branch');
  });

  it('from an installed copy (no .git), installs the origin and commit stamped at build time', async () => {
    const commit = 'a'.repeat(40);
    const root = copyOfGuardian('installed', { version: '0.1.0', commit, dirty: false, source: 'https://github.com/acme/guardian.git' });
    const { repo, run } = initCi(root);
    const result = await run;
    expect(result.exitCode).toBe(0);
    expect(readWorkflow(repo).env).toMatchObject({ GUARDIAN_REPOSITORY: 'https://github.com/acme/guardian.git', GUARDIAN_COMMIT: commit });
    expect(result.stderr).toBe(
      'CI installs Guardian from https://github.com/acme/guardian.git at commit aaaaaaaaaaaa\nnext: set TF_DIR and the cloud credentials in it, commit it, and open a pull request',
    );
  });

  it('takes the repository from --source and pins it to the commit of this build', async () => {
    const commit = 'b'.repeat(40);
    const root = copyOfGuardian('flag', { version: '0.1.0', commit, dirty: false, source: null });
    const { repo, run } = initCi(root, ['--source', 'https://github.com/fork/guardian']);
    expect((await run).exitCode).toBe(0);
    expect(readWorkflow(repo).env).toMatchObject({ GUARDIAN_REPOSITORY: 'https://github.com/fork/guardian', GUARDIAN_COMMIT: commit });
  });

  it('fails with one line naming --source, and writes nothing, when it cannot tell where Guardian came from', async () => {
    const root = copyOfGuardian('unknown', { version: '0.1.0', commit: 'unknown', dirty: null, source: null });
    const { repo, run } = initCi(root);
    const result = await run;
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('pass --source URL');
    expect(() => readFileSync(path.join(repo, WORKFLOW))).toThrow();
  });

  it('refuses an origin a CI runner cannot fetch (a local path) and a --source ref that is not a commit', async () => {
    const commit = 'c'.repeat(40);
    const local = copyOfGuardian('local', { version: '0.1.0', commit, dirty: false, source: '/home/me/guardian' });
    const first = await initCi(local).run;
    expect(first.exitCode).toBe(2);
    expect(first.stderr).toContain("'/home/me/guardian' is not a URL a CI runner can clone");
    const second = await initCi(local, ['--source', 'https://github.com/acme/guardian.git#main']).run;
    expect(second.exitCode).toBe(2);
    expect(second.stderr).toContain("'main' is not a full 40-character commit id");
  });
});
