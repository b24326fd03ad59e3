// The safe actions among optimize's recommendations and the calls each one takes, in order. Only
// what can be done without losing data unrecoverably is here: an unassociated address released,
// an unattached volume or disk deleted after a completed snapshot of it, an idle machine stopped,
// a gp2 volume changed to gp3 in place (EBS only: Azure and GCP have no in-place disk type change
// that saves). Resizes, deletions of machines, snapshots, load balancers and databases stay
// commands for a person to run.

import { createHash } from 'node:crypto';
import { UsageError } from '../../errors.js';
import { type ChangeRequest, changeCalls } from '../../model/change.js';
import type { Recommendation, RecommendationAction, RecommendationResource } from '../../model/recommendation.js';
import type { Resource } from '../../model/resource.js';

export type SafeAction = Extract<RecommendationAction, 'release-address' | 'delete-volume' | 'stop' | 'change-volume-type'>;

/** The clouds and actions --apply acts on (the changes faces offer these operations). */
const SAFE: Record<string, readonly SafeAction[]> = {
  aws: ['release-address', 'delete-volume', 'stop', 'change-volume-type'],
  azure: ['release-address', 'delete-volume', 'stop'],
  gcp: ['release-address', 'delete-volume', 'stop'],
};

/** What undo needs that the cloud will not keep: the prior type, size, zone and tags, the address… */
export type Before = Record<string, string | number | Record<string, string> | undefined>;

/** One call of an item: a change, or waiting for the snapshot the previous step made to complete. */
export interface PlanStep {
  /** Stable within the item, so a rerun finds it in the journal. */
  name: 'release' | 'snapshot' | 'wait-snapshot' | 'delete' | 'stop' | 'modify';
  request: ChangeRequest;
}

export interface PlanItem {
  /** The recommendation's id (what --apply takes). */
  id: string;
  rule: string;
  action: SafeAction;
  resource: RecommendationResource;
  summary: string;
  monthlySaving: number | null;
  steps: PlanStep[];
  /** What undo needs that the cloud will not say after the change (the prior type, the address…). */
  before: Before;
}

export interface Plan {
  items: PlanItem[];
  /** Recommendations chosen (or listed) that --apply does not act on: their commands are for a person. */
  manual: Recommendation[];
  /** Safe ones left out because an earlier item acts on the same resource (a gp2 volume that is deleted is not changed to gp3). */
  superseded: { recommendation: Recommendation; by: string }[];
}

export function isSafe(recommendation: Recommendation): boolean {
  return (SAFE[recommendation.resource.cloud] ?? []).includes(recommendation.action as SafeAction);
}

/**
 * The plan for `ids` (every safe recommendation when none are given). An id no recommendation has,
 * or one whose action --apply does not take, is a usage error naming it; `done` are the ids a
 * resumed journal shows done, which need not be recommended any more.
 */
export function planOf(
  recommendations: Recommendation[],
  resources: Resource[],
  ids?: string[],
  done: ReadonlySet<string> = new Set(),
): Plan {
  const byId = new Map(recommendations.map((r) => [r.id, r]));
  let chosen = recommendations;
  if (ids && ids.length > 0) {
    // What a resumed journal shows done is no longer recommended (the volume is gone): not unknown.
    ids = ids.filter((id) => byId.has(id) || !done.has(id));
    const unknown = ids.filter((id) => !byId.has(id));
    if (unknown.length > 0) {
      throw new UsageError(`--apply: no recommendation ${unknown.map((id) => `'${id}'`).join(', ')} in this run`, {
        hint: "the ids are the 'id' column of guardian optimize (opt- and 10 hex digits)",
      });
    }
    chosen = [...new Set(ids)].map((id) => byId.get(id) as Recommendation);
    const manual = chosen.filter((r) => !isSafe(r));
    if (manual.length > 0) {
      const r = manual[0];
      throw new UsageError(
        `--apply: ${r.id} (${r.action} ${r.resource.id}) is not a change --apply makes; run its command yourself: ${r.command.cli}`,
      );
    }
  }
  const found = new Map(resources.map((r) => [`${r.kind}|${r.account}|${r.region}|${r.id}`, r]));
  const items: PlanItem[] = [];
  const superseded: Plan['superseded'] = [];
  // One item per resource, the first (largest saving) kept: the others would act on what it changed.
  const taken = new Map<string, string>();
  for (const r of chosen) {
    if (!isSafe(r)) continue;
    const key = `${r.resource.kind}|${r.resource.account}|${r.resource.region}|${r.resource.id}`;
    const by = taken.get(key);
    if (by) {
      superseded.push({ recommendation: r, by });
      continue;
    }
    taken.set(key, r.id);
    const resource = found.get(`${r.resource.kind}|${r.resource.account}|${r.resource.region}|${r.resource.id}`);
    items.push(itemOf(r, resource));
  }
  return { items, manual: chosen.filter((r) => !isSafe(r)), superseded };
}

