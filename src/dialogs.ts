// Questions to the user that know about CI: on a TTY they prompt (with @inquirer/prompts, on stderr);
// in CI, off a TTY or with --yes they never wait on stdin: they take the declared fallback and say so,
// or, when there is no safe fallback, fail with the flag to pass instead.

import { Interrupted, UsageError } from './errors.js';
import type { Io } from './render/io.js';

export interface QuestionOptions<T> {
  /** The answer when nobody can be asked. Without one, a non-interactive run fails naming `flag`. */
  fallback?: T;
  /** The flag that answers this question in scripts, for the error message. */
  flag?: string;
}

export interface Choice<T extends string> {
  value: T;
  name?: string;
  description?: string;
}

export interface Dialogs {
  readonly interactive: boolean;
  confirm(message: string, options: QuestionOptions<boolean> & { default?: boolean }): Promise<boolean>;
  input(
    message: string,
    options: QuestionOptions<string> & { default?: string; validate?: (value: string) => string | true },
  ): Promise<string>;
  select<T extends string>(message: string, choices: Choice<T>[], options: QuestionOptions<T> & { default?: T }): Promise<T>;
}

type PromptContext = { input: NodeJS.ReadableStream; output: NodeJS.WritableStream; signal?: AbortSignal; clearPromptOnDone?: boolean };

export function createDialogs(io: Io, signal?: AbortSignal): Dialogs {
  const context = (): PromptContext => ({ input: io.stdin, output: io.stderr, signal, clearPromptOnDone: false });

  function unanswerable<T>(message: string, options: QuestionOptions<T>): T {
    if (options.fallback !== undefined) {
      io.log.verbose(`${message} → ${String(options.fallback)} (not asking: ${why()})`);
      return options.fallback;
    }
    throw new UsageError(`cannot ask "${message}" (${why()})${options.flag ? `; pass ${options.flag}` : ''}`);
  }

  function why(): string {
    if (io.yes) return '--yes';
    if (io.ci) return 'CI is set';
    return 'not a terminal';
  }

  async function ask<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      const name = (error as Error | undefined)?.name;
      // Ctrl-C inside a prompt (ExitPromptError) or the run's abort (AbortPromptError): the user is leaving.
      if (name === 'ExitPromptError' || name === 'AbortPromptError') throw new Interrupted('interrupted');
      throw error;
    }
  }

  return {
    interactive: io.interactive,
    async confirm(message, options) {
      if (!io.interactive) return unanswerable(message, options);
      const { confirm } = await import('@inquirer/prompts');
      return ask(() => confirm({ message, default: options.default ?? options.fallback }, context()));
    },
    async input(message, options) {
      if (!io.interactive) return unanswerable(message, options);
      const { input } = await import('@inquirer/prompts');
      return ask(() => input({ message, default: options.default, validate: options.validate }, context()));
    },
    async select(message, choices, options) {
      if (!io.interactive) return unanswerable(message, options);
      const { select } = await import('@inquirer/prompts');
      return ask(() => select({ message, choices, default: options.default }, context()));
    },
  };
}
