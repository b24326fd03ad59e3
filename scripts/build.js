// Builds dist/ with tsc, then makes the entry executable and copies data files tsc does not emit.
// tsc emits even when it reports type errors; the exit code still says whether it did.
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync } from 'node:fs';

const result = spawnSync('tsc', ['-p', 'tsconfig.build.json'], { stdio: 'inherit', shell: process.platform === 'win32' });
if (existsSync('dist/bin/guardian.js')) chmodSync('dist/bin/guardian.js', 0o755);
if (existsSync('src/pricing/data')) cpSync('src/pricing/data', 'dist/src/pricing/data', { recursive: true });
process.exit(result.status ?? 1);
