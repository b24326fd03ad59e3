// `guardian discover`: the inventory itself (run.ts), `discover diff` between snapshots and
// `discover merge` of a sharded run's snapshots.

import type { CommandDefinition, VerbDefinition } from '../context.js';
import { defineDiscoverDiff } from './diff.js';
import { defineDiscoverMerge } from './merge.js';
import { defineDiscoverRun } from './run.js';

/** The noun's own action first, then its verbs in help order. */
const VERBS: VerbDefinition[] = [defineDiscoverRun, defineDiscoverDiff, defineDiscoverMerge];

export const defineDiscover: CommandDefinition = (program, runtime) => {
  const discover = program.command('discover');
  for (const define of VERBS) define(discover, runtime);
};
