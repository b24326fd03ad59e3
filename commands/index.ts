// The command registry: every subcommand's definition, in help order. A command's heavy
// dependencies are imported inside its action, never here.

import type { CommandDefinition } from './context.js';

export const COMMANDS: CommandDefinition[] = [];
