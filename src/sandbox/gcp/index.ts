// The GCP side of the sandbox: the OAuth2 token endpoint and Compute Engine REST, on plain HTTP.

import type { SandboxService } from '../server/types.js';
import { bigQueryService } from './bigquery.js';
import { computeService } from './compute.js';
import { monitoringService } from './monitoring.js';
import { oauthTokenService } from './oauth.js';

export { sandboxBillingExportTable } from './bigquery.js';
export { createServiceAccountKey, registerServiceAccountKey, type ServiceAccountKeyFile } from './oauth.js';

export const services: SandboxService[] = [oauthTokenService, computeService, bigQueryService, monitoringService];
