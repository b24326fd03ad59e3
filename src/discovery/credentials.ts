// Whether a profile's credentials work, cloud by cloud, and which credential or permission is
// missing: the checks behind `guardian config test`, run through each cloud's provider.

import type { Profile } from '../config/profile.js';
import type { Cloud } from '../model/resource.js';

export interface CredentialCheckRow {
  cloud: Cloud;
  subject: string;
  ok: boolean;
  message: string;
}

/** Every check of the profile's clouds (all of them, or `clouds`), sorted by cloud; [] when it configures none of them. */
export async function checkCredentials(
  profile: Profile,
  env: NodeJS.ProcessEnv,
  options: { clouds?: Cloud[]; signal: AbortSignal },
): Promise<CredentialCheckRow[]> {
  const rows: CredentialCheckRow[] = [];
  const { clouds, signal } = options;
  const wanted = (cloud: Cloud) => Boolean(profile[cloud]) && (!clouds || clouds.includes(cloud));
  const work: Promise<void>[] = [];
  if (wanted('aws') && profile.aws) {
    const settings = profile.aws;
    work.push(
      (async () => {
        const { checkAwsCredentials } = await import('../providers/aws/index.js');
        for (const check of await checkAwsCredentials(settings, env, { signal })) {
          rows.push({
            cloud: 'aws',
            subject: `profile ${check.profile}`,
            ok: check.ok && check.problem === undefined,
            message: check.problem ?? `account ${check.account} as ${check.arn}`,
          });
          for (const permission of check.checks) {
            rows.push({
              cloud: 'aws',
              subject: `${check.profile}: ${permission.action}`,
              ok: permission.ok,
              message: permission.ok ? 'allowed' : `${permission.code}: ${permission.message}`,
            });
          }
        }
      })(),
    );
  }
  if (wanted('azure') && profile.azure) {
    const settings = profile.azure;
    work.push(
      (async () => {
        const { checkAzureCredentials } = await import('../providers/azure/index.js');
        const report = await checkAzureCredentials(settings, env, { signal });
        for (const check of report.checks) {
          rows.push({
            cloud: 'azure',
            subject: check.subject,
            ok: check.ok,
            message: check.hint ? `${check.message} — ${check.hint}` : check.message,
          });
        }
      })(),
    );
  }
  if (wanted('gcp') && profile.gcp) {
    const settings = profile.gcp;
    work.push(
      (async () => {
        const { checkGcpCredentials } = await import('../providers/gcp/index.js');
        const report = await checkGcpCredentials(settings, env, { signal });
        for (const check of report.checks) rows.push({ cloud: 'gcp', subject: check.subject, ok: check.ok, message: check.message });
      })(),
    );
  }
  await Promise.all(work);
  return rows.sort((a, b) => a.cloud.localeCompare(b.cloud));
}
