// Whether a profile's credentials work, cloud by cloud, and which credential or permission is
// missing: the checks behind `guardian config test`, run through each cloud's provider.

import type { Profile } from '../config/profile.js';
import { CLOUDS, type Cloud } from '../model/resource.js';

export interface CredentialCheckRow {
  cloud: Cloud;
  subject: string;
  ok: boolean;
  message: string;
}

/** Every check of the profile's clouds (all of them, or `clouds`), sorted by cloud; [] when it configures none of them. */
type CloudCheck = (profile: Profile, env: NodeJS.ProcessEnv, signal: AbortSignal) => Promise<CredentialCheckRow[]>;

const CHECKS: Record<Cloud, CloudCheck> = {
  async aws(profile, env, signal) {
    const { checkAwsCredentials } = await import('../providers/aws/index.js');
    const rows: CredentialCheckRow[] = [];
    for (const check of await checkAwsCredentials(profile.aws ?? {}, env, { signal })) {
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
    return rows;
  },
  async azure(profile, env, signal) {
    const { checkAzureCredentials } = await import('../providers/azure/index.js');
    const report = await checkAzureCredentials(profile.azure ?? {}, env, { signal });
    return report.checks.map((check) => ({
      cloud: 'azure' as const,
      subject: check.subject,
      ok: check.ok,
      message: check.hint ? `${check.message} — ${check.hint}` : check.message,
    }));
  },
  async gcp(profile, env, signal) {
    const { checkGcpCredentials } = await import('../providers/gcp/index.js');
    const report = await checkGcpCredentials(profile.gcp ?? {}, env, { signal });
    return report.checks.map((check) => ({ cloud: 'gcp' as const, subject: check.subject, ok: check.ok, message: check.message }));
  },
};

/**
 * Every check of the profile's clouds (all of them, or `clouds`), sorted by cloud; [] when it
 * configures none of them. A cloud that has not answered by `timeoutMs` is one failed row saying
 * so: a check that could not run has not passed.
 */
export async function checkCredentials(
  profile: Profile,
  env: NodeJS.ProcessEnv,
  options: { clouds?: Cloud[]; signal: AbortSignal; timeoutMs?: number },
): Promise<CredentialCheckRow[]> {
  const { clouds } = options;
  const timeout = options.timeoutMs === undefined ? undefined : AbortSignal.timeout(options.timeoutMs);
  const signal = timeout ? AbortSignal.any([options.signal, timeout]) : options.signal;
  const wanted = CLOUDS.filter((cloud) => Boolean(profile[cloud]) && (!clouds || clouds.includes(cloud)));
  const results = await Promise.all(
    wanted.map(async (cloud): Promise<CredentialCheckRow[]> => {
      const checked = CHECKS[cloud](profile, env, signal);
      checked.catch(() => {});
      // An SDK that ignores the signal must not hold the command past its --timeout.
      const stopped = new Promise<'stopped'>((resolve) => {
        if (signal.aborted) resolve('stopped');
        else signal.addEventListener('abort', () => resolve('stopped'), { once: true });
      });
      const outcome = await Promise.race([checked, stopped]);
      if (outcome !== 'stopped') return outcome;
      if (options.signal.aborted) return [];
      return [{ cloud, subject: 'credentials', ok: false, message: `no answer within --timeout ${options.timeoutMs} ms` }];
    }),
  );
  return results.flat().sort((a, b) => a.cloud.localeCompare(b.cloud));
}