function itemOf(r: Recommendation, resource: Resource | undefined): PlanItem {
  const { id } = r.resource;
  const call = changeCalls(r.resource);
  const attributes = resource?.attributes ?? {};
  const base = { id: r.id, rule: r.rule, resource: r.resource, summary: r.summary, monthlySaving: r.monthlySaving };
  const action = r.action as SafeAction;
  switch (action) {
    case 'release-address':
      return {
        ...base,
        action,
        steps: [{ name: 'release', request: call('release-address') }],
        before: { address: str(attributes.publicIp) },
      };
    case 'delete-volume':
      return {
        ...base,
        action,
        steps: [
          {
            name: 'snapshot',
            request: call('create-snapshot', {
              description: `guardian optimize: before deleting ${r.resource.cloud === 'aws' ? id : r.resource.name}`,
              ...(r.resource.cloud === 'aws' ? {} : { snapshotName: snapshotNameFor(r.resource, resource?.createdAt) }),
            }),
          },
          // The snapshot's id is known only once it is made: the walk fills it in.
          { name: 'wait-snapshot', request: call('snapshot-state') },
          { name: 'delete', request: call('delete-volume') },
        ],
        before: {
          volumeType: str(attributes.volumeType),
          sizeGb: num(attributes.sizeGb),
          availabilityZone: str(attributes.availabilityZone),
          iops: num(attributes.iops),
          ...(resource && Object.keys(resource.tags).length > 0 ? { tags: { ...resource.tags } } : {}),
        },
      };
    case 'stop':
      return {
        ...base,
        action,
        steps: [{ name: 'stop', request: call('stop-instance') }],
        before: { state: str(resource?.state) ?? 'running' },
      };
    case 'change-volume-type': {
      // gp2 gives 3 IOPS per GiB (at least 100); gp3 includes 3,000: more are provisioned so none are lost.
      const size = num(attributes.sizeGb) ?? 0;
      const iops = num(attributes.iops) ?? Math.max(100, 3 * size);
      const gp3Iops = Math.max(3000, iops);
      return {
        ...base,
        action,
        steps: [
          { name: 'modify', request: call('modify-volume-type', { volumeType: 'gp3', ...(gp3Iops > 3000 ? { iops: gp3Iops } : {}) }) },
        ],
        before: { volumeType: str(attributes.volumeType) ?? 'gp2' },
      };
    }
  }
}

/**
 * The name of the snapshot taken before a disk is deleted (Azure and GCP name snapshots; EC2 gives
 * them ids): the same on a rerun, so a snapshot whose answer was lost is not made twice, and another
 * for a disk of the same name made later (its creation time differs). Fits both clouds' rules:
 * GCP's [a-z]([-a-z0-9]{0,61}[a-z0-9])?, Azure's 80 letters, digits, '-', '_' and '.'.
 */
export function snapshotNameFor(resource: Pick<RecommendationResource, 'id' | 'name'>, createdAt: string | undefined): string {
  const hash = createHash('sha256')
    .update(`${resource.id}|${createdAt ?? ''}`)
    .digest('hex')
    .slice(0, 8);
  const stem = resource.name
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^[^a-z]+/, '')
    .slice(0, 40)
    .replace(/-+$/, '');
  return `${stem || 'disk'}-guardian-${hash}`;
}

const str = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);
const num = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);
