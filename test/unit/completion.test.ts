import { Command, Option } from 'commander';
import { describe, expect, it } from 'vitest';
import { commandSpecs, completionScript, suggest } from '../../commands/completion.js';

function program(): Command {
  const root = new Command('guardian')
    .option('-p, --profile <name>', 'profile')
    .addOption(new Option('-o, --output <format>', 'format').choices(['table', 'json']));
  const scan = root.command('scan').description('find problems').option('--fail-on <severity>', 'threshold').option('--strict', 'strict');
  suggest(scan.options[0], ['low', 'high']);
  scan.command('rules').alias('r').argument('<id>', 'rule id');
  root.command('secret', { hidden: true });
  return root;
}

describe('completion from the command tree', () => {
  it('lists commands, aliases, inherited options, choices and suggestions, and skips hidden commands', () => {
    const specs = commandSpecs(program());
    const byPath = new Map(specs.map((s) => [s.path.join(' '), s]));
    expect(byPath.get('')?.subcommands.map((c) => c.name)).toEqual(['scan', 'help']);
    expect(byPath.has('secret')).toBe(false);
    expect(byPath.get('scan rules')).toBeDefined();
    expect(byPath.get('scan r')).toBeDefined();
    const scanOptions = byPath.get('scan')!.options;
    expect(scanOptions.find((o) => o.flags.includes('--fail-on'))).toMatchObject({ takesValue: true, choices: ['low', 'high'] });
    expect(scanOptions.find((o) => o.flags.includes('--output'))).toMatchObject({ takesValue: true, choices: ['table', 'json'] });
    expect(scanOptions.find((o) => o.flags.includes('--strict'))).toMatchObject({ takesValue: false });
    expect(byPath.get('help')?.args).toEqual([['scan']]);
  });

  it('puts a newly registered command into every shell script', () => {
    for (const shell of ['bash', 'zsh', 'fish'] as const) {
      const script = completionScript(shell, program());
      expect(script).toContain('fail-on');
      expect(script).toContain('rules');
      expect(script).not.toContain('secret');
    }
  });
});
