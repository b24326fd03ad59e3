// One chat conversation as the command drives it: the session's estate and tools, an answerer
// (the model loop when a model is configured, the offline interpreter otherwise), and the session
// file each turn is appended to as it completes — a failed answer too, with what had arrived.

import type { RunContext } from '../discovery/run.js';
import { ConfigError } from '../errors.js';
import type { ModelEndpoint } from './model/config.js';
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

export async function openConversation(ctx: RunContext, options: ConversationOptions): Promise<Conversation> {
  const store = await ctx.openStore();
  const profileName = store.resolveProfileName(ctx.globals.profile);
  const { resolveEndpoint } = await import('./model/config.js');
  const endpoint = options.offline
    ? undefined
    : resolveEndpoint({ model: options.model, llm: store.getProfile(profileName)?.llm, env: ctx.env });
  if (!endpoint) {
    // The offline interpreter (src/chat/offline) is the answerer here once it is wired in.
    throw new ConfigError(options.offline ? 'chat --offline is not available yet' : 'no model is configured for guardian chat', {
      hint: 'set OPENAI_API_KEY (and OPENAI_BASE_URL for another server), or guardian config set llm.baseUrl / llm.apiKey --secret',
    });
  }
  const answerer = await modelAnswerer(endpoint, options.resume?.turns ?? [], options.callTimeoutMs);
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
