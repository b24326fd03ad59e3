// Reverses what a journal shows was changed, latest first: a stopped machine started, a volume's
// type changed back, a released address replaced by a new one on AWS (the old address itself is
// gone: no cloud gives a released address back), a deleted volume or disk recreated from the
// snapshot taken before it was deleted (a new resource: on AWS a new volume id; on Azure and GCP
// a disk of the same name). Undo's calls are journalled like apply's.

import { type ChangeAnswer, type ChangeRequest, changeCalls } from '../../model/change.js';
import type { RecommendationResource } from '../../model/recommendation.js';
import type { CloudProvider } from '../../providers/types.js';
import type { ItemHistory, JournalError, JournalWriter } from './journal.js';
import { send } from './walk.js';

export type UndoStatus = 'undone' | 'already undone' | 'cannot undo' | 'nothing to undo' | 'failed' | 'not attempted';

export interface UndoResult {
  id: string;
  action: string;
  resource: RecommendationResource;
  status: UndoStatus;
  /** What was done or what a person can do: the new address, the snapshot to recreate from. */
  note?: string;
  error?: JournalError;
}

interface Reversal {
  step: string;
  request?: ChangeRequest;
  /** Said whatever happens (what cannot be reversed, and why). */
  note?: string;
  /** Said once the call answered (what it made). */
  after?: (answer: ChangeAnswer) => string;
}

const tagsOf = (value: unknown) =>
  value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, string>) : undefined;

/** The snapshot left behind when a delete did not happen, and how to remove it by hand. */
function leftover(cloud: string, snapshot: string, region: string): string {
  if (cloud === 'aws') return `snapshot ${snapshot} remains (aws ec2 delete-snapshot --region ${region} --snapshot-id ${snapshot})`;
  if (cloud === 'azure') return `snapshot ${snapshot} remains (az snapshot delete --ids ${snapshot})`;
  return `snapshot ${snapshot} remains (gcloud compute snapshots delete ${snapshot})`;
}

function azureParts(id: string): { group: string; name: string } {
  const match = /\/resourceGroups\/([^/]+)\/providers\/.+\/([^/]+)$/i.exec(id);
  return match ? { group: match[1], name: match[2] } : { group: '<group>', name: id };
}

