// One change to one resource, as `guardian optimize --apply` and `undo` ask a provider's changes
// face for it: plain data across the provider thread. Each operation is one cloud call (a
// long-running one is followed to its end by the provider, as the SDK's poller does); waiting
// for a snapshot to complete is the walk's, through `snapshot-state`, so that every call the
// walk makes is journalled before it is sent.

import type { Cloud } from './resource.js';

export const CHANGE_OPS = [
  'release-address',
  'allocate-address',
  'create-snapshot',
  'snapshot-state',
  'delete-volume',
  'stop-instance',
  'start-instance',
  'modify-volume-type',
  'create-volume',
] as const;
export type ChangeOp = (typeof CHANGE_OPS)[number];

export interface ChangeRequest {
  op: ChangeOp;
  cloud: Cloud;
  account: string;
  region: string;
  /**
   * The resource the call acts on: a snapshot's id for snapshot-state and create-volume (its name
   * on GCP, where snapshots are addressed by name); unused by allocate-address.
   */
  id: string;
  /** The resource's name where the cloud addresses it by name (GCP); create-volume: the new volume's or disk's name. */
  name?: string;
  /** modify-volume-type: the type to change to, and the IOPS to provision with it. */
  volumeType?: string;
  iops?: number;
  /** create-snapshot: the snapshot's description, and its name where the cloud names snapshots (Azure, GCP). */
  description?: string;
  snapshotName?: string;
  /** create-volume: where, how large and tagged how (the deleted volume's, from the journal). */
  availabilityZone?: string;
  sizeGb?: number;
  tags?: Record<string, string>;
}

/** The calls that act on one resource: `call(op, extra)` fills in its cloud, account, region and id. */
export function changeCalls(target: Pick<ChangeRequest, 'cloud' | 'account' | 'region' | 'id' | 'name'>) {
  const { cloud, account, region, id, name } = target;
  return (op: ChangeOp, extra: Partial<ChangeRequest> = {}): ChangeRequest => ({
    op,
    cloud,
    account,
    region,
    id,
    ...(cloud === 'gcp' && name ? { name } : {}),
    ...extra,
  });
}

export interface ChangeAnswer {
  /** What the call created (a snapshot's, an address's or a volume's id). */
  id?: string;
  /** The resource's state as the call left it (stopping, pending, completed, modifying…). */
  state?: string;
  /** Its state before the call, where the cloud says (an instance's). */
  previousState?: string;
  /** allocate-address: the address given. */
  address?: string;
}
