// A local OpenAI-compatible server for the chat tests: POST /v1/chat/completions answers each
// request with the next scripted step, streamed as the server-sent `chat.completion.chunk` events
// the openai client parses (text deltas, tool calls split across chunks, a finish reason, then
// `[DONE]`), or fails it as a step says (429 with Retry-After, 500, a stream cut mid-answer). It
// records every request (headers and parsed body) so a test can assert what was sent.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: {
    model: string;
    stream?: boolean;
    messages: {
      role: string;
      content?: string | null;
      tool_call_id?: string;
      tool_calls?: { id: string; function: { name: string; arguments: string } }[];
    }[];
    tools?: { type: string; function: { name: string; description: string; parameters: object } }[];
  };
}

export type Step =
  /** Stream this answer in a few chunks and stop. */
  | { text: string }
  /** Ask for these tool calls (arguments as the raw JSON text the model wrote), with optional text before. */
  | { toolCalls: { name: string; arguments: string; id?: string }[]; text?: string }
  /** Answer with an HTTP error (429 with Retry-After seconds, 500…). */
  | { status: number; retryAfter?: string; message?: string }
  /** Stream this much of an answer, then drop the connection without a finish reason. */
  | { cut: string }
  /** Start the stream and never finish it (for --timeout). */
  | { hang: true }
  /** Decide from the request (e.g. quote what the tool returned). */
  | ((request: RecordedRequest) => Step);

export interface FakeOpenAI {
  url: string;
  requests: RecordedRequest[];
  /** Steps not used yet. */
  remaining(): number;
  close(): Promise<void>;
}

const CHUNK = 'chatcmpl-fake';

function chunk(model: string, delta: object, finish: string | null = null): string {
  const data = {
    id: CHUNK,
    object: 'chat.completion.chunk',
    created: 1_764_000_000,
    model,
    choices: [{ index: 0, delta, finish_reason: finish }],
  };
  return `data: ${JSON.stringify(data)}\n\n`;
}

function pieces(text: string, n = 3): string[] {
  if (text.length === 0) return [];
  const size = Math.max(1, Math.ceil(text.length / n));
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

function serve(step: Exclude<Step, (r: RecordedRequest) => Step>, request: RecordedRequest, res: ServerResponse): void {
  const model = request.body.model;
  if ('status' in step) {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (step.retryAfter !== undefined) headers['retry-after'] = step.retryAfter;
    res.writeHead(step.status, headers);
    res.end(JSON.stringify({ error: { message: step.message ?? `scripted ${step.status}`, type: 'server_error', code: null } }));
    return;
  }
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
  res.write(chunk(model, { role: 'assistant', content: '' }));
  if ('hang' in step) return;
  if ('cut' in step) {
    for (const piece of pieces(step.cut)) res.write(chunk(model, { content: piece }));
    // Let the pieces reach the client, then tear the connection down mid-stream.
    setTimeout(() => res.socket?.destroy(), 50);
    return;
  }
  if ('toolCalls' in step) {
    for (const piece of pieces(step.text ?? '')) res.write(chunk(model, { content: piece }));
    step.toolCalls.forEach((call, index) => {
      const id = call.id ?? `call_${index + 1}`;
      res.write(chunk(model, { tool_calls: [{ index, id, type: 'function', function: { name: call.name, arguments: '' } }] }));
      for (const piece of pieces(call.arguments, 2)) res.write(chunk(model, { tool_calls: [{ index, function: { arguments: piece } }] }));
    });
    res.write(chunk(model, {}, 'tool_calls'));
  } else {
    for (const piece of pieces(step.text)) res.write(chunk(model, { content: piece }));
    res.write(chunk(model, {}, 'stop'));
  }
  res.end('data: [DONE]\n\n');
}

export async function startFakeOpenAI(script: Step[]): Promise<FakeOpenAI> {
  const steps = [...script];
  const requests: RecordedRequest[] = [];
  const server: Server = createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (part: Buffer) => parts.push(part));
    req.on('end', () => {
      if (req.method !== 'POST' || !req.url?.endsWith('/chat/completions')) {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: `no route ${req.method} ${req.url}` } }));
        return;
      }
      const request: RecordedRequest = {
        method: req.method,
        url: req.url,
        headers: req.headers,
        body: JSON.parse(Buffer.concat(parts).toString('utf8')),
      };
      requests.push(request);
      let step = steps.shift();
      if (!step) {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: 'the fake server has no more scripted steps' } }));
        return;
      }
      while (typeof step === 'function') step = step(request);
      serve(step, request, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    remaining: () => steps.length,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The content of the tool messages of a request, parsed, by tool call id. */
export function toolResults(request: RecordedRequest): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const message of request.body.messages) {
    if (message.role === 'tool' && message.tool_call_id) out.set(message.tool_call_id, JSON.parse(String(message.content)));
  }
  return out;
}
