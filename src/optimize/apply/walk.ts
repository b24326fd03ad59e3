// Walks a plan: each item confirmed (unless --yes), each call's intent journalled and fsync'd
// before it is sent and its outcome after. A delete waits for its snapshot to complete first. The
// first failure stops the walk; what came after it is "not attempted". A rerun with the same
// journal skips the items it shows done and the steps that already answered (the snapshot made
// before a failed delete is reused, not made again).

import type { ChangeAnswer, ChangeRequest } from '../../model/change.js';
import type { RecommendationResource } from '../../model/recommendation.js';
import type { CloudProvider } from '../../providers/types.js';
import type { ItemHistory, JournalError, JournalWriter } from './journal.js';
import type { PlanItem, SafeAction } from './plan.js';

export type ItemStatus = 'done' | 'already done' | 'failed' | 'not attempted' | 'declined';

export interface ItemResult {
  id: string;
  action: SafeAction;
  resource: RecommendationResource;
  status: ItemStatus;
  /** The cloud's refusal, for a failed item. */
  error?: JournalError;
  /** What the walk made that outlives the change (the snapshot of a deleted volume). */
  snapshotId?: string;
}

export interface WalkOptions {
  providers: CloudProvider[];
  journal: JournalWriter;
  history: Map<string, ItemHistory>;
  /** Asks the user about one item; resolves false to skip it. */
  confirm: (item: PlanItem) => Promise<boolean>;
  signal: AbortSignal;
  callTimeoutMs: number;
  /** Time allowed for a snapshot to complete (--timeout, else ten minutes). */
  snapshotTimeoutMs: number;
  /** Between DescribeSnapshots calls; default 1 s. */
  pollMs?: number;
  onProgress?: (line: string) => void;
}

export const DEFAULT_SNAPSHOT_TIMEOUT_MS = 10 * 60_000;

const now = () => new Date().toISOString();

export async function walkPlan(items: PlanItem[], options: WalkOptions): Promise<ItemResult[]> {
  const results: ItemResult[] = [];
  let stopped = false;
  for (const item of items) {
    const result: ItemResult = { id: item.id, action: item.action, resource: item.resource, status: 'not attempted' };
    results.push(result);
    if (stopped) continue;
    const history = options.history.get(item.id);
    if (history?.done) {
      result.status = 'already done';
      continue;
    }
    if (!(await options.confirm(item))) {
      result.status = 'declined';
      continue;
    }
    options.journal.append({ type: 'item', item: item.id, action: item.action, resource: item.resource, before: item.before, at: now() });
    const failure = await walkItem(item, history, result, options);
    if (failure) {
      result.status = 'failed';
      result.error = failure;
      stopped = true;
      continue;
    }
    options.journal.append({ type: 'done', item: item.id, at: now() });
    result.status = 'done';
  }
  return results;
}

async function walkItem(
  item: PlanItem,
  history: ItemHistory | undefined,
  result: ItemResult,
  options: WalkOptions,
): Promise<JournalError | undefined> {
  const provider = options.providers.find((p) => p.cloud === item.resource.cloud);
  if (!provider?.changes)
    return { class: 'unsupported', code: 'NoChangesFace', message: `the ${item.resource.cloud} provider makes no changes` };
  const answers = new Map(history?.answered ?? []);
  for (const step of item.steps) {
    const known = answers.get(step.name);
    if (known) {
      options.onProgress?.(`${item.id}: ${step.name} already answered (journal), not sent again`);
      if (step.name === 'snapshot') result.snapshotId = known.id;
      continue;
    }
    let request: ChangeRequest = step.request;
    if (step.name === 'wait-snapshot') {
      // The snapshot is addressed by what create-snapshot answered (its id, or on GCP its name).
      const { name: _volumeName, ...rest } = request;
      request = { ...rest, id: answers.get('snapshot')?.id ?? '' };
    }
    options.journal.append({ type: 'intent', item: item.id, step: step.name, request, at: now() });
    const outcome =
      step.name === 'wait-snapshot' ? await waitForSnapshot(provider, request, options) : await send(provider, request, options);
    if ('error' in outcome) {
      options.journal.append({ type: 'outcome', item: item.id, step: step.name, ok: false, error: outcome.error, at: now() });
      return outcome.error;
    }
    options.journal.append({ type: 'outcome', item: item.id, step: step.name, ok: true, answer: outcome.answer, at: now() });
    answers.set(step.name, outcome.answer);
    if (step.name === 'snapshot') result.snapshotId = outcome.answer.id;
    options.onProgress?.(`${item.id}: ${step.name} ${item.resource.id}${outcome.answer.state ? ` → ${outcome.answer.state}` : ''}`);
  }
  return undefined;
}

type Sent = { answer: ChangeAnswer } | { error: JournalError };

/** One call, never retried: a change that failed is the walk's to report, not to send twice. */
export async function send(
  provider: CloudProvider,
  request: ChangeRequest,
  options: Pick<WalkOptions, 'signal' | 'callTimeoutMs'>,
): Promise<Sent> {
  const signal = AbortSignal.any([options.signal, AbortSignal.timeout(options.callTimeoutMs)]);
  try {
    return { answer: await (provider.changes as NonNullable<CloudProvider['changes']>)(request, { signal }) };
  } catch (error) {
    if (options.signal.aborted)
      return { error: { class: 'interrupted', code: 'Interrupted', message: 'interrupted before the call answered' } };
    const classified = provider.classify(error);
    return { error: { class: classified.class, code: classified.code, message: classified.message } };
  }
}

/** DescribeSnapshots until the snapshot is completed, bounded by the snapshot timeout. */
async function waitForSnapshot(provider: CloudProvider, request: ChangeRequest, options: WalkOptions): Promise<Sent> {
  const deadline = Date.now() + options.snapshotTimeoutMs;
  const pollMs = options.pollMs ?? 1000;
  for (;;) {
    const sent = await send(provider, request, options);
    if ('error' in sent) return sent;
    const state = sent.answer.state;
    if (state === 'completed') return sent;
    if (state !== 'pending')
      return {
        error: { class: 'fatal', code: 'SnapshotNotCompleted', message: `snapshot ${request.id} is ${state ?? 'gone'}, not completed` },
      };
    if (Date.now() + pollMs > deadline)
      return {
        error: {
          class: 'timeout',
          code: 'SnapshotTimeout',
          message: `snapshot ${request.id} was still pending after ${Math.round(options.snapshotTimeoutMs / 1000)} s (--timeout); the volume was not deleted`,
        },
      };
    await new Promise((resolve) => setTimeout(resolve, pollMs));
    if (options.signal.aborted)
      return { error: { class: 'interrupted', code: 'Interrupted', message: 'interrupted while the snapshot was pending' } };
  }
}
