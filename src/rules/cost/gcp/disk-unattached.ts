// GCP-COST-005: persistent disk is attached to nothing.

import { defineCostRule, fact, NONE, recommend, shellWord } from '../../cost.js';
import { GCP_MACHINES } from '../../machines.js';
import { label } from '../../rule.js';

export const rule = defineCostRule({
  id: 'GCP-COST-005',
  slug: 'disk-unattached',
  title: 'Persistent disk is attached to nothing',
  description:
    'The disk has no users: no instance has it attached, and Compute Engine bills every provisioned GiB regardless. A snapshot keeps its data for a fraction of the price.',
  kinds: ['gcp.compute.disk'],
  action: 'delete-volume',
  metrics: [],
  remediation:
    'gcloud compute snapshots create <name> --source-disk <disk> --source-disk-zone <zone>, then gcloud compute disks delete <disk> --zone <zone>',
  tags: ['unattached', 'storage'],
  recommend: (disk, context) => {
    if (disk.attributes.attached !== false || disk.relations.some((r) => r.type === 'attached-to')) return NONE;
    const where = `--zone ${shellWord(disk.region)} --project ${shellWord(disk.account)}`;
    return recommend({
      summary: `Delete ${label('persistent disk', disk)} after a snapshot: no instance uses it.`,
      saving: GCP_MACHINES.disk(disk, context),
      evidence: [fact(`no users (${String(disk.attributes.volumeType)}, ${String(disk.attributes.sizeGb)} GiB)`)],
      risk: 'Whoever detached it may mean to attach it again; the snapshot taken first restores it (gcloud compute disks create --source-snapshot).',
      cli: [
        `gcloud compute snapshots create ${shellWord(`${disk.name}-final`)} --source-disk ${shellWord(disk.name)} --source-disk-zone ${shellWord(disk.region)} --project ${shellWord(disk.account)}`,
        `gcloud compute disks delete ${shellWord(disk.name)} ${where} --quiet`,
      ],
    });
  },
});
