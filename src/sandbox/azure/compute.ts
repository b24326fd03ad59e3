// Microsoft.Compute resources rendered as ARM returns them (virtualMachines, disks, snapshots):
// the resource envelope (id, name, type, location, tags) around a `properties` bag, in the shapes
// @azure/arm-compute's deserializers read.

import type { AzureDisk, AzureSnapshot, AzureVm } from '../estate/types.js';
import type { EstateIndex } from '../server/types.js';
import { nameOfId, stableGuid } from './arm-protocol.js';

const POWER_STATE_DISPLAY: Record<AzureVm['spec']['powerState'], string> = {
  starting: 'VM starting',
  running: 'VM running',
  stopping: 'VM stopping',
  stopped: 'VM stopped',
  deallocating: 'VM deallocating',
  deallocated: 'VM deallocated',
};

const IMAGES: Record<AzureVm['spec']['osType'], Record<string, string>> = {
  Linux: { publisher: 'Canonical', offer: 'ubuntu-24_04-lts', sku: 'server', version: 'latest', exactVersion: '24.04.202510010' },
  Windows: {
    publisher: 'MicrosoftWindowsServer',
    offer: 'WindowsServer',
    sku: '2022-datacenter-azure-edition',
    version: 'latest',
    exactVersion: '20348.4171.251007',
  },
};

function diskOf(index: EstateIndex, id: string): AzureDisk | undefined {
  const disk = index.byId.get(id);
  return disk?.kind === 'azure.compute.disk' ? disk : undefined;
}

/** The provisioning status's time is that of the VM's last operation: its deallocation, for a deallocated VM. */
function vmStatuses(vm: AzureVm): unknown[] {
  return [
    {
      code: 'ProvisioningState/succeeded',
      level: 'Info',
      displayStatus: 'Provisioning succeeded',
      time: vm.spec.stoppedAt ?? vm.createdAt,
    },
    { code: `PowerState/${vm.spec.powerState}`, level: 'Info', displayStatus: POWER_STATE_DISPLAY[vm.spec.powerState] },
  ];
}

/** `GET …/virtualMachines/{name}/instanceView`: the VM's run-time state (VirtualMachineInstanceView). */
export function renderInstanceView(vm: AzureVm): unknown {
  const { spec } = vm;
  const diskNames = [spec.osDiskId ? nameOfId(spec.osDiskId) : `${vm.name}-osdisk`, ...spec.dataDiskIds.map(nameOfId)];
  const succeeded = { code: 'ProvisioningState/succeeded', level: 'Info', displayStatus: 'Provisioning succeeded', time: vm.createdAt };
  return {
    computerName: vm.name,
    osName: spec.osType === 'Linux' ? 'ubuntu' : 'Windows Server 2022 Datacenter Azure Edition',
    hyperVGeneration: 'V2',
    ...(spec.powerState === 'running'
      ? {
          vmAgent: {
            vmAgentVersion: '2.13.1.1',
            statuses: [{ code: 'ProvisioningState/succeeded', level: 'Info', displayStatus: 'Ready' }],
          },
        }
      : {}),
    disks: diskNames.map((name) => ({ name, statuses: [succeeded] })),
    bootDiagnostics: {},
    statuses: vmStatuses(vm),
  };
}

/**
 * A VM. `withInstanceView` is what `statusOnly=true` (or `$expand=instanceView`) adds: the
 * provisioning and power-state statuses that `az vm list -d` shows.
 */
