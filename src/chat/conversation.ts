// One chat conversation as the command drives it: the session's estate and tools, an answerer
// (the model loop when a model is configured, the offline interpreter otherwise), and the session
// file each turn is appended to as it completes — a failed answer too, with what had arrived.

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

export interface AskOptions {
  signal: AbortSignal;
  timeout?: { signal: AbortSignal; label: string };
  events?: AskEvents;
}

export interface Conversation {
  /** The model's name, or 'offline'. */
  readonly model: string;
  readonly sessionId: string;
  /** The session file (written from the first turn on). */
  readonly sessionFile: string;
  /** The endpoint, for --verbose; undefined offline. */
  readonly endpoint?: ModelEndpoint;
  ask(question: string, options: AskOptions): Promise<ChatTurn>;
  /** Forget the conversation so far (the estate stays loaded); the session file keeps what was said. */
  reset(): void;
}

/** One mode's way of answering: the model loop, or the offline interpreter. */
interface Answerer {
  model: string;
  endpoint?: ModelEndpoint;
  /** Answer one question; `toolCalls` receives each call as it completes (kept if the answer then fails). */
  answer(question: string, options: AskOptions & { tools: ToolContext; toolCalls: ToolCallRecord[] }): Promise<Omit<ChatTurn, 'model'>>;
  reset(): void;
}

async function modelAnswerer(
  endpoint: ModelEndpoint,
  resumed: { question: string; answer: string }[],
  idleMs: number | undefined,
): Promise<Answerer> {
  const { createClient, askModel } = await import('./model/loop.js');
  const { SYSTEM_PROMPT } = await import('./model/prompt.js');
  const client = await createClient(endpoint);
  const system: Message = { role: 'system', content: SYSTEM_PROMPT };
  let messages: Message[] = [
    system,
    ...resumed.flatMap((turn): Message[] => [
      { role: 'user', content: turn.question },
      { role: 'assistant', content: turn.answer },
    ]),
  ];
  return {
    model: endpoint.model,
    endpoint,
    reset() {
      messages = [system];
    },
    async answer(question, { tools, toolCalls, signal, timeout, events }) {
      const before = messages.length;
      try {
        return await askModel(question, { client, endpoint, messages, tools, signal, timeout, toolCalls, events, idleMs });
      } catch (error) {
        // The conversation goes on without the failed question (a half-answered tool round would
        // be refused by the endpoint); the session file keeps it.
        messages.length = before;
        throw error;
      }
    },
  };
}

/**
 * The offline interpreter (src/chat/offline): each question stands alone, so reset has nothing to
 * forget. `today` is the last day with data (the demo's pinned day), which relative dates count from.
 */
function offlineAnswerer(today: () => string): Answerer {
  return {
    model: 'offline',
    reset() {},
    async answer(question, { tools, toolCalls, signal, timeout, events }) {
      const [{ answerOffline }, { CHAT_TOOLS, runTool }] = await Promise.all([import('./offline/index.js'), import('./tools/index.js')]);
      const turn = await answerOffline(question, CHAT_TOOLS, { ...tools, today: today() }, async (name, args, context) => {
        events?.onToolCall?.(name, args);
        const { arguments: _, ...outcome } = await runTool(name, args, context);
        toolCalls.push({ name, arguments: args, result: outcome.ok ? outcome.result : { error: outcome.error } });
        return outcome;
      });
      // A discovery cut short by --timeout or Ctrl-C returns what it had: no answer from that.
      if (signal.aborted) {
        throw timeout?.signal.aborted
          ? new ModelError(`no answer within --timeout ${timeout.label}`)
          : new Interrupted('the answer was cancelled');
      }
      events?.onText?.(turn.answer);
      return { answer: turn.answer, toolCalls: turn.toolCalls };
    },
  };
}

export async function openConversation(ctx: RunContext, options: ConversationOptions): Promise<Conversation> {
  const store = await ctx.openStore();
  const profileName = store.resolveProfileName(ctx.globals.profile);
  const { resolveEndpoint } = await import('./model/config.js');
  const endpoint = options.offline
    ? undefined
    : resolveEndpoint({ model: options.model, llm: store.getProfile(profileName)?.llm, env: ctx.env });
  // No model (no key, or --offline): the offline interpreter answers from the same tools.
  const answerer = endpoint
    ? await modelAnswerer(endpoint, options.resume?.turns ?? [], options.callTimeoutMs)
    : offlineAnswerer(() => pinnedDemoDay(options.profile, ctx.env) ?? ctx.now().toISOString().slice(0, 10));
  const estate = openEstate(ctx, { input: options.input, profile: options.profile, callTimeoutMs: options.callTimeoutMs });
  const header: SessionHeader = options.resume?.header ?? {
    type: 'session',
    id: newSessionId(ctx.now()),
    profile: profileName,
    model: answerer.model,
    startedAt: ctx.now().toISOString(),
    ...(options.input ? { input: options.input } : {}),
  };
  const writer = new SessionWriter(ctx.env, header, options.resume !== undefined);

  return {
    model: answerer.model,
    sessionId: header.id,
    sessionFile: writer.file,
    endpoint: answerer.endpoint,
    reset: () => answerer.reset(),
    async ask(question, { signal, timeout, events }) {
      const toolCalls: ToolCallRecord[] = [];
      let partial = '';
      try {
        const answer = await answerer.answer(question, {
          tools: { estate, signal },
          toolCalls,
          signal,
          timeout,
          events: {
            ...events,
            onText(delta) {
              partial += delta;
              events?.onText?.(delta);
            },
          },
        });
        const turn: ChatTurn = { answer: answer.answer, toolCalls: answer.toolCalls, model: answerer.model };
        writer.append({ type: 'turn', at: ctx.now().toISOString(), question, ...turn });
        return turn;
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        writer.append({
          type: 'failed',
          at: ctx.now().toISOString(),
          question,
          error: message,
          partialAnswer: partial,
          toolCalls,
          model: answerer.model,
        });
        throw error;
      }
    },
  };
}
