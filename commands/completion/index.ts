// Shell completion: `guardian completion SHELL` prints a script generated from the live command
// tree (specs.ts), and the hidden `guardian __complete LIST` answers its Tab lookups.

import type { CommandDefinition } from '../context.js';
import { defineCompleteList } from './complete.js';
import { defineCompletionScript } from './script.js';

export const defineCompletion: CommandDefinition = (program, runtime) => {
  defineCompletionScript(program, runtime);
  defineCompleteList(program, runtime);
};
