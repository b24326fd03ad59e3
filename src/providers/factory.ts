// Builds one cloud's provider from its profile settings. Shared by the in-process path and the
// provider threads, so both construct exactly the same provider.

import type { Profile } from '../config/profile.js';
import type { CostCache } from '../model/cost.js';
import type { Cloud } from '../model/resource.js';
import type { CloudProvider } from './types.js';

export interface ProviderOptions {
  /** Abort a single SDK request after this long (also enforced by the engine). */
  callTimeoutMs: number;
  /** Where the costs face keeps paid billing answers (AWS Cost Explorer); none: always ask. */
  costCache?: CostCache;
  /** Start loading discovery's clients at once (default true); a run that only reads a face skips it. */
  prewarm?: boolean;
}

export async function createLocalProvider(
  cloud: Cloud,
  profile: Profile,
  env: NodeJS.ProcessEnv,
  options: ProviderOptions,
): Promise<CloudProvider> {
  switch (cloud) {
    case 'aws': {
      const { createAwsProvider } = await import('./aws/index.js');
      return createAwsProvider(profile.aws ?? {}, env, options);
    }
    case 'azure': {
      const { createAzureProvider } = await import('./azure/index.js');
      return createAzureProvider(profile.azure ?? {}, env, options);
    }
    case 'gcp': {
      const { createGcpProvider } = await import('./gcp/index.js');
      return createGcpProvider(profile.gcp ?? {}, env, options);
    }
  }
}
