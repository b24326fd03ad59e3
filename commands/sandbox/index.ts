// `guardian sandbox`: the built-in cloud. `serve` runs it in the foreground; `manifest` prints the
// ground truth of an estate. Everything heavy (generator, server, SDK-shaped service modules)
// loads inside the verbs' actions.

import type { CommandDefinition, VerbDefinition } from '../context.js';
import { defineSandboxManifest } from './manifest.js';
import { defineSandboxServe } from './serve.js';

/** The verbs, in help order. */
const VERBS: VerbDefinition[] = [defineSandboxServe, defineSandboxManifest];

export const defineSandbox: CommandDefinition = (program, runtime) => {
  const sandbox = program
    .command('sandbox')
    .description("the built-in sandbox cloud: a seeded estate behind AWS, Azure and GCP's real APIs, on this machine")
    .addHelpText(
      'after',
      `
Examples:
  guardian sandbox serve --port 4566                     # prints the endpoints and the variables to export
  guardian sandbox serve --size 10000 --latency 100 --throttle 100:20 --errors 0.05 --outage eu-west-1
  guardian sandbox manifest --seed 42 --size 2000 --json   # the ground truth: counts, planted conditions, true costs
  guardian discover --profile demo                       # the same sandbox, started inside the process

The demo profile's estate and faults: GUARDIAN_DEMO_SEED, GUARDIAN_DEMO_SIZE, GUARDIAN_DEMO_NOW,
GUARDIAN_DEMO_LATENCY, GUARDIAN_DEMO_THROTTLE, GUARDIAN_DEMO_ERRORS, GUARDIAN_DEMO_RESETS, GUARDIAN_DEMO_OUTAGE,
GUARDIAN_DEMO_FAIL, GUARDIAN_DEMO_SETTLE.`,
    );
  for (const define of VERBS) define(sandbox, runtime);
};
