// The apply journal: JSON Lines, a header then one record per event. A call's intent is appended
// and fsync'd before the call is sent, its outcome after it answers, so after a crash or a failure
// the file says exactly what was asked and what is known to have happened. `undo` appends its own
// intents and outcomes to the same file, so a second undo skips what the first reversed.

import { closeSync, fsyncSync, openSync, readFileSync, writeSync } from 'node:fs';
import { ConfigError, UsageError } from '../../errors.js';
import type { ChangeAnswer, ChangeRequest } from '../../model/change.js';
import type { RecommendationResource } from '../../model/recommendation.js';
import type { Before, PlanStep, SafeAction } from './plan.js';

export const JOURNAL_KIND = 'guardian-optimize-journal';
export const JOURNAL_SCHEMA_VERSION = 1;

export interface JournalHeader {
  schemaVersion: number;
  kind: typeof JOURNAL_KIND;
  createdAt: string;
  /** The profile named when the journal was made (absent: the default one); undo uses it. */
  profile?: string;
}

export interface JournalError {
  class: string;
  code: string;
  message: string;
}

export type JournalRecord =
  /** An item about to be walked: what it is and what undo needs that the cloud will not keep. */
  | {
      type: 'item';
      item: string;
      action: SafeAction;
      resource: RecommendationResource;
      before: Before;
      at: string;
    }
  | { type: 'intent'; item: string; step: PlanStep['name'] | `undo-${string}`; request: ChangeRequest; at: string }
  | { type: 'outcome'; item: string; step: string; ok: true; answer: ChangeAnswer; at: string }
  | { type: 'outcome'; item: string; step: string; ok: false; error: JournalError; at: string }
  /** Every step of the item answered: it is done (a rerun skips it). */
  | { type: 'done'; item: string; at: string }
  | { type: 'undone'; item: string; at: string; note?: string };

export interface Journal {
  path: string;
  header: JournalHeader;
  records: JournalRecord[];
}

/** Appends records, each written and fsync'd before append returns. */
export class JournalWriter {
  private readonly fd: number;

  private constructor(readonly path: string) {
    this.fd = openSync(path, 'a', 0o600);
  }

  /** A new journal (its header written), or an existing one reopened to append to. */
  static open(path: string, header: JournalHeader | undefined): JournalWriter {
    const writer = new JournalWriter(path);
    if (header) writer.write(header);
    return writer;
  }

  append(record: JournalRecord): void {
    this.write(record);
  }

  private write(value: object): void {
    writeSync(this.fd, `${JSON.stringify(value)}\n`);
    fsyncSync(this.fd);
  }

  close(): void {
    closeSync(this.fd);
  }
}

/** Reads and checks a journal: anything that is not one is one line and exit 2 (3 for an unreadable file). */
export function readJournal(path: string): Journal {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new UsageError(`no journal at ${path}`);
    throw new ConfigError(`cannot read the journal ${path}: ${code ?? (error as Error).message}`);
  }
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  else if (lines.length > 0) throw new UsageError(`${path}: the last line is cut short (no newline): the journal is truncated`);
  if (lines.length === 0) throw new UsageError(`${path} is empty, not an optimize journal`);
  const parsed = lines.map((line, i) => {
    try {
      return JSON.parse(line) as unknown;
    } catch {
      throw new UsageError(
        i === 0
          ? `${path} is not an optimize journal (its first line is not JSON)`
          : `${path}: line ${i + 1} is not JSON: the journal is damaged`,
      );
    }
  });
  const header = parsed[0] as Partial<JournalHeader> | null;
  if (typeof header !== 'object' || header === null || header.kind !== JOURNAL_KIND)
    throw new UsageError(`${path} is not an optimize journal (no '${JOURNAL_KIND}' header)`);
  if (header.schemaVersion !== JOURNAL_SCHEMA_VERSION)
    throw new UsageError(
      `${path} is a schemaVersion ${JSON.stringify(header.schemaVersion)} journal; this Guardian reads version ${JOURNAL_SCHEMA_VERSION}`,
    );
  const records = parsed.slice(1) as JournalRecord[];
  records.forEach((record, i) => {
    if (
      typeof record !== 'object' ||
      record === null ||
      typeof (record as { type?: unknown }).type !== 'string' ||
      typeof record.item !== 'string'
    )
      throw new UsageError(`${path}: line ${i + 2} is not a journal record`);
  });
  return { path, header: header as JournalHeader, records };
}

/** What the journal says about each item: done, the steps that answered, and what undo has reversed. */
export interface ItemHistory {
  item: Extract<JournalRecord, { type: 'item' }>;
  done: boolean;
  undone: boolean;
  /** Each step's last successful answer. */
  answered: Map<string, ChangeAnswer>;
  /** The last failure, if the latest attempt failed. */
  failed?: JournalError;
}

export function historyOf(records: JournalRecord[]): Map<string, ItemHistory> {
  const items = new Map<string, ItemHistory>();
  for (const record of records) {
    if (record.type === 'item') {
      const known = items.get(record.item);
      if (known) known.item = record;
      else items.set(record.item, { item: record, done: false, undone: false, answered: new Map() });
      continue;
    }
    const history = items.get(record.item);
    if (!history) continue;
    if (record.type === 'done') history.done = true;
    else if (record.type === 'undone') history.undone = true;
    else if (record.type === 'outcome') {
      if (record.ok) {
        history.answered.set(record.step, record.answer);
        history.failed = undefined;
      } else history.failed = record.error;
    }
  }
  return items;
}
