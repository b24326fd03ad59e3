// `guardian chat`: questions about the estate answered with Guardian's read-only tools — once
// (`guardian chat "question"`, ask.ts) or in an interactive session on a terminal — and the saved
// sessions (`guardian chat sessions list|show|export|delete`, sessions.ts).

import type { Command } from 'commander';
import { type CommandDefinition, contextFor, type VerbDefinition } from '../context.js';
import type { ChatOptions } from './ask.js';
import { defineChatSessions } from './sessions.js';

const VERBS: VerbDefinition[] = [defineChatSessions];

export const defineChat: CommandDefinition = (program, runtime) => {
  const chat = program
    .command('chat')
    .description('ask about the estate in plain language; answered from discover, costs, scan, optimize and predict')
    .argument('[question...]', 'the question (none, on a terminal: an interactive session)')
    .option('--input <file>', 'answer from a saved snapshot instead of a fresh discovery (no billing reads)')
    .option('--model <name>', 'the model to ask (env: GUARDIAN_LLM_MODEL, OPENAI_MODEL; profile: llm.model)')
    .option('--offline', 'answer without a model, with the offline interpreter')
    .option('--resume <id>', 'continue a saved session (see: guardian chat sessions list)')
    .option('--timeout <duration>', 'give up on the answer after this long (e.g. 2m)')
    .option(
      '--call-timeout <duration>',
      'give up on one cloud call (default 30s; retried) or a silent model request (default 2m) after this long',
    )
    .addHelpText(
      'after',
      `
The model: an OpenAI-compatible endpoint (OpenAI, Azure OpenAI, Ollama, vLLM, llama.cpp) from
GUARDIAN_LLM_BASE_URL / GUARDIAN_LLM_API_KEY, the profile's llm.baseUrl, llm.model and llm.apiKey
(stored with --secret), or OPENAI_BASE_URL / OPENAI_API_KEY. The tools are read-only: a change is
answered with the command to run. --verbose shows on stderr everything sent to the model.
Sessions are saved in the data directory (mode 600); docs/chat.md lists the tools.

Examples:
  guardian chat "what is costing us most in eu-west-1?" --profile demo
  guardian chat "which databases are public?" --json
  guardian chat --input snapshot.json "how many stopped machines are there?"
  OPENAI_BASE_URL=http://127.0.0.1:11434/v1 guardian chat --model llama3.1 "what can I cut?"
  guardian chat                                   # interactive, on a terminal
  guardian chat sessions export ID --format markdown > chat.md`,
    )
    .action(async (words: string[], options: ChatOptions, command: Command) => {
      const { runChat } = await import('./ask.js');
      await runChat(contextFor(command, runtime), words, options);
    });
  for (const define of VERBS) define(chat, runtime);
};
