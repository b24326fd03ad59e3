// One chat conversation as the command drives it: the session's estate and tools, the model
// (when one is configured) or the offline interpreter, the messages so far, and the session file
// each turn is appended to as it completes — a failed answer too, with what had arrived.

import { pinnedDemoDay } from '../config/profile.js';
import type { RunContext } from '../discovery/run.js';
import { Interrupted } from '../errors.js';
import type { ModelEndpoint } from './model/config.js';
import { ModelError } from './model/errors.js';
import type { LoopEvents, Message, ToolCallRecord } from './model/loop.js';
import { newSessionId, type SessionHeader, SessionWriter } from './sessions.js';
import { openEstate } from './tools/estate.js';
import type { ToolContext } from './tools/index.js';
import type { ChatTurn } from './turn.js';

export interface ConversationOptions {
  input?: string;
  /** The profile asked for (--profile / GUARDIAN_PROFILE). */
  profile?: string;
  /** --model. */
  model?: string;
  offline: boolean;
  callTimeoutMs?: number;
  /** Continue a saved session (--resume): its turns become the conversation so far. */
  resume?: { header: SessionHeader; turns: { question: string; answer: string }[] };
}

export interface AskEvents extends LoopEvents {}

export interface Conversation {
  /** The model's name, or 'offline'. */
  readonly model: string;
  readonly sessionId: string;
  /** The session file (written from the first turn on). */
  readonly sessionFile: string;
  /** The endpoint, for --verbose; undefined offline. */
  readonly endpoint?: ModelEndpoint;
  ask(
    question: string,
    options: { signal: AbortSignal; timeout?: { signal: AbortSignal; label: string }; events?: AskEvents },
  ): Promise<ChatTurn>;
  /** Forget the conversation so far (the estate stays loaded); the session file keeps what was said. */
  reset(): void;
}

export async function openConversation(ctx: RunContext, options: ConversationOptions): Promise<Conversation> {
  const store = await ctx.openStore();
  const profileName = store.resolveProfileName(ctx.globals.profile);
  const { resolveEndpoint } = await import('./model/config.js');
  const endpoint = options.offline
    ? undefined
    : resolveEndpoint({ model: options.model, llm: store.getProfile(profileName)?.llm, env: ctx.env });
  const estate = openEstate(ctx, { input: options.input, profile: options.profile, callTimeoutMs: options.callTimeoutMs });
  const tools: ToolContext = { estate, signal: ctx.signal };
  if (!endpoint) return openOfflineConversation(ctx, options, profileName, tools);
  const { createClient, askModel } = await import('./model/loop.js');
  const { SYSTEM_PROMPT } = await import('./model/prompt.js');
  const client = await createClient(endpoint);

  const header: SessionHeader = options.resume?.header ?? {
    type: 'session',
    id: newSessionId(ctx.now()),
    profile: profileName,
    model: endpoint.model,
    startedAt: ctx.now().toISOString(),
    ...(options.input ? { input: options.input } : {}),
  };
  const writer = new SessionWriter(ctx.env, header, options.resume !== undefined);
  const opening = (): Message[] => [
    { role: 'system', content: SYSTEM_PROMPT },
    ...(options.resume?.turns ?? []).flatMap((turn): Message[] => [
      { role: 'user', content: turn.question },
      { role: 'assistant', content: turn.answer },
    ]),
  ];
  let messages = opening();

  return {
    model: endpoint.model,
    sessionId: header.id,
    sessionFile: writer.file,
    endpoint,
    reset() {
      messages = opening().slice(0, 1);
    },
    async ask(question, { signal, timeout, events }) {
      const before = messages.length;
      const toolCalls: ToolCallRecord[] = [];
      let partial = '';
      try {
        const answer = await askModel(question, {
          client,
          endpoint,
          messages,
          tools: { ...tools, signal },
          signal,
          timeout,
          toolCalls,
          events: {
            ...events,
            onText(delta) {
              partial += delta;
              events?.onText?.(delta);
            },
          },
        });
        const turn: ChatTurn = { answer: answer.answer, toolCalls: answer.toolCalls, model: endpoint.model };
        writer.append({ type: 'turn', at: ctx.now().toISOString(), question, ...turn });
        return turn;
      } catch (error) {
        // The conversation goes on without the failed question (a half-answered tool round would
        // be refused by the endpoint); the session file keeps it.
        messages.length = before;
        const message = error instanceof Error ? error.message : String(error);
        writer.append({
          type: 'failed',
          at: ctx.now().toISOString(),
          question,
          error: message,
          partialAnswer: partial,
          toolCalls,
          model: endpoint.model,
        });
        throw error;
      }
    },
  };
}

/**
 * No model (no key, or --offline): the offline interpreter answers from the same tools, and the
 * session is saved the same way. Its turns do not depend on each other, so reset has nothing to forget.
 */
function openOfflineConversation(ctx: RunContext, options: ConversationOptions, profileName: string, tools: ToolContext): Conversation {
  const header: SessionHeader = options.resume?.header ?? {
    type: 'session',
    id: newSessionId(ctx.now()),
    profile: profileName,
    model: 'offline',
    startedAt: ctx.now().toISOString(),
    ...(options.input ? { input: options.input } : {}),
  };
  const writer = new SessionWriter(ctx.env, header, options.resume !== undefined);
  // The last day with data: relative dates ("last week") are counted back from it.
  const today = () => pinnedDemoDay(options.profile, ctx.env) ?? ctx.now().toISOString().slice(0, 10);
  return {
    model: 'offline',
    sessionId: header.id,
    sessionFile: writer.file,
    reset() {},
    async ask(question, { signal, timeout, events }) {
      const [{ answerOffline }, { CHAT_TOOLS, runTool }] = await Promise.all([import('./offline/index.js'), import('./tools/index.js')]);
      try {
        const turn = await answerOffline(question, CHAT_TOOLS, { ...tools, signal, today: today() }, async (name, args, context) => {
          events?.onToolCall?.(name, args);
          const { arguments: _, ...outcome } = await runTool(name, args, context);
          return outcome;
        });
        // A discovery cut short by --timeout or Ctrl-C returns what it had: no answer from that.
        if (signal.aborted) {
          throw timeout?.signal.aborted
            ? new ModelError(`no answer within --timeout ${timeout.label}`)
            : new Interrupted('the answer was cancelled');
        }
        events?.onText?.(turn.answer);
        writer.append({ type: 'turn', at: ctx.now().toISOString(), question, ...turn });
        return turn;
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        writer.append({
          type: 'failed',
          at: ctx.now().toISOString(),
          question,
          error: message,
          partialAnswer: '',
          toolCalls: [],
          model: 'offline',
        });
        throw error;
      }
    },
  };
}
