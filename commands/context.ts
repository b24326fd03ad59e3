// What every command's action receives: the Io built from the global flags, the global options
// themselves, and the run's cancellation signal.

import type { Command } from 'commander';
import { requestedProfileName } from '../src/config/profile.js';
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
  /** For a command whose normal end is Ctrl-C or SIGTERM (`sandbox serve`): that stop exits 0, not 130. */
  stopsOnSignal(): void;
}

export interface Runtime {
  signal: AbortSignal;
  env: NodeJS.ProcessEnv;
  streams: Parameters<typeof createIo>[0];
  stopsOnSignal?: () => void;
}

export function contextFor(command: Command, runtime: Runtime): CommandContext {
  const globals = command.optsWithGlobals<GlobalOptions>();
  const io = createIo(runtime.streams, runtime.env, globals);
  return { io, globals, signal: runtime.signal, env: runtime.env, stopsOnSignal: () => runtime.stopsOnSignal?.() };
}

/** The profile a command runs under: --profile, then GUARDIAN_PROFILE, then the store's current one. */
export function requestedProfile(ctx: CommandContext): string | undefined {
  return requestedProfileName(ctx.globals.profile, ctx.env);
}

/** A command file exports one of these; commands/index.ts lists them. */
export type CommandDefinition = (program: Command, runtime: Runtime) => void;
