// Builds dist/ with tsc, then makes the entry executable, copies data files tsc does not emit, and
// stamps dist/build-info.json with the commit it was built from (an installed copy has no .git to ask).
// tsc emits even when it reports type errors; the exit code still says whether it did.
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';

const result = spawnSync('tsc', ['-p', 'tsconfig.build.json'], { stdio: 'inherit', shell: process.platform === 'win32' });
if (existsSync('dist/bin/guardian.js')) chmodSync('dist/bin/guardian.js', 0o755);
if (existsSync('src/pricing/data')) cpSync('src/pricing/data', 'dist/src/pricing/data', { recursive: true });
mkdirSync('dist', { recursive: true });
writeFileSync('dist/build-info.json', `${JSON.stringify(buildInfo(), null, 2)}\n`);
process.exit(result.status ?? 1);

/** What `guardian version` and `guardian init ci` need to know about this build; 'unknown' without git. */
function buildInfo() {
  const git = (...args) => {
    const run = spawnSync('git', args, { encoding: 'utf8' });
    return run.status === 0 ? run.stdout.trim() : undefined;
  };
  const { version } = JSON.parse(readFileSync('package.json', 'utf8'));
  const commit = git('rev-parse', 'HEAD');
  // Only a checkout of Guardian itself may describe the build by its commit: a copy unpacked inside
  // some other repository (node_modules of a project) would otherwise take that project's commit.
  const top = git('rev-parse', '--show-toplevel');
  const inRepo = commit !== undefined && top !== undefined && realpathSync(top) === realpathSync(process.cwd());
  const status = inRepo ? git('status', '--porcelain', '--untracked-files=no') : undefined;
  return {
    version,
    commit: inRepo ? commit : 'unknown',
    dirty: status === undefined ? null : status !== '',
    source: (inRepo && git('remote', 'get-url', 'origin')) || null,
  };
}