/** How to reverse one item, from what its journal records say. */
export function reversalOf(history: ItemHistory): Reversal | undefined {
  const { item, answered } = history;
  const { cloud, region, id, name } = item.resource;
  const call = changeCalls(item.resource);
  switch (item.action) {
    case 'stop':
      if (!answered.has('stop')) return undefined;
      if (String(item.before.state).toLowerCase() !== 'running')
        return { step: 'undo-start', note: `it was ${item.before.state} before; left as it is` };
      return { step: 'undo-start', request: call('start-instance') };
    case 'change-volume-type':
      if (!answered.has('modify')) return undefined;
      return {
        step: 'undo-modify',
        request: call('modify-volume-type', { volumeType: String(item.before.volumeType ?? 'gp2') }),
        note: 'EC2 allows one modification of a volume every 6 hours',
      };
    case 'release-address':
      if (!answered.has('release')) return undefined;
      if (cloud === 'gcp') {
        return {
          step: 'undo-allocate',
          note: `the released address ${item.before.address ?? ''} is gone for good; a new one: gcloud compute addresses create ${name} --project ${item.resource.account} --region ${region}`.replace(
            '  ',
            ' ',
          ),
        };
      }
      if (cloud === 'azure') {
        const { group, name } = azureParts(id);
        return {
          step: 'undo-allocate',
          note: `the deleted public IP's address ${item.before.address ?? ''} is gone for good; a new one: az network public-ip create --resource-group ${group} --name ${name} --location ${region}`.replace(
            '  ',
            ' ',
          ),
        };
      }
      return {
        step: 'undo-allocate',
        request: call('allocate-address', { id: '' }),
        note: `the released address ${item.before.address ?? id} is gone for good; a new Elastic IP is allocated in its place`,
      };
    case 'delete-volume': {
      const snapshot = answered.get('snapshot')?.id;
      if (!answered.has('delete')) {
        return snapshot
          ? {
              step: 'undo-delete',
              note: `the ${cloud === 'aws' ? 'volume' : 'disk'} was not deleted; ${leftover(cloud, snapshot, region)}`,
            }
          : undefined;
      }
      if (!snapshot) return { step: 'undo-delete', note: 'the journal names no snapshot of it: it cannot be recreated' };
      const { volumeType, sizeGb, availabilityZone, iops } = item.before;
      const type = typeof volumeType === 'string' ? volumeType : undefined;
      const tags = tagsOf(item.before.tags);
      if (cloud === 'aws') {
        // Keys under aws: are AWS's own (CloudFormation's…): CreateVolume refuses them in a request.
        const own = tags ? Object.fromEntries(Object.entries(tags).filter(([key]) => !key.startsWith('aws:'))) : {};
        return {
          step: 'undo-delete',
          request: call('create-volume', {
            id: snapshot,
            availabilityZone: typeof availabilityZone === 'string' ? availabilityZone : undefined,
            ...(type ? { volumeType: type } : {}),
            ...(typeof sizeGb === 'number' ? { sizeGb } : {}),
            // gp2 and st1 take no IOPS; gp3's 3,000 are its default.
            ...(typeof iops === 'number' && (type === 'io1' || type === 'io2' || (type === 'gp3' && iops > 3000)) ? { iops } : {}),
            ...(Object.keys(own).length > 0 ? { tags: own } : {}),
          }),
          note: `recreated from snapshot ${snapshot}; a deleted volume's id cannot come back`,
          after: (answer) =>
            `recreated from snapshot ${snapshot} as ${answer.id ?? 'a new volume'} (${answer.state ?? 'creating'}); the deleted id ${id} cannot come back`,
        };
      }
      return {
        step: 'undo-delete',
        request: call('create-volume', {
          id: snapshot,
          name,
          ...(type ? { volumeType: type } : {}),
          ...(typeof sizeGb === 'number' ? { sizeGb } : {}),
          ...(tags ? { tags } : {}),
        }),
        note: `recreated from snapshot ${snapshot} as a new disk named ${name}`,
        after: (answer) =>
          `recreated from snapshot ${snapshot} as a new disk named ${name}${cloud === 'gcp' && answer.id ? ` (id ${answer.id}; the deleted disk's id ${id} cannot come back)` : ''}`,
      };
    }
  }
}

export async function undoJournal(
  histories: ItemHistory[],
  options: {
    providers: CloudProvider[];
    journal: JournalWriter;
    signal: AbortSignal;
    callTimeoutMs: number;
    /** When undo stops starting calls (--timeout), ms since the epoch; a call in flight is cut at it too. */
    deadline?: number;
  },
): Promise<UndoResult[]> {
  const results: UndoResult[] = [];
  let stopped = false;
  // Latest first, so a later change is reversed before the one it followed.
  for (const history of [...histories].reverse()) {
    const { item } = history;
    const result: UndoResult = { id: item.item, action: item.action, resource: item.resource, status: 'not attempted' };
    results.push(result);
    if (stopped) continue;
    if (history.undone) {
      result.status = 'already undone';
      continue;
    }
    const reversal = reversalOf(history);
    if (!reversal) {
      result.status = 'nothing to undo';
      continue;
    }
    result.note = reversal.note;
    if (!reversal.request) {
      result.status = 'cannot undo';
      continue;
    }
    const left = options.deadline === undefined ? Number.POSITIVE_INFINITY : options.deadline - Date.now();
    if (left <= 0) {
      result.status = 'failed';
      result.error = { class: 'timeout', code: 'Timeout', message: '--timeout passed before this was undone; run undo again to finish' };
      stopped = true;
      continue;
    }
    const provider = options.providers.find((p) => p.cloud === item.resource.cloud);
    if (!provider?.changes) {
      result.status = 'failed';
      result.error = { class: 'unsupported', code: 'NoChangesFace', message: `the ${item.resource.cloud} provider makes no changes` };
      stopped = true;
      continue;
    }
    const at = () => new Date().toISOString();
    options.journal.append({
      type: 'intent',
      item: item.item,
      step: reversal.step as `undo-${string}`,
      request: reversal.request,
      at: at(),
    });
    const sent = await send(provider, reversal.request, { signal: options.signal, callTimeoutMs: Math.min(options.callTimeoutMs, left) });
    if ('error' in sent) {
      options.journal.append({ type: 'outcome', item: item.item, step: reversal.step, ok: false, error: sent.error, at: at() });
      result.status = 'failed';
      result.error = sent.error;
      stopped = true;
      continue;
    }
    options.journal.append({ type: 'outcome', item: item.item, step: reversal.step, ok: true, answer: sent.answer, at: at() });
    if (reversal.after) result.note = reversal.after(sent.answer);
    else if (sent.answer.address) result.note = `${reversal.note}: ${sent.answer.address} (${sent.answer.id})`;
    options.journal.append({ type: 'undone', item: item.item, at: at(), ...(result.note ? { note: result.note } : {}) });
    result.status = 'undone';
  }
  return results.reverse();
}
