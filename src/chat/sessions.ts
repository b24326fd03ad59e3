// Chat sessions on disk: one JSON Lines file per session in the data directory's `chat/` folder
// (mode 0600, the folder 0700). The header line says who and when; each turn is appended the
// moment it completes, and a question whose answer failed is appended as a failed turn with what
// had arrived, so a failure mid-answer still leaves the session. Listing, showing, exporting
// (Markdown, JSON) and deleting read these files; the API key is never in them.

import { randomBytes } from 'node:crypto';
import { appendFileSync, chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { readdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { redactText } from '../config/redact.js';
import { UsageError } from '../errors.js';
import { dataDir } from '../inventory/store.js';
import type { ChatTurn } from './turn.js';

export interface SessionHeader {
  type: 'session';
  id: string;
  profile: string;
  model: string;
  startedAt: string;
  /** The --input snapshot, when the session read one. */
  input?: string;
}

export interface TurnRecord extends ChatTurn {
  type: 'turn';
  at: string;
  question: string;
}

export interface FailedRecord {
  type: 'failed';
  at: string;
  question: string;
  error: string;
  /** The text that had streamed in before the failure. */
  partialAnswer: string;
  toolCalls: ChatTurn['toolCalls'];
  model: string;
}

export type SessionRecord = TurnRecord | FailedRecord;

export interface ChatSession {
  header: SessionHeader;
  records: SessionRecord[];
}

const ID = /^\d{8}-\d{6}-[0-9a-f]{6}$/;

export function sessionsDir(env: NodeJS.ProcessEnv): string {
  return join(dataDir(env), 'chat');
}

function fileOf(env: NodeJS.ProcessEnv, id: string): string {
  if (!ID.test(id)) throw new UsageError(`'${id}' is not a chat session id (see: guardian chat sessions list)`);
  return join(sessionsDir(env), `${id}.jsonl`);
}

export function newSessionId(now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${stamp}-${randomBytes(3).toString('hex')}`;
}

/** An open session: appends one line per record, created on the first append. */
export class SessionWriter {
  readonly file: string;
  private created: boolean;
  constructor(
    private readonly env: NodeJS.ProcessEnv,
    readonly header: SessionHeader,
    existing = false,
  ) {
    this.file = fileOf(env, header.id);
    this.created = existing;
  }

  append(record: SessionRecord): void {
    if (!this.created) {
      mkdirSync(sessionsDir(this.env), { recursive: true, mode: 0o700 });
      // Created 0600 before anything is written: the answers quote the estate.
      closeSync(openSync(this.file, 'a', 0o600));
      chmodSync(this.file, 0o600);
      appendFileSync(this.file, `${redactText(JSON.stringify(this.header))}\n`);
      this.created = true;
    }
    // Nothing said in a session may carry a secret, whatever the model or an error echoed.
    appendFileSync(this.file, `${redactText(JSON.stringify(record))}\n`);
  }
}

export async function readSession(env: NodeJS.ProcessEnv, id: string): Promise<ChatSession> {
  const file = fileOf(env, id);
  if (!existsSync(file)) throw new UsageError(`no chat session '${id}' (see: guardian chat sessions list)`);
  const lines = (await readFile(file, 'utf8')).split('\n').filter((line) => line.trim() !== '');
  const parsed: unknown[] = [];
  for (const [n, line] of lines.entries()) {
    try {
      parsed.push(JSON.parse(line));
    } catch {
      // A line cut off by a crash mid-write is the only damage an append-only file can take.
      if (n === lines.length - 1) break;
      throw new UsageError(`chat session ${id} is damaged at line ${n + 1} (${file})`);
    }
  }
  const [header, ...records] = parsed as [SessionHeader, ...SessionRecord[]];
  if (header?.type !== 'session') throw new UsageError(`chat session ${id} has no header line (${file})`);
  return { header, records: records.filter((r) => r.type === 'turn' || r.type === 'failed') };
}

export interface SessionSummary {
  id: string;
  startedAt: string;
  profile: string;
  model: string;
  turns: number;
  failed: number;
  firstQuestion?: string;
}

export async function listSessions(env: NodeJS.ProcessEnv): Promise<SessionSummary[]> {
  const dir = sessionsDir(env);
  if (!existsSync(dir)) return [];
  const ids = (await readdir(dir))
    .filter((name) => name.endsWith('.jsonl'))
    .map((name) => name.slice(0, -6))
    .filter((id) => ID.test(id));
  const summaries: SessionSummary[] = [];
  for (const id of ids.sort()) {
    const { header, records } = await readSession(env, id);
    summaries.push({
      id,
      startedAt: header.startedAt,
      profile: header.profile,
      model: header.model,
      turns: records.filter((r) => r.type === 'turn').length,
      failed: records.filter((r) => r.type === 'failed').length,
      firstQuestion: records[0]?.question,
    });
  }
  return summaries;
}

/** The questions of the saved sessions, most recent first (the interactive session's ↑ history). */
export async function pastQuestions(env: NodeJS.ProcessEnv, limit: number): Promise<string[]> {
  const dir = sessionsDir(env);
  if (!existsSync(dir)) return [];
  const ids = (await readdir(dir))
    .filter((name) => name.endsWith('.jsonl'))
    .map((name) => name.slice(0, -6))
    .filter((id) => ID.test(id));
  const questions: string[] = [];
  for (const id of ids.sort().reverse()) {
    if (questions.length >= limit) break;
    const session = await readSession(env, id).catch(() => undefined);
    for (const record of [...(session?.records ?? [])].reverse()) questions.push(record.question);
  }
  return questions.slice(0, limit);
}

export async function deleteSession(env: NodeJS.ProcessEnv, id: string): Promise<void> {
  const file = fileOf(env, id);
  if (!existsSync(file)) throw new UsageError(`no chat session '${id}' (see: guardian chat sessions list)`);
  await stat(file);
  await rm(file);
}

/** The session as Markdown: each question, its answer (or the failure), and the tools it called. */
export function sessionMarkdown({ header, records }: ChatSession): string {
  const lines = [`# Guardian chat ${header.id}`, '', `Profile ${header.profile}, model ${header.model}, started ${header.startedAt}.`, ''];
  for (const record of records) {
    lines.push(`## ${record.question.replace(/\n/g, ' ')}`, '');
    if (record.type === 'turn') lines.push(record.answer, '');
    else lines.push(`*Failed: ${record.error}*`, '', ...(record.partialAnswer ? [record.partialAnswer, ''] : []));
    if (record.toolCalls.length > 0) {
      lines.push('<details><summary>Tools called</summary>', '');
      for (const call of record.toolCalls) {
        lines.push(
          `- \`${call.name}\` \`${JSON.stringify(call.arguments)}\``,
          '',
          '  ```json',
          `  ${JSON.stringify(call.result)}`,
          '  ```',
        );
      }
      lines.push('', '</details>', '');
    }
  }
  return lines.join('\n');
}
