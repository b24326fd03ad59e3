// Completion scripts come from the live command tree; the committed copies in completions/ must
// match what the current build prints (regenerate with: npm run build && npm run completions).

import { readFileSync } from 'node:fs';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';

function guardian(...args: string[]) {
  return execa(process.execPath, ['dist/bin/guardian.js', ...args], { reject: false, stdin: 'ignore' });
}

async function hasShell(shell: string): Promise<boolean> {
  const result = await execa('sh', ['-c', `command -v ${shell}`], { reject: false });
  return result.exitCode === 0;
}

describe.each(['bash', 'zsh', 'fish'])('guardian completion %s', (shell) => {
  it('prints a script naming every command', async () => {
    const result = await guardian('completion', shell);
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toBe('');
    for (const word of ['config', 'completion', 'profiles', 'profile', 'show-secrets', 'aws.regions'])
      expect(result.stdout).toContain(word);
  });

  it(`matches the committed completions/guardian.${shell} (run npm run completions when this fails)`, async () => {
    const result = await guardian('completion', shell);
    expect(result.stdout).toBe(readFileSync(`completions/guardian.${shell}`, 'utf8').replace(/\n$/, ''));
  });

  it('is valid shell syntax', async (context) => {
    if (shell !== 'bash' && !(await hasShell(shell))) context.skip();
    const result = await execa(shell, ['-n', `completions/guardian.${shell}`], { reject: false });
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
  });
});

describe('bash completion behaviour', () => {
  it('completes subcommands, option values and keys', async () => {
    const script = `
source completions/guardian.bash
t() { COMP_WORDS=("$@"); COMP_CWORD=$((\${#COMP_WORDS[@]}-1)); COMPREPLY=(); _guardian_complete; echo "\${COMPREPLY[*]}"; }
t guardian config ''
t guardian --output j
t guardian -p prod config set aws.r
t guardian completion ''
`;
    const result = await execa('bash', ['-c', script]);
    expect(result.stdout.split('\n')).toEqual([
      expect.stringMatching(/^init list ls get set unset profiles use delete rm path/),
      'json junit',
      'aws.regions',
      'bash zsh fish',
    ]);
  });
});

describe('guardian completion with a wrong shell', () => {
  it('exits 2 with one line', async () => {
    const result = await guardian('completion', 'powershell');
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe("guardian: unknown shell 'powershell' (choose bash, zsh, fish)");
  });
});