export function renderVm(vm: AzureVm, index: EstateIndex, withInstanceView: boolean): unknown {
  const { spec } = vm;
  const osDisk = spec.osDiskId ? diskOf(index, spec.osDiskId) : undefined;
  const properties: Record<string, unknown> = {
    vmId: stableGuid(`vm:${vm.id}`),
    hardwareProfile: { vmSize: spec.vmSize },
    storageProfile: {
      imageReference: IMAGES[spec.osType],
      osDisk: {
        osType: spec.osType,
        name: spec.osDiskId ? nameOfId(spec.osDiskId) : `${vm.name}-osdisk`,
        createOption: 'FromImage',
        caching: 'ReadWrite',
        ...(spec.osDiskId
          ? { managedDisk: { storageAccountType: osDisk?.spec.sku ?? 'Premium_LRS', id: spec.osDiskId }, deleteOption: 'Delete' }
          : { vhd: { uri: spec.osVhdUri }, deleteOption: 'Detach' }),
        diskSizeGB: osDisk?.spec.sizeGb ?? 30,
      },
      dataDisks: spec.dataDiskIds.map((id, lun) => {
        const disk = diskOf(index, id);
        return {
          lun,
          name: nameOfId(id),
          createOption: 'Attach',
          caching: 'None',
          managedDisk: { storageAccountType: disk?.spec.sku ?? 'Premium_LRS', id },
          deleteOption: 'Detach',
          diskSizeGB: disk?.spec.sizeGb,
          toBeDetached: false,
        };
      }),
      diskControllerType: 'SCSI',
    },
    osProfile: {
      computerName: vm.name,
      adminUsername: 'azureuser',
      ...(spec.osType === 'Linux'
        ? {
            linuxConfiguration: {
              disablePasswordAuthentication: true,
              provisionVMAgent: true,
              patchSettings: { patchMode: 'ImageDefault', assessmentMode: 'ImageDefault' },
            },
          }
        : {
            windowsConfiguration: {
              provisionVMAgent: true,
              enableAutomaticUpdates: true,
              patchSettings: { patchMode: 'AutomaticByOS', assessmentMode: 'ImageDefault' },
            },
          }),
      secrets: [],
      allowExtensionOperations: true,
      requireGuestProvisionSignal: true,
    },
    networkProfile: { networkInterfaces: [{ id: spec.nicId, properties: { primary: true } }] },
    diagnosticsProfile: { bootDiagnostics: { enabled: true } },
    provisioningState: 'Succeeded',
    timeCreated: vm.createdAt,
  };
  if (withInstanceView) properties.instanceView = { statuses: vmStatuses(vm) };
  return {
    name: vm.name,
    id: vm.id,
    type: 'Microsoft.Compute/virtualMachines',
    location: vm.region,
    tags: vm.tags,
    properties,
  };
}

const encryptionOf = (type: AzureDisk['spec']['encryptionType'], resourceGroupId: string) =>
  type === 'EncryptionAtRestWithCustomerKey'
    ? { type, diskEncryptionSetId: `${resourceGroupId}/providers/Microsoft.Compute/diskEncryptionSets/guardian-des` }
    : { type };

/** `/subscriptions/{sub}/resourceGroups/{rg}` of a resource id. */
function resourceGroupId(id: string): string {
  const match = /^(\/subscriptions\/[^/]+\/resourceGroups\/[^/]+)/i.exec(id);
  return match ? match[1] : id;
}

const SKU_TIER: Record<AzureDisk['spec']['sku'], string> = {
  Standard_LRS: 'Standard',
  StandardSSD_LRS: 'Standard',
  Premium_LRS: 'Premium',
  UltraSSD_LRS: 'Ultra',
};

export function renderDisk(disk: AzureDisk): unknown {
  const { spec } = disk;
  return {
    name: disk.name,
    id: disk.id,
    type: 'Microsoft.Compute/disks',
    location: disk.region,
    tags: disk.tags,
    ...(spec.managedBy ? { managedBy: spec.managedBy } : {}),
    sku: { name: spec.sku, tier: SKU_TIER[spec.sku] },
    properties: {
      hyperVGeneration: 'V2',
      creationData: { createOption: 'Empty' },
      diskSizeGB: spec.sizeGb,
      diskIOPSReadWrite: Math.min(20_000, 500 + spec.sizeGb * 3),
      diskMBpsReadWrite: Math.min(900, 60 + Math.floor(spec.sizeGb / 4)),
      encryption: encryptionOf(spec.encryptionType, resourceGroupId(disk.id)),
      networkAccessPolicy: spec.networkAccessPolicy,
      publicNetworkAccess: spec.publicNetworkAccess,
      timeCreated: disk.createdAt,
      provisioningState: 'Succeeded',
      diskState: spec.diskState,
      diskSizeBytes: spec.sizeGb * 1024 ** 3,
      uniqueId: stableGuid(`disk:${disk.id}`),
    },
  };
}

export function renderSnapshot(snapshot: AzureSnapshot, index: EstateIndex): unknown {
  const { spec } = snapshot;
  const source = diskOf(index, spec.sourceDiskId);
  return {
    name: snapshot.name,
    id: snapshot.id,
    type: 'Microsoft.Compute/snapshots',
    location: snapshot.region,
    tags: snapshot.tags,
    sku: { name: 'Standard_LRS', tier: 'Standard' },
    properties: {
      creationData: {
        createOption: 'Copy',
        sourceResourceId: spec.sourceDiskId,
        ...(source ? { sourceUniqueId: stableGuid(`disk:${source.id}`) } : {}),
      },
      diskSizeGB: spec.sizeGb,
      encryption: encryptionOf(spec.encryptionType, resourceGroupId(snapshot.id)),
      incremental: spec.incremental,
      networkAccessPolicy: spec.networkAccessPolicy,
      publicNetworkAccess: 'Enabled',
      timeCreated: snapshot.createdAt,
      provisioningState: spec.provisioningState ?? 'Succeeded',
      diskState: 'Unattached',
      diskSizeBytes: spec.sizeGb * 1024 ** 3,
      uniqueId: stableGuid(`snapshot:${snapshot.id}`),
    },
  };
}
