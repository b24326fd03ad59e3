// GCP-CMP-001: Instance runs as the default service account with full Cloud API access.

import { cis } from '../../references.js';
import { defineRule, fail, label, PASS, unknown } from '../../rule.js';

const CLOUD_PLATFORM_SCOPE = 'https://www.googleapis.com/auth/cloud-platform';

/** The Compute Engine default service account is PROJECT_NUMBER-compute@developer.gserviceaccount.com. */
export function isDefaultComputeServiceAccount(email: string): boolean {
  return /^\d+-compute@developer\.gserviceaccount\.com$/.test(email);
}

export const rule = defineRule({
  id: 'GCP-CMP-001',
  slug: 'instance-default-sa-full-scope',
  title: 'Instance uses the default service account with full access to all Cloud APIs',
  description:
    'The instance runs as the Compute Engine default service account (Editor on the project by default) with the cloud-platform scope, so any code on it can administer almost the whole project.',
  severity: 'high',
  kinds: ['gcp.compute.instance'],
  references: [
    cis('cis-gcp', '4.2', 'Ensure That Instances Are Not Configured To Use the Default Service Account With Full Access to All Cloud APIs'),
  ],
  remediation:
    'gcloud compute instances stop <instance> --zone=<zone> && gcloud compute instances set-service-account <instance> --zone=<zone> --service-account=<dedicated-sa-email> --scopes=cloud-platform && gcloud compute instances start <instance> --zone=<zone>',
  tags: ['identity', 'least-privilege'],
  check(resource) {
    const { serviceAccount, serviceAccountScopes } = resource.attributes;
    if (serviceAccount !== undefined && !isDefaultComputeServiceAccount(serviceAccount)) return PASS;
    if (serviceAccount === undefined || serviceAccountScopes === undefined) {
      const missing = [
        serviceAccount === undefined ? 'serviceAccount' : '',
        serviceAccountScopes === undefined ? 'serviceAccountScopes' : '',
      ];
      return unknown(
        resource,
        label('instance', resource),
        missing.filter(Boolean),
        'uses the default service account with full API access',
      );
    }
    return serviceAccountScopes.includes(CLOUD_PLATFORM_SCOPE)
      ? fail(`${label('Instance', resource)} runs as the default service account ${serviceAccount} with full access to all Cloud APIs.`)
      : PASS;
  },
});
