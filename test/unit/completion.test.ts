import { Command, Option } from 'commander';
import { describe, expect, it } from 'vitest';
import { commandSpecs, completionScript, flagValues } from '../../commands/completion/specs.js';
import { suggest } from '../../commands/options.js';

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

  it("offers a flag's values wherever the flag appears, unless the command declares its own", () => {
    const root = new Command('guardian').option('-p, --profile <name>', 'profile');
    root.command('discover').option('--kind <kinds...>', 'kinds').option('--provider <clouds...>', 'clouds');
    const scan = root.command('scan').option('--provider <clouds...>', 'clouds');
    suggest(scan.options[0], ['aws']);
    const byPath = new Map(commandSpecs(root, flagValues(['R-1'])).map((s) => [s.path.join(' '), s]));
    const choices = (path: string, flag: string) => byPath.get(path)!.options.find((o) => o.flags.includes(flag))!.choices;
    expect(choices('discover', '--provider')).toEqual(['aws', 'azure', 'gcp']);
    expect(choices('scan', '--provider')).toEqual(['aws']);
    expect(choices('discover', '--kind')).toEqual(expect.arrayContaining(['aws', 'aws.ec2', 'aws.ec2.instance', 'gcp.compute.disk']));
    expect(choices('discover', '--profile')).toEqual(['@profiles']);
    expect(completionScript('fish', root)).toContain("-x -a '(guardian __complete profiles 2>/dev/null)'");
  });

  it("offers optimize's --rules the cost rules and scan's the security rules", () => {
    const root = new Command('guardian');
    root.command('scan').option('--rules <ids...>', 'ids').option('--skip-rules <ids...>', 'ids');
    root.command('optimize').option('--rules <ids...>', 'ids').option('--skip-rules <ids...>', 'ids');
    const byPath = new Map(commandSpecs(root, flagValues(['AWS-EC2-001'], ['AWS-COST-001'])).map((s) => [s.path.join(' '), s]));
    const choices = (path: string, flag: string) => byPath.get(path)!.options.find((o) => o.flags.includes(flag))!.choices;
    expect(choices('scan', '--rules')).toEqual(['AWS-EC2-001']);
    expect(choices('scan', '--skip-rules')).toEqual(['AWS-EC2-001']);
    expect(choices('optimize', '--rules')).toEqual(['AWS-COST-001']);
    expect(choices('optimize', '--skip-rules')).toEqual(['AWS-COST-001']);
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
