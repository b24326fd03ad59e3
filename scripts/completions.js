// Regenerates completions/guardian.{bash,zsh,fish} from the built binary, so the committed scripts
// match the command tree (test/e2e/completion.test.ts fails when they are stale).
// Usage: npm run build && npm run completions
import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';

const entry = 'dist/bin/guardian.js';
if (!existsSync(entry)) {
  console.error(`completions: ${entry} is missing; run npm run build first`);
  process.exit(2);
}
for (const shell of ['bash', 'zsh', 'fish']) {
  const script = execFileSync(process.execPath, [entry, 'completion', shell], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  writeFileSync(`completions/guardian.${shell}`, script);
  console.log(`wrote completions/guardian.${shell}`);
}
