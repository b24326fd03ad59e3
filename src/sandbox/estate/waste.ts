// The cost conditions planted after the estate is built (gp2 volumes, machines stopped for weeks,
// snapshots whose source is gone, idle load balancers and databases). They draw from their own
// random stream, so adding them changed nothing the generator drew before them.

import { hashString, Rng } from './rng.js';
import type { EstateResource, PlantedCondition } from './types.js';

const DAY_MS = 86_400_000;

type Count = (condition: PlantedCondition, eligible: number) => number;

function stopped(r: EstateResource): boolean {
  if (r.kind === 'aws.ec2.instance') return r.spec.state === 'stopped';
  if (r.kind === 'azure.compute.vm') return r.spec.powerState !== 'running';
  if (r.kind === 'gcp.compute.instance') return r.spec.status === 'TERMINATED';
  return false;
}

/** A made-up id of the same shape as `id` for a volume or disk that no longer exists. */
function goneId(r: EstateResource, rng: Rng): string | undefined {
  if (r.kind === 'aws.ec2.snapshot') return `vol-${rng.hex(17)}`;
  if (r.kind === 'azure.compute.snapshot') return r.spec.sourceDiskId.replace(/\/disks\/([^/]+)$/, `/disks/$1-${rng.hex(6)}`);
  if (r.kind === 'gcp.compute.snapshot') return `${rng.int(1, 9)}${rng.int(100_000_000, 999_999_999)}${rng.int(100_000_000, 999_999_999)}`;
  return undefined;
}

export function plantWaste(resources: EstateResource[], seed: number, nowMs: number, count: Count): EstateResource[] {
  const rng = new Rng(seed, hashString('waste'));
  const plant = <R extends EstateResource>(condition: PlantedCondition, eligible: R[], apply: (r: R) => void) => {
    for (const i of rng.sample(eligible.length, count(condition, eligible.length))) {
      apply(eligible[i]);
      eligible[i].planted.push(condition);
    }
  };

  // gp2 at its baseline of 3 IOPS per GiB (100 to 16,000), as EBS reports it.
  plant(
    'volume-gp2',
    resources.filter((r) => r.kind === 'aws.ec2.volume' && r.spec.volumeType === 'gp3'),
    (v) => {
      if (v.kind !== 'aws.ec2.volume') return;
      v.spec.volumeType = 'gp2';
      v.spec.iops = Math.min(16_000, Math.max(100, 3 * v.spec.sizeGb));
    },
  );

  // Every stopped machine says when it stopped; the planted ones more than 30 days ago.
  const machines = resources.filter(stopped) as Extract<EstateResource, { spec: { stoppedAt?: string } }>[];
  const ageDays = (r: EstateResource) => Math.floor((nowMs - Date.parse(r.createdAt)) / DAY_MS);
  const stopAt = (r: EstateResource, days: number) =>
    new Date(Math.max(Date.parse(r.createdAt), nowMs - days * DAY_MS - rng.int(0, 23) * 3_600_000)).toISOString();
  const long = new Set<EstateResource>();
  plant(
    'instance-stopped-long',
    machines.filter((m) => ageDays(m) > 32),
    (m) => {
      m.spec.stoppedAt = stopAt(m, rng.int(31, Math.min(400, ageDays(m) - 1)));
      long.add(m);
    },
  );
  for (const m of machines) if (!long.has(m)) m.spec.stoppedAt = stopAt(m, rng.int(1, 29));

  const imageRoots = new Set(
    resources.flatMap((r) => (r.kind === 'aws.ec2.image' && r.spec.rootSnapshotId ? [r.spec.rootSnapshotId] : [])),
  );
  const oldSnapshots = resources.filter(
    (r) =>
      (r.kind === 'aws.ec2.snapshot' || r.kind === 'azure.compute.snapshot' || r.kind === 'gcp.compute.snapshot') &&
      r.planted.includes('snapshot-old') &&
      !imageRoots.has(r.id),
  );
  plant('snapshot-orphaned', oldSnapshots, (s) => {
    const id = goneId(s, rng)!;
    if (s.kind === 'aws.ec2.snapshot') {
      s.spec.description = s.spec.description.replace(s.spec.volumeId, id);
      s.spec.volumeId = id;
    } else if (s.kind === 'azure.compute.snapshot' || s.kind === 'gcp.compute.snapshot') s.spec.sourceDiskId = id;
  });

  // Idle over the metric window: only what existed through the whole of it (30 days).
  const old = (r: EstateResource) => ageDays(r) > 31;
  plant(
    'load-balancer-idle',
    resources.filter((r) => r.kind === 'aws.elbv2.load-balancer' && old(r)),
    (lb) => {
      if (lb.kind === 'aws.elbv2.load-balancer') lb.spec.metricProfile = 'idle';
    },
  );
  plant(
    'database-idle',
    resources.filter((r) => r.kind === 'aws.rds.instance' && r.spec.status === 'available' && old(r)),
    (db) => {
      if (db.kind === 'aws.rds.instance') db.spec.metricProfile = 'idle';
    },
  );
  return resources;
}
