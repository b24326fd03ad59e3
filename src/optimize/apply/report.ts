// How the plan, the walk's summary and undo's are shown: tables on a terminal, JSON documents
// (guardian.optimize-apply, guardian.optimize-undo) for scripts. Documented in docs/optimize.md.

import { type TableView, toJson } from '../../render/output.js';
import type { PlanItem } from './plan.js';
import type { UndoResult } from './undo.js';
import type { ItemResult } from './walk.js';

const STEP_CALLS: Record<string, Record<string, string>> = {
  aws: {
    release: 'ReleaseAddress',
    snapshot: 'CreateSnapshot',
    'wait-snapshot': 'DescribeSnapshots until completed',
    delete: 'DeleteVolume',
    stop: 'StopInstances',
    modify: 'ModifyVolume',
  },
  azure: {
    release: 'DELETE publicIPAddresses (polled to Succeeded)',
    stop: 'virtualMachines deallocate (polled to Succeeded)',
    snapshot: 'PUT snapshots (Copy of the disk)',
    'wait-snapshot': 'GET snapshots until Succeeded',
    delete: 'DELETE disks (polled to Succeeded)',
  },
  gcp: {
    release: 'addresses.delete (operation waited to DONE)',
    stop: 'instances.stop (operation waited to DONE)',
    snapshot: 'disks.createSnapshot (operation waited to DONE)',
    'wait-snapshot': 'snapshots.get until READY',
    delete: 'disks.delete (operation waited to DONE)',
  },
};

export function callsOf(item: PlanItem): string[] {
  return item.steps.map((step) => {
    const call = STEP_CALLS[item.resource.cloud]?.[step.name] ?? step.name;
    return step.request.volumeType ? `${call} (${step.request.volumeType}${step.request.iops ? `, ${step.request.iops} IOPS` : ''})` : call;
  });
}

export function planView(items: PlanItem[]): TableView<PlanItem> {
  return {
    columns: [
      { header: 'id', value: (i) => i.id },
      { header: 'action', value: (i) => i.action },
      { header: 'cloud', value: (i) => i.resource.cloud },
      { header: 'resource', value: (i) => i.resource.id },
      { header: 'region', value: (i) => i.resource.region, priority: 1 },
      { header: 'calls', value: (i) => callsOf(i).join(' → ') },
    ],
    rows: items,
  };
}

export function planJson(items: PlanItem[]) {
  return items.map((i) => ({ id: i.id, action: i.action, resource: i.resource, calls: callsOf(i) }));
}

export function summaryOf(results: ItemResult[]) {
  const count = (status: ItemResult['status']) => results.filter((r) => r.status === status).length;
  return {
    done: count('done'),
    alreadyDone: count('already done'),
    failed: count('failed'),
    notAttempted: count('not attempted'),
    declined: count('declined'),
  };
}

export function summaryLine(results: ItemResult[]): string {
  const s = summaryOf(results);
  const parts = [`${s.done} done`, `${s.failed} failed`, `${s.notAttempted} not attempted`];
  if (s.alreadyDone) parts.push(`${s.alreadyDone} already done (journal)`);
  if (s.declined) parts.push(`${s.declined} declined`);
  return parts.join(', ');
}

export function applyView(results: ItemResult[]): TableView<ItemResult> {
  return {
    columns: [
      { header: 'id', value: (r) => r.id },
      { header: 'action', value: (r) => r.action },
      { header: 'resource', value: (r) => r.resource.id },
      { header: 'status', value: (r) => r.status },
      {
        header: 'detail',
        value: (r) => (r.error ? `${r.error.code}: ${r.error.message}` : r.snapshotId ? `snapshot ${r.snapshotId}` : ''),
      },
    ],
    rows: results,
  };
}

export function applyJson(journal: string, results: ItemResult[]): string {
  return toJson('guardian.optimize-apply', { journal, summary: summaryOf(results), items: results });
}

export function undoView(results: UndoResult[]): TableView<UndoResult> {
  return {
    columns: [
      { header: 'id', value: (r) => r.id },
      { header: 'action', value: (r) => r.action },
      { header: 'resource', value: (r) => r.resource.id },
      { header: 'status', value: (r) => r.status },
      { header: 'detail', value: (r) => [r.error ? `${r.error.code}: ${r.error.message}` : '', r.note ?? ''].filter(Boolean).join('; ') },
    ],
    rows: results,
  };
}

export function undoJson(journal: string, results: UndoResult[]): string {
  return toJson('guardian.optimize-undo', { journal, items: results });
}
