// The model loop: one question through an OpenAI-compatible chat.completions endpoint with
// streaming and tool calling. Each round streams the model's text and tool calls; the calls run at
// once through the tool registry (a failing, malformed or unknown call answers with its error) and
// their bounded results go back as tool messages, until the model answers in text. A 429 waits for
// Retry-After and tries again a few times; any other failure is a ModelError with one clear line.

import type OpenAI from 'openai';
import type { ChatCompletionChunk, ChatCompletionMessageParam, ChatCompletionTool } from 'openai/resources/chat/completions';
import { ConfigError, Interrupted } from '../../errors.js';
import { CHAT_TOOLS, fitForModel, runTool, type ToolContext } from '../tools/index.js';
import type { ModelEndpoint } from './config.js';
import { ModelError } from './errors.js';

/** Rounds of tool calls one question may take before the loop gives up on an answer. */
export const MAX_ROUNDS = 8;
/** Attempts of one request when the endpoint answers 429, and the longest Retry-After honoured. */
export const MAX_ATTEMPTS = 4;
export const MAX_RETRY_WAIT_MS = 60_000;

export type Message = ChatCompletionMessageParam;

export interface ToolCallRecord {
  name: string;
  arguments: unknown;
  result: unknown;
}

export interface ModelAnswer {
  answer: string;
  toolCalls: ToolCallRecord[];
}

export interface LoopEvents {
  /** A piece of the answer as it streams in. */
  onText?(delta: string): void;
  /** A tool is about to run. */
  onToolCall?(name: string, args: unknown): void;
  /** A 429: waiting this long before attempt `attempt` of MAX_ATTEMPTS. */
  onRetry?(waitMs: number, attempt: number): void;
  /** What is about to be sent (for --verbose): the messages new since the last request. */
  onSend?(messages: Message[], request: { url: string; model: string; tools: number }): void;
}

export interface AskOptions {
  client: OpenAI;
  endpoint: ModelEndpoint;
  /** The conversation so far (system prompt first); the question's messages are appended to it. */
  messages: Message[];
  tools: ToolContext;
  signal: AbortSignal;
  /** Aborted by --timeout (as opposed to Ctrl-C): says how to word the failure. */
  timeout?: { signal: AbortSignal; label: string };
  events?: LoopEvents;
  /** Where the tool calls are recorded as they complete (kept when the answer then fails). */
  toolCalls?: ToolCallRecord[];
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** Give up on a request that sends nothing for this long (--call-timeout; default MODEL_IDLE_MS). */
  idleMs?: number;
}

/** How long a model request may stay silent (before its first byte, or between chunks) when --call-timeout is not given. */
export const MODEL_IDLE_MS = 120_000;

export const TOOL_DEFINITIONS: ChatCompletionTool[] = CHAT_TOOLS.map((tool) => ({
  type: 'function',
  function: { name: tool.name, description: tool.description, parameters: tool.parameters },
}));

export async function createClient(endpoint: ModelEndpoint): Promise<OpenAI> {
  const { default: OpenAIClient } = await import('openai');
  return new OpenAIClient({
    baseURL: endpoint.baseUrl,
    // A local server takes no key, but the client insists on one; it is sent to that server only.
    apiKey: endpoint.apiKey ?? 'no-key',
    defaultHeaders: endpoint.azure && endpoint.apiKey ? { 'api-key': endpoint.apiKey } : undefined,
    // Guardian retries 429 itself (one stderr line each) and never retries other failures.
    maxRetries: 0,
    logLevel: 'off',
  });
}

interface PendingCall {
  id: string;
  name: string;
  arguments: string;
}

interface Round {
  text: string;
  calls: PendingCall[];
  finished: boolean;
}

const abortable = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });

