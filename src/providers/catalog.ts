// One cloud's PermissionCatalog for a profile's settings, loading only that cloud's provider:
// what `config policy` prints and `config test` names. No credentials, no network.

import type { Profile } from '../config/profile.js';
import type { Cloud } from '../model/resource.js';
import type { PermissionCatalog } from './types.js';

export async function permissionCatalog(cloud: Cloud, profile: Profile, env: NodeJS.ProcessEnv): Promise<PermissionCatalog> {
  switch (cloud) {
    case 'aws':
      return (await import('./aws/index.js')).awsPermissions(profile.aws ?? {}, env);
    case 'azure':
      return (await import('./azure/index.js')).azurePermissions();
    case 'gcp':
      return (await import('./gcp/index.js')).gcpPermissions();
  }
}
