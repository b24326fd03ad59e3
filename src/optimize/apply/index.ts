// optimize --apply and optimize undo below the command: open the journal (new, or the one a
// rerun names), open the profile's providers for the clouds the plan touches, walk or undo, and
// close everything whatever happened.

import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { requestedProfileName } from '../../config/profile.js';
import type { RunContext } from '../../discovery/run.js';
import type { Cloud } from '../../model/resource.js';
import type { CloudProvider } from '../../providers/types.js';
import { historyOf, JOURNAL_KIND, JOURNAL_SCHEMA_VERSION, type JournalHeader, JournalWriter, readJournal } from './journal.js';
import type { PlanItem } from './plan.js';
import { type UndoResult, undoJournal } from './undo.js';
import { DEFAULT_SNAPSHOT_TIMEOUT_MS, type ItemResult, walkPlan } from './walk.js';

export interface ApplyOptions {
  journal?: string;
  callTimeoutMs: number;
  timeoutMs?: number;
  confirm: (item: PlanItem) => Promise<boolean>;
  onJournal: (path: string, resumed: boolean) => void;
  onProgress?: (line: string) => void;
}

/** Where a journal goes when --journal is not given: the config directory's journals/, named by time. */
export async function defaultJournalPath(env: NodeJS.ProcessEnv, now = new Date()): Promise<string> {
  const { configDirectory } = await import('../../config/store.js');
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  return join(configDirectory(env), 'journals', `optimize-${stamp}.jsonl`);
}

async function withProviders<T>(
  ctx: RunContext,
  clouds: Cloud[],
  callTimeoutMs: number,
  run: (providers: CloudProvider[]) => Promise<T>,
  /** Another profile than the requested one (undo's journal's); default, the context's session. */
  profile?: string,
) {
  const { openSession, createProviders } = await import('../../discovery/session.js');
  const session = profile === undefined ? await ctx.openSession() : await openSession(profile, ctx.env);
  try {
    const providers = await createProviders(session, clouds, { callTimeoutMs, prewarm: false });
    try {
      return await run(providers);
    } finally {
      await Promise.all(providers.map((p) => p.close?.()));
    }
  } finally {
    await session.close();
  }
}

export async function applyPlan(
  ctx: RunContext,
  items: PlanItem[],
  options: ApplyOptions,
): Promise<{ journal: string; results: ItemResult[] }> {
  const path = options.journal ?? (await defaultJournalPath(ctx.env));
  const resumed = existsSync(path);
  const history = resumed ? historyOf(readJournal(path).records) : new Map();
  mkdirSync(dirname(path), { recursive: true });
  const header: JournalHeader | undefined = resumed
    ? undefined
    : {
        schemaVersion: JOURNAL_SCHEMA_VERSION,
        kind: JOURNAL_KIND,
        createdAt: ctx.now().toISOString(),
        ...(requestedProfileName(ctx.globals.profile, ctx.env) ? { profile: requestedProfileName(ctx.globals.profile, ctx.env) } : {}),
      };
  const journal = JournalWriter.open(path, header);
  options.onJournal(path, resumed);
  try {
    const clouds = [...new Set(items.map((i) => i.resource.cloud))];
    const results = await withProviders(ctx, clouds, options.callTimeoutMs, (providers) =>
      walkPlan(items, {
        providers,
        journal,
        history,
        confirm: options.confirm,
        signal: ctx.signal,
        callTimeoutMs: options.callTimeoutMs,
        snapshotTimeoutMs: options.timeoutMs ?? DEFAULT_SNAPSHOT_TIMEOUT_MS,
        onProgress: options.onProgress,
      }),
    );
    return { journal: path, results };
  } finally {
    journal.close();
  }
}

export async function undoFromJournal(
  ctx: RunContext,
  path: string,
  options: { callTimeoutMs: number; timeoutMs?: number },
): Promise<UndoResult[]> {
  const deadline = options.timeoutMs === undefined ? undefined : Date.now() + options.timeoutMs;
  const { header, records } = readJournal(path);
  const histories = [...historyOf(records).values()];
  if (histories.length === 0) return [];
  const journal = JournalWriter.open(path, undefined);
  try {
    const clouds = [...new Set(histories.map((h) => h.item.resource.cloud))];
    // The profile the changes were made with, unless --profile (or GUARDIAN_PROFILE) names another.
    return await withProviders(
      ctx,
      clouds,
      options.callTimeoutMs,
      (providers) => undoJournal(histories, { providers, journal, signal: ctx.signal, callTimeoutMs: options.callTimeoutMs, deadline }),
      requestedProfileName(ctx.globals.profile, ctx.env) === undefined ? header.profile : undefined,
    );
  } finally {
    journal.close();
  }
}
