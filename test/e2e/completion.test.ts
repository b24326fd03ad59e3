// Completion scripts come from the live command tree; the committed copies in completions/ must
// match what the current build prints (regenerate with: npm run build && npm run completions).

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

describe('bash completion of values from the live lists', () => {
  it('completes clouds, kinds, regions, rule ids, groupings, and profile names from the config store', async () => {
    const config = mkdtempSync(join(tmpdir(), 'guardian-completion-'));
    try {
      const env = { ...process.env, GUARDIAN_CONFIG_DIR: config, CI: '1' };
      await execa(process.execPath, ['dist/bin/guardian.js', '--profile', 'prod', 'config', 'set', 'aws.regions', 'eu-west-1'], { env });
      // The script asks `guardian __complete profiles` on Tab; here `guardian` is the built binary.
      const script = `
source completions/guardian.bash
guardian() { "${process.execPath}" dist/bin/guardian.js "$@"; }
t() { COMP_WORDS=("$@"); COMP_CWORD=$((\${#COMP_WORDS[@]}-1)); COMPREPLY=(); _guardian_complete; echo "\${COMPREPLY[*]}"; }
t guardian discover --provider ''
t guardian discover --kind aws.ec2.v
t guardian scan --region eu-central-
t guardian scan --rules AWS-RDS-00
t guardian costs --group-by ''
t guardian --profile ''
t guardian config use ''
t guardian help ''
`;
      const result = await execa('bash', ['-c', script], { env });
      expect(result.stdout.split('\n')).toEqual([
        'aws azure gcp',
        'aws.ec2.volume aws.ec2.vpc',
        'eu-central-1 eu-central-2',
        'AWS-RDS-001 AWS-RDS-002 AWS-RDS-003 AWS-RDS-004',
        'service region account tag:',
        'prod demo',
        'prod demo',
        expect.stringMatching(/^discover costs metrics optimize scan predict chat watch query config completion sandbox init version$/),
      ]);
    } finally {
      rmSync(config, { recursive: true, force: true });
    }
  });

  it('lists profiles through the hidden `__complete profiles`, and only demo over a broken file', async () => {
    const config = mkdtempSync(join(tmpdir(), 'guardian-completion-'));
    try {
      writeFileSync(join(config, 'config.json'), '{ broken');
      const result = await execa(process.execPath, ['dist/bin/guardian.js', '__complete', 'profiles'], {
        env: { ...process.env, GUARDIAN_CONFIG_DIR: config },
      });
      expect(result.stdout).toBe('demo');
      expect((await guardian('--help')).stdout).not.toContain('__complete');
    } finally {
      rmSync(config, { recursive: true, force: true });
    }
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
