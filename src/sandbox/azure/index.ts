// The Azure half of the sandbox: Entra ID (tokens) and Resource Manager (subscriptions, compute,
// network) on one HTTPS origin, which is both the `authorityHost` and the ARM `endpoint`.

import type { SandboxService } from '../server/types.js';
import { costManagementService } from './costmanagement.js';
import { entraService } from './entra.js';
import { monitorService } from './monitor.js';
import { resourceChangesService } from './resource-changes.js';
import { createResourceManagerService, type ResourceManagerOptions } from './resource-manager.js';

export type { ArmListType } from './api-versions.js';
export { authenticateArmRequest, tokensIssued } from './entra.js';
export { DEFAULT_PAGE_SIZES, type ResourceManagerOptions } from './resource-manager.js';

export function createAzureServices(options: ResourceManagerOptions = {}): SandboxService[] {
  // The changes service comes first: its PUT/PATCH/DELETE/POST paths are also Resource Manager's GET paths.
  return [entraService, resourceChangesService, createResourceManagerService(options), costManagementService, monitorService];
}

export const services: SandboxService[] = createAzureServices();
