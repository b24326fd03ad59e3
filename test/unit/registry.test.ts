// The command registry: each entry says what its module defines (so the program's help is the
// same whether a noun is loaded or stands in), and a command line loads only the noun it names.

import { Command, Help } from 'commander';
import { describe, expect, it } from 'vitest';
import type { Runtime } from '../../commands/context.js';
import { COMMANDS, entriesFor } from '../../commands/index.js';

const runtime = {} as Runtime;
const namesOf = (argv: string[]) => entriesFor(['node', 'guardian', ...argv]).flatMap((entry) => entry.commands.map((c) => c.name));

describe('command registry', () => {
  it.each(COMMANDS.map((entry) => [entry.commands[0]?.name, entry] as const))(
    '%s: the entry names, terms and summarises what its module defines',
    async (_name, entry) => {
      const program = new Command('guardian');
      (await entry.load())(program, runtime);
      const help = new Help();
      const defined = program.commands.map((c) => ({
        name: c.name(),
        term: help.subcommandTerm(c),
        summary: c.description(),
        hidden: (c as Command & { _hidden?: boolean })._hidden ?? false,
      }));
      expect(defined).toEqual(entry.commands.map((c) => ({ ...c, hidden: c.hidden ?? false })));
    },
  );

  it('loads the noun a command line names, past global options and their values', () => {
    expect(namesOf(['costs'])).toEqual(['costs']);
    expect(namesOf(['-p', 'demo', '--output', 'json', 'discover', 'diff'])).toEqual(['discover']);
    expect(namesOf(['--profile=demo', '-q', 'scan', '--input', 'x'])).toEqual(['scan']);
    expect(namesOf(['--query', 'costs', 'version'])).toEqual(['version']);
    expect(namesOf(['help', 'config', 'set'])).toEqual(['config']);
    expect(namesOf(['--debug', 'help', 'optimize'])).toEqual(['optimize']);
  });

  it('loads nothing for the program help, a version flag or an unknown word', () => {
    expect(namesOf([])).toEqual([]);
    expect(namesOf(['--help'])).toEqual([]);
    expect(namesOf(['help'])).toEqual([]);
    expect(namesOf(['-V'])).toEqual([]);
    expect(namesOf(['costz'])).toEqual([]);
    expect(namesOf(['--', 'costs'])).toEqual([]);
  });

  it('loads every noun for completion, which walks the whole tree', () => {
    const all = COMMANDS.flatMap((entry) => entry.commands.map((c) => c.name));
    expect(namesOf(['completion', 'bash'])).toEqual(all);
    expect(namesOf(['__complete', 'discover', '--'])).toEqual(all);
  });
});
