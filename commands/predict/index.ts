// `guardian predict`: what spend and capacity will be, what looks abnormal now and which resources
// are at risk. One file per verb; everything heavy loads inside the verbs' actions.

import type { CommandDefinition, VerbDefinition } from '../context.js';
import { definePredictAnomalies } from './anomalies.js';
import { definePredictCapacity } from './capacity.js';
import { definePredictCosts } from './costs.js';
import { definePredictRisk } from './risk.js';

/** The verbs, in help order. */
const VERBS: VerbDefinition[] = [definePredictCosts, definePredictCapacity, definePredictAnomalies, definePredictRisk];

export const definePredict: CommandDefinition = (program, runtime) => {
  const predict = program
    .command('predict')
    .description('look ahead: spend forecasts, capacity exhaustion, anomalies and resources at risk')
    .addHelpText(
      'after',
      `
Examples:
  guardian predict costs --profile demo                 # daily spend to month end, 80%/95% intervals
  guardian predict costs --horizon 90d --json
  guardian predict capacity --profile demo
  guardian predict capacity --prometheus http://127.0.0.1:9090 --promql '100 * (1 - node_filesystem_avail_bytes / node_filesystem_size_bytes)'
  guardian predict anomalies --input cpu.csv             # flagged points, each with its reason
  guardian predict risk --profile demo --horizon 7d      # machines by the chance of trouble, with evidence`,
    );
  for (const define of VERBS) define(predict, runtime);
};
