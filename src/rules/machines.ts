// What the machine cost rules of the three clouds share: how each cloud names a machine's type,
// prices an hour of it and its disks, and spells the CLI commands that stop, resize or delete it.
// The rule files (src/rules/cost/<cloud>/*) pick the verdict; this says it in the cloud's words.

import type { Resource } from '../model/resource.js';
import { currentEquivalents, type MachineCloud, oneSizeDown } from '../pricing/sizes.js';
import {
  type CostContext,
  type CostVerdict,
  daysSince,
  difference,
  fact,
  idleness,
  isRunning,
  isStopped,
  metricEvidence,
  monthly,
  monthlyFromHour,
  NONE,
  recommend,
  type Saving,
  shellWord,
  total,
} from './cost.js';
import { label } from './rule.js';

export interface MachineCloudSpec {
  cloud: MachineCloud;
  noun: string;
  hour(type: string, machine: Resource, context: CostContext): Saving;
  disk(disk: Resource, context: CostContext): Saving;
  stop(machine: Resource): string[];
  resize(machine: Resource, target: string): string[];
  /** Snapshot each disk, then delete the machine and its disks. */
  remove(machine: Resource, disks: Resource[]): string[];
}

const typeOf = (machine: Resource) => (typeof machine.attributes.instanceType === 'string' ? machine.attributes.instanceType : undefined);

const gcpZone = (r: Resource) => `--zone ${shellWord(r.region)} --project ${shellWord(r.account)}`;

export const AWS_MACHINES: MachineCloudSpec = {
  cloud: 'aws',
  noun: 'EC2 instance',
  hour: (type, machine, context) => monthlyFromHour(context.pricing.ec2InstanceHour(type, machine.region), `${type} in ${machine.region}`),
  disk: (volume, context) =>
    monthly(
      context.pricing.ebsVolumeMonth(
        String(volume.attributes.volumeType),
        Number(volume.attributes.sizeGb ?? 0),
        typeof volume.attributes.iops === 'number' ? volume.attributes.iops : undefined,
        volume.region,
      ),
      `EBS ${String(volume.attributes.volumeType)} in ${volume.region}`,
    ),
  stop: (m) => [`aws ec2 stop-instances --region ${m.region} --instance-ids ${m.id}`],
  resize: (m, target) => [
    `aws ec2 stop-instances --region ${m.region} --instance-ids ${m.id}`,
    `aws ec2 wait instance-stopped --region ${m.region} --instance-ids ${m.id}`,
    `aws ec2 modify-instance-attribute --region ${m.region} --instance-id ${m.id} --instance-type Value=${target}`,
    `aws ec2 start-instances --region ${m.region} --instance-ids ${m.id}`,
  ],
  remove: (m, disks) => [
    ...disks.map(
      (d) => `aws ec2 create-snapshot --region ${m.region} --volume-id ${d.id} --description ${shellWord(`before deleting ${m.id}`)}`,
    ),
    ...(disks.length
      ? [`aws ec2 wait snapshot-completed --region ${m.region} --filters Name=volume-id,Values=${disks.map((d) => d.id).join(',')}`]
      : []),
    `aws ec2 terminate-instances --region ${m.region} --instance-ids ${m.id}`,
  ],
};

export const AZURE_MACHINES: MachineCloudSpec = {
  cloud: 'azure',
  noun: 'Azure VM',
  hour: (type, machine, context) =>
    monthlyFromHour(
      context.pricing.azureVmHour(
        type,
        typeof machine.attributes.osType === 'string' ? machine.attributes.osType : undefined,
        machine.region,
      ),
      `${type} in ${machine.region}`,
    ),
  disk: (disk, context) =>
    monthly(
      context.pricing.azureDiskMonth(String(disk.attributes.volumeType), Number(disk.attributes.sizeGb ?? 0), disk.region),
      `${String(disk.attributes.volumeType)} managed disk in ${disk.region}`,
    ),
  // Deallocate, not stop: a stopped (not deallocated) VM is still billed for its compute.
  stop: (m) => [`az vm deallocate --ids ${shellWord(m.id)}`],
  resize: (m, target) => [`az vm resize --ids ${shellWord(m.id)} --size ${target}`],
  remove: (m, disks) => [
    ...disks.map(
      (d) =>
        `az snapshot create --resource-group ${shellWord(resourceGroupOf(d.id))} --name ${shellWord(`${d.name}-final`)} --source ${shellWord(d.id)}`,
    ),
    `az vm delete --ids ${shellWord(m.id)} --yes`,
    ...disks.map((d) => `az disk delete --ids ${shellWord(d.id)} --yes`),
  ],
};

export const GCP_MACHINES: MachineCloudSpec = {
  cloud: 'gcp',
  noun: 'GCE instance',
  hour: (type, machine, context) => monthlyFromHour(context.pricing.gcpMachineHour(type, machine.region), `${type} in ${machine.region}`),
  disk: (disk, context) =>
    monthly(
      context.pricing.gcpDiskMonth(String(disk.attributes.volumeType), Number(disk.attributes.sizeGb ?? 0), disk.region),
      `${String(disk.attributes.volumeType)} in ${disk.region}`,
    ),
  stop: (m) => [`gcloud compute instances stop ${shellWord(m.name)} ${gcpZone(m)}`],
  resize: (m, target) => [
    `gcloud compute instances stop ${shellWord(m.name)} ${gcpZone(m)}`,
    `gcloud compute instances set-machine-type ${shellWord(m.name)} --machine-type ${target} ${gcpZone(m)}`,
    `gcloud compute instances start ${shellWord(m.name)} ${gcpZone(m)}`,
  ],
  remove: (m, disks) => [
    ...disks.map(
      (d) =>
        `gcloud compute snapshots create ${shellWord(`${d.name}-final`)} --source-disk ${shellWord(d.name)} --source-disk-zone ${shellWord(d.region)} --project ${shellWord(d.account)}`,
    ),
    `gcloud compute instances delete ${shellWord(m.name)} ${gcpZone(m)} --delete-disks all --quiet`,
  ],
};

