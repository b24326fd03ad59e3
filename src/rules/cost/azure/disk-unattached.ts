// AZ-COST-005: managed disk is attached to nothing.

import { defineCostRule, fact, NONE, recommend, shellWord } from '../../cost.js';
import { AZURE_MACHINES, resourceGroupOf } from '../../machines.js';
import { label } from '../../rule.js';

export const rule = defineCostRule({
  id: 'AZ-COST-005',
  slug: 'disk-unattached',
  title: 'Managed disk is attached to nothing',
  description:
    'The managed disk is Unattached: no VM uses it, and Azure bills its provisioned tier every month regardless. A snapshot keeps its data for a fraction of the price.',
  kinds: ['azure.compute.disk'],
  action: 'delete-volume',
  metrics: [],
  remediation: 'az snapshot create --source <disk-id> …, then az disk delete --ids <disk-id> --yes',
  tags: ['unattached', 'storage'],
  recommend: (disk, context) => {
    if (disk.state !== 'Unattached' || disk.relations.some((r) => r.type === 'attached-to')) return NONE;
    return recommend({
      summary: `Delete ${label('managed disk', disk)} after a snapshot: it is attached to no VM.`,
      saving: AZURE_MACHINES.disk(disk, context),
      evidence: [fact(`diskState Unattached (${String(disk.attributes.volumeType)}, ${String(disk.attributes.sizeGb)} GiB)`)],
      risk: 'Whoever detached it may mean to attach it again; the snapshot taken first restores it (az disk create --source <snapshot>).',
      cli: [
        `az snapshot create --resource-group ${shellWord(resourceGroupOf(disk.id))} --name ${shellWord(`${disk.name}-final`)} --source ${shellWord(disk.id)}`,
        `az disk delete --ids ${shellWord(disk.id)} --yes`,
      ],
    });
  },
});
