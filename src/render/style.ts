// Colour for human output, through chalk and only when the Io allows it (a TTY, no CI, no NO_COLOR,
// no --no-color). FORCE_COLOR cannot switch it on behind the Io's back: the level is set here.

import type { ChalkInstance } from 'chalk';
import type { Io } from './io.js';

export type Style = ChalkInstance;

/** A chalk instance for this run: colourless (level 0) unless io.color. chalk is loaded on first use. */
export async function loadStyle(io: Pick<Io, 'color'>): Promise<Style> {
  const { Chalk } = await import('chalk');
  return new Chalk({ level: io.color ? 1 : 0 });
}
