// `guardian predict`: what spend and capacity will be, and what looks anomalous now. Each verb
// is its own file; everything heavy (readers, models) loads inside the verbs' actions.

import type { CommandDefinition, VerbDefinition } from '../context.js';
import { definePredictAnomalies } from './anomalies.js';
import { definePredictCosts } from './costs.js';

/** The verbs, in help order. */
const VERBS: VerbDefinition[] = [definePredictCosts, definePredictAnomalies];

export const definePredict: CommandDefinition = (program, runtime) => {
  const predict = program
    .command('predict')
    .description('forecast spend and capacity, and flag what looks anomalous now')
    .addHelpText(
      'after',
      `
Examples:
  guardian predict costs --profile demo                 # daily spend to month end, 80%/95% intervals
  guardian predict costs --horizon 90d --json
  guardian predict anomalies --input cpu.csv             # flagged points, each with its reason`,
    );
  for (const define of VERBS) define(predict, runtime);
};
