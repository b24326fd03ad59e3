// The flags every sandbox verb takes to choose its estate (seed, size, day), and their parsing.

import type { Command } from 'commander';
import { SANDBOX_DEFAULTS } from '../../src/sandbox/defaults.js';

export interface EstateFlags {
  seed?: string;
  size?: string;
  now?: string;
}

export function estateFlags(command: Command): Command {
  return command
    .option('--seed <n>', `estate seed (default ${SANDBOX_DEFAULTS.seed})`)
    .option('--size <n>', `number of resources, 50 to 200000 (default ${SANDBOX_DEFAULTS.size})`)
    .option('--now <day>', 'the day the estate is generated at, YYYY-MM-DD (default: today, UTC)');
}

export async function estateOptions(flags: EstateFlags): Promise<{ seed: number; size: number; now?: string }> {
  const { parseDay, parseSeed, parseSize } = await import('../../src/sandbox/options.js');
  return {
    seed: flags.seed === undefined ? SANDBOX_DEFAULTS.seed : parseSeed('--seed', flags.seed),
    size: flags.size === undefined ? SANDBOX_DEFAULTS.size : parseSize('--size', flags.size),
    now: flags.now === undefined ? undefined : parseDay('--now', flags.now),
  };
}
