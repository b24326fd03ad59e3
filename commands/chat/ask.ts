// `guardian chat [question]`: one answer (text, or --json with the tool calls behind it), or on a
// terminal with no question an interactive session (src/chat/repl.ts). The conversation, its model
// loop and its session file are src/chat/conversation.ts.

import type { AskEvents } from '../../src/chat/conversation.js';
import { UsageError } from '../../src/errors.js';
import type { Io } from '../../src/render/io.js';
import type { CommandContext } from '../context.js';
import { parseDuration } from '../options.js';

export interface ChatOptions {
  input?: string;
  model?: string;
  offline?: boolean;
  resume?: string;
  timeout?: string;
  callTimeout?: string;
}

/** What the user sees on stderr while an answer is made: tool calls and retries; with --verbose, everything sent. */
function progress(io: Io): AskEvents {
  return {
    onToolCall: (name, args) => io.log.verbose(`tool ${name} ${typeof args === 'string' ? args : JSON.stringify(args)}`),
    onRetry: (waitMs, attempt) =>
      io.log.warn(`the model endpoint is rate-limiting (429); retrying in ${Math.ceil(waitMs / 1000)} s (attempt ${attempt} of 4)`),
    onSend: (messages, request) => {
      if (!io.verbose) return;
      io.log.verbose(`→ POST ${request.url} model ${request.model}, ${request.tools} tools, ${messages.length} new message(s)`);
      for (const message of messages) {
        if (message.role === 'tool') io.log.verbose(`→ tool result ${message.tool_call_id}: ${String(message.content)}`);
        else if (message.role === 'assistant' && message.tool_calls?.length)
          io.log.verbose(
            `→ assistant tool calls: ${message.tool_calls.map((c) => ('function' in c ? `${c.function.name}(${c.function.arguments})` : c.type)).join(', ')}`,
          );
        else
          io.log.verbose(`→ ${message.role}: ${typeof message.content === 'string' ? message.content : JSON.stringify(message.content)}`);
      }
    },
  };
}

export async function runChat(ctx: CommandContext, words: string[], options: ChatOptions): Promise<void> {
  const question = words.join(' ').trim();
  const interactive = question === '' && ctx.io.interactive && ctx.io.stdoutIsTTY;
  if (question === '' && !interactive)
    throw new UsageError('a question is needed here (not an interactive terminal): guardian chat "what is costing most?"');
  if (interactive && ctx.globals.json) throw new UsageError('--json goes with a question: guardian chat "…" --json');
  const timeoutMs = parseDuration('--timeout', options.timeout);
  const callTimeoutMs = parseDuration('--call-timeout', options.callTimeout);
  const { readSession } = await import('../../src/chat/sessions.js');
  const resumed = options.resume ? await readSession(ctx.env, options.resume) : undefined;
  // --timeout bounds the answer and the discovery behind it; Ctrl-C stops both.
  const timeout = timeoutMs ? AbortSignal.timeout(timeoutMs) : undefined;
  const signal = timeout ? AbortSignal.any([ctx.signal, timeout]) : ctx.signal;
  const { openConversation } = await import('../../src/chat/conversation.js');
  const conversation = await openConversation(
    { ...ctx, signal },
    {
      input: options.input,
      profile: ctx.profile,
      model: options.model,
      offline: options.offline === true,
      callTimeoutMs,
      resume: resumed && {
        header: resumed.header,
        turns: resumed.records.flatMap((r) => (r.type === 'turn' ? [{ question: r.question, answer: r.answer }] : [])),
      },
    },
  );
  ctx.io.log.verbose(
    `model ${conversation.model} at ${conversation.endpoint?.baseUrl ?? 'offline'}${conversation.endpoint?.keyFrom ? ` (key from ${conversation.endpoint.keyFrom})` : ''}; session ${conversation.sessionFile}`,
  );
  const { runRepl, safeText } = await import('../../src/chat/repl.js');
  if (interactive) {
    const { pastQuestions } = await import('../../src/chat/sessions.js');
    await runRepl(ctx.io, conversation, { signal, events: progress, history: await pastQuestions(ctx.env, 200) });
    return;
  }
  const stream = ctx.io.stdoutIsTTY && !ctx.globals.json;
  let streamed = false;
  try {
    const turn = await conversation.ask(question, {
      signal,
      timeout: timeout && { signal: timeout, label: options.timeout! },
      events: {
        ...progress(ctx.io),
        onText: stream
          ? (delta) => {
              streamed = true;
              ctx.io.stdout.write(safeText(delta));
            }
          : undefined,
      },
    });
    if (ctx.globals.json) {
      const { printDocument, toJson } = await import('../../src/render/output.js');
      const { redactText } = await import('../../src/config/redact.js');
      printDocument(ctx.io, redactText(toJson('guardian.chat', { ...turn, session: conversation.sessionId })));
    } else if (stream) ctx.io.stdout.write('\n');
    else ctx.io.out(safeText(turn.answer));
  } catch (error) {
    // A half-streamed answer ends its line before the error's.
    if (streamed) ctx.io.stdout.write('\n');
    throw error;
  } finally {
    ctx.io.log.verbose(`session saved to ${conversation.sessionFile}`);
  }
}
