// The command registry: every subcommand's definition, in help order. A command's heavy
// dependencies are imported inside its action, never here.

import { defineCompletion } from './completion/index.js';
import { defineConfig } from './config/index.js';
import type { CommandDefinition } from './context.js';
import { defineCosts } from './costs/index.js';
import { defineDiscover } from './discover/index.js';
import { defineInit } from './init.js';
import { defineMetrics } from './metrics.js';
import { defineOptimize } from './optimize/index.js';
import { defineSandbox } from './sandbox/index.js';
import { defineScan } from './scan/index.js';
import { defineVersion } from './version.js';
import { defineWatch } from './watch.js';

export const COMMANDS: CommandDefinition[] = [
  defineDiscover,
  defineCosts,
  defineMetrics,
  defineOptimize,
  defineScan,
  defineWatch,
  defineConfig,
  defineCompletion,
  defineSandbox,
  defineInit,
  defineVersion,
];
