// The command registry: every top-level command in help order, with what the program's own help
// says about it. A noun's module (its flags, verbs and help) is imported only when the command
// line names it, so `guardian --help` and `guardian costs` never load the other nouns; a command's
// heavy dependencies are imported inside its action. test/unit/registry.test.ts checks that each
// entry's term and summary are what the loaded command says.

import type { CommandDefinition } from './context.js';

export interface CommandEntry {
  /** The top-level commands the module defines, as the program's help lists them. */
  commands: { name: string; term: string; summary: string; hidden?: boolean }[];
  load(): Promise<CommandDefinition>;
}

export const COMMANDS: CommandEntry[] = [
  {
    commands: [
      { name: 'discover', term: 'discover [options]', summary: 'inventory every configured cloud, account and region concurrently' },
    ],
    load: async () => (await import('./discover/index.js')).defineDiscover,
  },
  {
    commands: [
      {
        name: 'costs',
        term: 'costs [options]',
        summary: 'show spend by service, region and account from the billing APIs, with a budget check; or --estimate the run-rate',
      },
    ],
    load: async () => (await import('./costs/index.js')).defineCosts,
  },
  {
    commands: [
      {
        name: 'metrics',
        term: 'metrics [options]',
        summary: "read machines' utilisation (CPU, network, disk, database) from the clouds' monitoring APIs",
      },
    ],
    load: async () => (await import('./metrics.js')).defineMetrics,
  },
  {
    commands: [
      {
        name: 'optimize',
        term: 'optimize [options]',
        summary:
          'what to stop paying for: idle, oversized and previous-generation machines, unattached disks, unused addresses, old snapshots',
      },
    ],
    load: async () => (await import('./optimize/index.js')).defineOptimize,
  },
  {
    commands: [
      {
        name: 'scan',
        term: 'scan [options]',
        summary: 'find misconfigured and exposed resources (live, --input snapshot or --plan terraform)',
      },
    ],
    load: async () => (await import('./scan/index.js')).defineScan,
  },
  {
    commands: [
      { name: 'predict', term: 'predict', summary: 'look ahead: spend forecasts, capacity exhaustion, anomalies and resources at risk' },
    ],
    load: async () => (await import('./predict/index.js')).definePredict,
  },
  {
    commands: [
      {
        name: 'chat',
        term: 'chat [options] [question...]',
        summary: 'ask about the estate in plain language; answered from discover, costs, scan, optimize and predict',
      },
    ],
    load: async () => (await import('./chat/index.js')).defineChat,
  },
  {
    commands: [
      {
        name: 'watch',
        term: 'watch [options]',
        summary: 'a live terminal dashboard of the estate: resources, spend, findings, savings, anomalies',
      },
    ],
    load: async () => (await import('./watch.js')).defineWatch,
  },
  {
    commands: [
      {
        name: 'query',
        term: 'query [options] [sql]',
        summary: 'run SQL over the inventory: every saved snapshot (embedded PostgreSQL), or a team server with --db',
      },
    ],
    load: async () => (await import('./query.js')).defineQuery,
  },
  {
    commands: [{ name: 'config', term: 'config', summary: 'manage profiles, cloud settings and stored credentials' }],
    load: async () => (await import('./config/index.js')).defineConfig,
  },
  {
    commands: [
      { name: 'completion', term: 'completion <shell>', summary: 'print a shell completion script (bash, zsh or fish)' },
      { name: '__complete', term: '__complete <list>', summary: '', hidden: true },
    ],
    load: async () => (await import('./completion/index.js')).defineCompletion,
  },
  {
    commands: [
      {
        name: 'sandbox',
        term: 'sandbox',
        summary: "the built-in sandbox cloud: a seeded estate behind AWS, Azure and GCP's real APIs, on this machine",
      },
    ],
    load: async () => (await import('./sandbox/index.js')).defineSandbox,
  },
  {
    commands: [{ name: 'init', term: 'init', summary: 'write files that set Guardian up in a repository' }],
    load: async () => (await import('./init.js')).defineInit,
  },
  {
    commands: [
      {
        name: 'version',
        term: 'version',
        summary: 'print the version, the commit it was built from and the Node.js version (--json too)',
      },
    ],
    load: async () => (await import('./version.js')).defineVersion,
  },
];

/** Global options that take a value, so the command's name is not mistaken for one. */
const VALUE_OPTIONS = new Set(['-p', '--profile', '-o', '--output', '--query', '--sort-by']);

/** Nouns that need the whole tree: completion walks every command. */
const WHOLE_TREE = new Set(['completion', '__complete']);

/**
 * The entries a command line needs loaded: the one it names (`guardian -p demo costs`,
 * `guardian help costs spend`), all of them for completion, none for the program's own help, a
 * version flag or an unknown word (commander suggests from the names alone).
 */
export function entriesFor(argv: readonly string[], entries: readonly CommandEntry[] = COMMANDS): CommandEntry[] {
  const words: string[] = [];
  for (let i = 2; i < argv.length && words.length < 2; i++) {
    const arg = argv[i] as string;
    if (arg === '--') break;
    if (arg.startsWith('-')) {
      if (VALUE_OPTIONS.has(arg)) i++;
      continue;
    }
    words.push(arg);
    if (arg !== 'help') break;
  }
  const name = words[0] === 'help' ? words[1] : words[0];
  if (name === undefined) return [];
  if (WHOLE_TREE.has(name)) return [...entries];
  return entries.filter((entry) => entry.commands.some((command) => command.name === name));
}