export function resourceGroupOf(armId: string): string {
  return /\/resourceGroups\/([^/]+)/i.exec(armId)?.[1] ?? '';
}

/** An idle running machine: stopping it saves its compute (its disks are still billed). */
export function idleMachine(spec: MachineCloudSpec, machine: Resource, context: CostContext): CostVerdict {
  if (!isRunning(machine)) return NONE;
  const verdict = idleness(machine, context);
  if (!verdict.idle) return verdict.undecided ? { status: 'undecided', reason: verdict.undecided } : NONE;
  const type = typeOf(machine);
  return recommend({
    summary: `Stop ${label(spec.noun, machine)}: its CPU and network stayed idle over the window.`,
    saving: type ? spec.hour(type, machine, context) : { unpriced: 'the machine type was not reported' },
    evidence: verdict.evidence,
    risk: 'Whatever still runs on it stops; its disks stay (and keep billing), so starting it again restores it as it was.',
    cli: spec.stop(machine),
  });
}

/**
 * A running machine whose p95 CPU (and memory, where the cloud publishes it) stayed under the
 * threshold and that is not idle: one size down in its family, priced at the target type. When
 * its own family has no smaller size, one size down of its current-generation equivalent.
 */
export function rightsizeMachine(spec: MachineCloudSpec, machine: Resource, context: CostContext): CostVerdict {
  if (!isRunning(machine)) return NONE;
  const type = typeOf(machine);
  if (!type) return NONE;
  const idle = idleness(machine, context);
  if (idle.idle) return NONE;
  const cpu = context.metric(machine, 'cpu');
  if (cpu.status === 'missing') return { status: 'undecided', reason: `CPU: ${cpu.reason}` };
  if (cpu.status === 'no-data') return NONE;
  const limit = context.thresholds.rightsizeCpuPercent;
  if (cpu.p95 >= limit) return NONE;
  const evidence = [metricEvidence(cpu, 'p95', limit, 'below')];
  const memory = context.metric(machine, 'memory');
  if (memory.status === 'read') {
    if (memory.p95 >= limit) return NONE;
    evidence.push(metricEvidence(memory, 'p95', limit, 'below'));
  }
  const current = spec.hour(type, machine, context);
  let target = oneSizeDown(spec.cloud, type);
  if (!target) {
    const modern = currentEquivalents(spec.cloud, type)[0];
    target = modern ? oneSizeDown(spec.cloud, modern) : undefined;
  }
  if (!target) return { status: 'undecided', reason: `no smaller size of ${type}'s family is in the price tables` };
  return recommend({
    summary: `Resize ${label(spec.noun, machine)} from ${type} to ${target}: its p95 CPU stayed under ${limit}% over the window.`,
    saving: difference(current, spec.hour(target, machine, context)),
    evidence,
    risk: 'The machine restarts to change size; with half the capacity a load peak it has not had in the window could saturate it. Resize back the same way.',
    cli: spec.resize(machine, target),
  });
}

/** A running previous-generation machine with a cheaper current equivalent of the same size. */
export function modernizeMachine(spec: MachineCloudSpec, machine: Resource, context: CostContext): CostVerdict {
  if (!isRunning(machine)) return NONE;
  const type = typeOf(machine);
  if (!type) return NONE;
  const candidates = currentEquivalents(spec.cloud, type);
  if (candidates.length === 0) return NONE;
  const current = spec.hour(type, machine, context);
  if ('unpriced' in current) return { status: 'undecided', reason: current.unpriced };
  for (const target of candidates) {
    const saving = difference(current, spec.hour(target, machine, context));
    if ('unpriced' in saving || saving.amount <= 0) continue;
    return recommend({
      summary: `Move ${label(spec.noun, machine)} from the previous-generation ${type} to ${target}, which costs less for the same size.`,
      saving,
      evidence: [fact(`${type} is a previous-generation type; ${target} is its current equivalent`)],
      risk: 'The machine restarts on new hardware; check that its image supports the newer type (drivers such as ENA/NVMe on AWS). Change back the same way.',
      cli: spec.resize(machine, target),
    });
  }
  return NONE;
}

/** A machine stopped longer than the threshold whose disks are still billed. */
export function stoppedMachine(spec: MachineCloudSpec, machine: Resource, context: CostContext): CostVerdict {
  if (!isStopped(machine)) return NONE;
  const days = daysSince(machine.attributes.stoppedAt, context.now);
  if (days === undefined) return { status: 'undecided', reason: 'the cloud did not say when the machine stopped' };
  if (days <= context.thresholds.stoppedDays) return NONE;
  const disks = context.referrers(machine, 'attached-to');
  const saving =
    disks.length === 0 ? ({ unpriced: 'none of its disks is in the inventory' } as Saving) : total(disks.map((d) => spec.disk(d, context)));
  return recommend({
    summary: `Delete ${label(spec.noun, machine)} after snapshotting its disks: it has been stopped for ${days} days and its ${disks.length} disk(s) are still billed.`,
    saving,
    evidence: [
      fact(`stopped since ${String(machine.attributes.stoppedAt).slice(0, 10)} (${days} days)`),
      fact(`${disks.length} attached disk(s): ${disks.map((d) => d.id).join(', ') || 'none listed'}`),
    ],
    risk: 'The machine and its disks are deleted; the snapshots taken first (billed at snapshot rates) are what restores them.',
    cli: spec.remove(machine, disks),
  });
}
