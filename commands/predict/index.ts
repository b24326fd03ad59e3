// `guardian predict`: what spend and capacity will be, and what looks abnormal now. Each verb is one
// file of this folder registered by one line below; the work is in src/predict/.

import type { CommandDefinition, VerbDefinition } from '../context.js';
import { definePredictAnomalies } from './anomalies.js';

/** The verbs, in help order: a verb is one file and one line here. */
const VERBS: VerbDefinition[] = [definePredictAnomalies];

export const definePredict: CommandDefinition = (program, runtime) => {
  const predict = program.command('predict').description('forecast spend and capacity, and flag what looks anomalous now');
  for (const define of VERBS) define(predict, runtime);
};
