// The interactive session of `guardian chat` on a terminal: node:readline with history (↑), the
// answer streamed as it arrives, /help, /reset, /tools and /exit. Ctrl-C cancels the answer in
// progress (its AbortSignal reaches the model's stream and the tools); Ctrl-C at the prompt, or
// Ctrl-D, leaves. Lines typed ahead are queued, not lost.

import { redactText } from '../config/redact.js';
import { isGuardianError } from '../errors.js';
import { escapeControls } from '../render/escape.js';
import type { Io } from '../render/io.js';
import type { AskEvents, Conversation } from './conversation.js';
import { CHAT_TOOLS } from './tools/index.js';

const HELP = `/help    this list
/tools   the tools the assistant may call (all read-only)
/reset   start the conversation afresh (the session file keeps what was said)
/exit    leave (also Ctrl-D, or Ctrl-C at the prompt)
Ctrl-C while an answer is coming cancels it.`;

const HISTORY_SIZE = 200;

export interface ReplOptions {
  /** The command's signal (SIGTERM, the second Ctrl-C of main's handler): ends the session. */
  signal: AbortSignal;
  events: (io: Io) => AskEvents;
  /** Earlier questions, most recent first: ↑ reaches them from the start. */
  history?: string[];
}

/** Text from the model and the clouds, safe for the terminal: secrets hidden, control characters escaped. */
export const safeText = (text: string) => escapeControls(redactText(text), { newlines: true });

export async function runRepl(io: Io, conversation: Conversation, options: ReplOptions): Promise<void> {
  const { createInterface } = await import('node:readline');
  const rl = createInterface({
    input: io.stdin,
    output: io.stdout,
    terminal: true,
    history: options.history?.slice(0, HISTORY_SIZE) ?? [],
    historySize: HISTORY_SIZE,
    removeHistoryDuplicates: true,
    prompt: 'guardian> ',
  });
  let answering: AbortController | undefined;
  rl.on('SIGINT', () => {
    if (answering) answering.abort(new Error('cancelled'));
    else rl.close();
  });
  const leave = () => rl.close();
  options.signal.addEventListener('abort', leave, { once: true });
  io.log.info(`Guardian chat — model ${conversation.model}, session ${conversation.sessionId}. /help for commands, /exit to leave.`);
  rl.prompt();
  try {
    for await (const raw of rl) {
      const line = raw.trim();
      if (line === '') {
        rl.prompt();
        continue;
      }
      if (line.startsWith('/')) {
        const command = line.split(/\s+/)[0].toLowerCase();
        if (command === '/exit' || command === '/quit') break;
        if (command === '/help') io.stdout.write(`${HELP}\n`);
        else if (command === '/tools')
          io.stdout.write(`${CHAT_TOOLS.map((tool) => `${tool.name.padEnd(26)} ${tool.description.split('. ')[0]}`).join('\n')}\n`);
        else if (command === '/reset') {
          conversation.reset();
          io.stdout.write('(conversation reset)\n');
        } else io.stdout.write(`unknown command ${safeText(command)}; /help lists them\n`);
        rl.prompt();
        continue;
      }
      answering = new AbortController();
      const signal = AbortSignal.any([answering.signal, options.signal]);
      let streamed = false;
      try {
        await conversation.ask(line, {
          signal,
          events: {
            ...options.events(io),
            onToolCall: (name) => io.log.info(`· ${name}`),
            onText(delta) {
              streamed = true;
              io.stdout.write(safeText(delta));
            },
          },
        });
        io.stdout.write('\n');
      } catch (error) {
        if (streamed) io.stdout.write('\n');
        if (answering.signal.aborted) io.stdout.write('(cancelled)\n');
        else if (options.signal.aborted) break;
        else if (isGuardianError(error)) io.log.error(`${error.message}${error.hint ? ` — ${error.hint}` : ''}`);
        else throw error;
      } finally {
        answering = undefined;
      }
      rl.prompt();
    }
  } finally {
    options.signal.removeEventListener('abort', leave);
    rl.close();
  }
  const { existsSync } = await import('node:fs');
  if (existsSync(conversation.sessionFile))
    io.log.info(`session saved: ${conversation.sessionId} (guardian chat sessions show ${conversation.sessionId})`);
}