/** Seconds or an HTTP date in Retry-After (or OpenAI's retry-after-ms), as milliseconds. */
export function retryAfterMs(headers: Headers | undefined, now = Date.now()): number | undefined {
  const ms = headers?.get('retry-after-ms');
  if (ms && /^\d+(\.\d+)?$/.test(ms)) return Number(ms);
  const value = headers?.get('retry-after');
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

export async function askModel(question: string, options: AskOptions): Promise<ModelAnswer> {
  const { messages, events, signal } = options;
  const toolCalls = options.toolCalls ?? [];
  messages.push({ role: 'user', content: question });
  let sent = 0;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    events?.onSend?.(messages.slice(sent), {
      url: `${options.endpoint.baseUrl}/chat/completions`,
      model: options.endpoint.model,
      tools: TOOL_DEFINITIONS.length,
    });
    sent = messages.length;
    const reply = await streamRound(options);
    if (reply.calls.length === 0) {
      messages.push({ role: 'assistant', content: reply.text });
      return { answer: reply.text, toolCalls };
    }
    messages.push({
      role: 'assistant',
      content: reply.text === '' ? null : reply.text,
      tool_calls: reply.calls.map((call) => ({ id: call.id, type: 'function', function: { name: call.name, arguments: call.arguments } })),
    });
    // Parallel calls run at once; their answers go back in the order the model asked. Ctrl-C
    // does not wait for a discovery in progress (it finishes for the session's next question).
    const calls = Promise.all(
      reply.calls.map(async (call) => {
        events?.onToolCall?.(call.name, call.arguments);
        const outcome = await runTool(call.name, call.arguments, { ...options.tools, signal });
        const content = fitForModel(outcome.ok ? outcome.result : { error: outcome.error });
        return { call, outcome, content };
      }),
    );
    const outcomes = await untilAborted(calls, signal).catch((error: unknown) => {
      stopIfAborted(options);
      throw error;
    });
    for (const { call, outcome, content } of outcomes) {
      messages.push({ role: 'tool', tool_call_id: call.id, content });
      toolCalls.push({ name: call.name, arguments: outcome.arguments, result: JSON.parse(content) });
    }
  }
  throw new ModelError(`the model asked for tools ${MAX_ROUNDS} times without answering`);
}

/** The promise, or undefined as soon as the signal aborts (the caller then checks the signal). */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

function stopIfAborted(options: AskOptions): void {
  if (!options.signal.aborted) return;
  if (options.timeout?.signal.aborted) throw new ModelError(`no answer within --timeout ${options.timeout.label}`);
  throw new Interrupted('the answer was cancelled');
}

/** One request: its stream read to the end, with 429s retried after Retry-After. */
async function streamRound(options: AskOptions): Promise<Round> {
  const sleep = options.sleep ?? abortable;
  for (let attempt = 1; ; attempt++) {
    try {
      return await readStream(options);
    } catch (error) {
      stopIfAborted(options);
      const { APIError } = await import('openai');
      if (error instanceof APIError && error.status === 429 && attempt < MAX_ATTEMPTS) {
        const wait = Math.min(retryAfterMs(error.headers) ?? 1000 * 2 ** (attempt - 1), MAX_RETRY_WAIT_MS);
        options.events?.onRetry?.(wait, attempt + 1);
        await sleep(wait, options.signal);
        stopIfAborted(options);
        continue;
      }
      throw await describeFailure(error, options.endpoint, options.idleMs ?? MODEL_IDLE_MS);
    }
  }
}

/** Aborts when nothing arrived for `ms`: a request or stream that stalls never hangs the chat. */
function idleWatch(ms: number) {
  const controller = new AbortController();
  let timer = setTimeout(() => controller.abort(), ms);
  return {
    signal: controller.signal,
    touch() {
      clearTimeout(timer);
      timer = setTimeout(() => controller.abort(), ms);
    },
    stop: () => clearTimeout(timer),
  };
}

class Stalled extends Error {}

async function readStream(options: AskOptions): Promise<Round> {
  const idle = idleWatch(options.idleMs ?? MODEL_IDLE_MS);
  try {
    const round = await readStreamWithin(options, idle);
    if (idle.signal.aborted && !options.signal.aborted) throw new Stalled();
    return round;
  } catch (error) {
    if (idle.signal.aborted && !options.signal.aborted) throw new Stalled();
    throw error;
  } finally {
    idle.stop();
  }
}

