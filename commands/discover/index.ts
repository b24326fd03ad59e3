// `guardian discover`: the inventory itself (run.ts) and `discover diff` between snapshots.

import type { CommandDefinition, VerbDefinition } from '../context.js';
import { defineDiscoverDiff } from './diff.js';
import { defineDiscoverRun } from './run.js';

/** The noun's own action first, then its verbs in help order. */
const VERBS: VerbDefinition[] = [defineDiscoverRun, defineDiscoverDiff];

export const defineDiscover: CommandDefinition = (program, runtime) => {
  const discover = program.command('discover');
  for (const define of VERBS) define(discover, runtime);
};
