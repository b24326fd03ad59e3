// The typed errors Guardian throws where a fact is known; bin/guardian.ts maps them to exit codes.

export const ExitCode = {
  ok: 0,
  checkFailed: 1,
  usage: 2,
  config: 3,
  partial: 4,
  interrupted: 130,
} as const;

/** An error the user can act on. Its message is one line; `hint` says what to do next. */
export abstract class GuardianError extends Error {
  abstract readonly exitCode: number;
  readonly hint?: string;
  constructor(message: string, options?: { hint?: string; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.hint = options?.hint;
  }
}

/** A bad flag, argument or input file: nothing was done. */
export class UsageError extends GuardianError {
  readonly exitCode = ExitCode.usage;
}

/** The configuration or a credential is missing, invalid or refused. */
export class ConfigError extends GuardianError {
  readonly exitCode = ExitCode.config;
}

/** The run worked and the check it performs did not pass (findings over --fail-on, budget exceeded). */
export class CheckFailed extends GuardianError {
  readonly exitCode = ExitCode.checkFailed;
}

/** Some scopes failed and --strict asked for that to fail the run. */
export class PartialResult extends GuardianError {
  readonly exitCode = ExitCode.partial;
}

/** The user pressed Ctrl-C (or the process got SIGINT/SIGTERM). */
export class Interrupted extends GuardianError {
  readonly exitCode = ExitCode.interrupted;
}

export function isGuardianError(error: unknown): error is GuardianError {
  return error instanceof GuardianError;
}
