// What every command's action receives: the Io built from the global flags, the global options,
// the run's cancellation signal, and the run's dependencies (clock, config store, cloud session,
// dialogs), so no command constructs them and the src functions it calls get them as parameters.
// The dependencies load their modules on first use: `guardian --help` stays light.

import type { Command } from 'commander';
import { requestedProfileName } from '../src/config/profile.js';
import type { ConfigStore } from '../src/config/store.js';
import type { Dialogs } from '../src/dialogs.js';
import type { CloudSession } from '../src/discovery/session.js';
import { createIo, type Io } from '../src/render/io.js';

export interface GlobalOptions {
  profile?: string;
  output?: string;
  json?: boolean;
  color?: boolean;
  quiet?: boolean;
  verbose?: boolean;
  debug?: boolean;
  yes?: boolean;
  query?: string;
  sortBy?: string;
  /** false with --no-headers. */
  headers?: boolean;
}

export interface CommandContext {
  io: Io;
  globals: GlobalOptions;
  /** Aborted on Ctrl-C: long work must stop, clean up and return what it has. */
  signal: AbortSignal;
  env: NodeJS.ProcessEnv;
  /** The profile asked for: --profile, then GUARDIAN_PROFILE; undefined leaves it to the store. */
  profile: string | undefined;
  /** The working directory: relative paths, .guardian-suppressions.yaml, where `init ci` writes. */
  cwd: string;
  /** The wall clock. */
  now(): Date;
  /** The config store, read afresh on every call. */
  openStore(): Promise<ConfigStore>;
  /** The requested profile's clouds (stored, the demo sandbox, or ambient credentials); the caller closes it. */
  openSession(): Promise<CloudSession>;
  /** Questions that know about CI, --yes and the Ctrl-C signal. */
  dialogs(): Promise<Dialogs>;
  /** For a command whose normal end is Ctrl-C or SIGTERM (`sandbox serve`): that stop exits 0, not 130. */
  stopsOnSignal(): void;
}

export interface Runtime {
  signal: AbortSignal;
  env: NodeJS.ProcessEnv;
  streams: Parameters<typeof createIo>[0];
  stopsOnSignal?: () => void;
  /** The clock every command reads (default: the wall clock). */
  now?: () => Date;
  /** Default: the process's working directory. */
  cwd?: string;
}

export function contextFor(command: Command, runtime: Runtime): CommandContext {
  const globals = command.optsWithGlobals<GlobalOptions>();
  const io = createIo(runtime.streams, runtime.env, globals);
  const { signal, env } = runtime;
  const profile = requestedProfileName(globals.profile, env);
  return {
    io,
    globals,
    signal,
    env,
    profile,
    cwd: runtime.cwd ?? process.cwd(),
    now: runtime.now ?? (() => new Date()),
    openStore: async () => (await import('../src/config/store.js')).openConfigStore(env),
    openSession: async () => (await import('../src/discovery/session.js')).openSession(profile, env),
    dialogs: async () => (await import('../src/dialogs.js')).createDialogs(io, signal),
    stopsOnSignal: () => runtime.stopsOnSignal?.(),
  };
}

/** A command file exports one of these; commands/index.ts lists them. */
export type CommandDefinition = (program: Command, runtime: Runtime) => void;

/** A verb of a noun with several (`config set`): its file exports one; the noun's index.ts lists them. */
export type VerbDefinition = (noun: Command, runtime: Runtime) => void;

/** The profile a command runs under (`ctx.profile`): --profile, then GUARDIAN_PROFILE, then the store's current one. */
export function requestedProfile(ctx: Pick<CommandContext, 'profile'>): string | undefined {
  return ctx.profile;
}