async function readStreamWithin(options: AskOptions, idle: ReturnType<typeof idleWatch>): Promise<Round> {
  const { client, endpoint, messages } = options;
  const signal = AbortSignal.any([options.signal, idle.signal]);
  const stream = await client.chat.completions.create(
    { model: endpoint.model, messages, tools: TOOL_DEFINITIONS, stream: true },
    { signal },
  );
  const round: Round = { text: '', calls: [], finished: false };
  const byIndex = new Map<number, PendingCall>();
  for await (const chunk of stream as AsyncIterable<ChatCompletionChunk>) {
    idle.touch();
    const choice = chunk.choices?.[0];
    if (!choice) continue;
    const delta = choice.delta;
    if (delta?.content) {
      round.text += delta.content;
      options.events?.onText?.(delta.content);
    }
    for (const part of delta?.tool_calls ?? []) {
      const call = byIndex.get(part.index) ?? { id: '', name: '', arguments: '' };
      if (part.id) call.id = part.id;
      if (part.function?.name) call.name += part.function.name;
      if (part.function?.arguments) call.arguments += part.function.arguments;
      byIndex.set(part.index, call);
    }
    if (choice.finish_reason) round.finished = true;
  }
  // The client ends the iteration quietly when the request is aborted.
  stopIfAborted(options);
  if (idle.signal.aborted) throw new Stalled();
  if (!round.finished) throw new StreamCut();
  round.calls = [...byIndex.entries()].sort(([a], [b]) => a - b).map(([index, call]) => ({ ...call, id: call.id || `call_${index}` }));
  return round;
}

class StreamCut extends Error {}

/** The endpoint's failure as one line (its own message, first line only), typed by who can fix it. */
async function describeFailure(error: unknown, endpoint: ModelEndpoint, idleMs: number): Promise<Error> {
  const { APIError, APIConnectionError } = await import('openai');
  const where = endpoint.baseUrl;
  if (error instanceof Stalled)
    return new ModelError(`the model endpoint ${where} sent nothing for ${Math.round(idleMs / 100) / 10} s`, {
      hint: 'a slow local model may need a longer --call-timeout',
    });
  if (error instanceof StreamCut)
    return new ModelError(`the model's answer was cut off before it finished (${where}); nothing was answered`, {
      hint: 'ask again',
    });
  if (error instanceof APIConnectionError)
    return new ModelError(`cannot reach the model endpoint ${where}: ${firstLine(error.cause ?? error)}`, {
      hint: 'check llm.baseUrl / OPENAI_BASE_URL',
    });
  if (error instanceof APIError) {
    const said = firstLine(error).replace(/^\d{3}\s*/, '');
    if (error.status === 401 || error.status === 403)
      return new ConfigError(`the model endpoint refused the API key (${error.status}): ${said}`, {
        hint: 'check llm.apiKey / OPENAI_API_KEY',
      });
    if (error.status === 404)
      return new ConfigError(`the model endpoint answered 404: ${said}`, {
        hint: 'check the model name (--model, llm.model) and llm.baseUrl',
      });
    if (error.status === 429)
      return new ModelError(`the model endpoint is still rate-limiting after ${MAX_ATTEMPTS} attempts (429): ${said}`);
    if (error.status === undefined) return new ModelError(`the model endpoint failed mid-answer: ${said}`);
    return new ModelError(`the model endpoint failed (${error.status}): ${said}`, { hint: 'try again later' });
  }
  // A stream torn down by the network surfaces as the fetch body's TypeError ('terminated').
  if (error instanceof TypeError || (error instanceof Error && /terminated|socket|ECONNRESET/i.test(error.message)))
    return new ModelError(`the model's answer was cut off before it finished (${where}): ${firstLine(error)}`, { hint: 'ask again' });
  return error instanceof Error ? error : new Error(String(error));
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0].slice(0, 300);
}
