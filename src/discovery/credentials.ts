// Whether a profile's credentials work, cloud by cloud, and which credential or permission is
// missing: the checks behind `guardian config test`. Each cloud checks its credentials and then
// probes its specs (the first page of each kind, as small as the API serves) and its faces (one
// small query each), so every row names the permissions of one spec or face, not a kept list.

import type { Profile } from '../config/profile.js';
import type { CostQuery } from '../model/cost.js';
import { isMeteredKind, type ResourceRef } from '../model/metric.js';
import { CLOUDS, type Cloud, type Resource } from '../model/resource.js';
import type { PermissionProbe } from '../providers/probe.js';

export interface CredentialCheckRow {
  cloud: Cloud;
  subject: string;
  ok: boolean;
  message: string;
  /** The cloud's permissions the row stands for (a spec's, a face's or a scope step's). */
  permissions?: readonly string[];
}

interface CloudReport {
  rows: CredentialCheckRow[];
  /** Whether the credentials worked at all (the face probes are skipped when they did not). */
  reachable: boolean;
  /** What the spec probes' pages held: the metrics probe asks about one of them. */
  seen: Resource[];
}

type CloudCheck = (profile: Profile, env: NodeJS.ProcessEnv, signal: AbortSignal) => Promise<CloudReport>;

const permissionsOf = (row: { permissions?: readonly string[] }) => (row.permissions?.length ? { permissions: row.permissions } : {});

/** A probe's row: allowed, or the cloud's refusal and what to grant. */
function probeMessage(probe: PermissionProbe): string {
  if (probe.ok) return `allowed: ${probe.permissions.join(', ')}`;
  const needs = probe.class === 'denied' || probe.class === 'auth' ? ` — needs ${probe.permissions.join(', ')}` : '';
  return `${probe.code}: ${probe.message}${needs}`;
}

const CHECKS: Record<Cloud, CloudCheck> = {
  async aws(profile, env, signal) {
    const { checkAwsCredentials } = await import('../providers/aws/index.js');
    const rows: CredentialCheckRow[] = [];
    const seen: Resource[] = [];
    let reachable = false;
    for (const check of await checkAwsCredentials(profile.aws ?? {}, env, { signal })) {
      reachable ||= check.account !== undefined;
      seen.push(...check.seen);
      rows.push({
        cloud: 'aws',
        subject: `profile ${check.profile}`,
        // The credentials alone: each refused permission fails its own row below.
        ok: check.problem === undefined,
        message: check.problem ?? `account ${check.account} as ${check.arn}`,
      });
      for (const probe of check.checks) {
        rows.push({
          cloud: 'aws',
          subject: `${check.profile}: ${probe.subject}`,
          ok: probe.ok,
          message: probeMessage(probe),
          permissions: probe.permissions,
        });
      }
    }
    return { rows, reachable, seen };
  },
  async azure(profile, env, signal) {
    const { checkAzureCredentials } = await import('../providers/azure/index.js');
    const report = await checkAzureCredentials(profile.azure ?? {}, env, { signal });
    const rows = report.checks.map((check) => ({
      cloud: 'azure' as const,
      subject: check.subject,
      ok: check.ok,
      message: check.hint ? `${check.message} — ${check.hint}` : check.message,
      ...permissionsOf(check),
    }));
    return { rows, reachable: report.checks.some((check) => check.subject === 'token' && check.ok), seen: report.seen };
  },
  async gcp(profile, env, signal) {
    const { checkGcpCredentials } = await import('../providers/gcp/index.js');
    const report = await checkGcpCredentials(profile.gcp ?? {}, env, { signal });
    const rows = report.checks.map((check) => ({
      cloud: 'gcp' as const,
      subject: check.subject,
      ok: check.ok,
      message: check.message,
      ...permissionsOf(check),
    }));
    return { rows, reachable: report.checks.some((check) => check.subject === 'credential' && check.ok), seen: report.seen };
  },
};

const DAY_MS = 86_400_000;

/** One day of spend by service: the smallest question the billing APIs answer. */
function costProbeQuery(now: Date): CostQuery {
  const today = new Date(Math.floor(now.getTime() / DAY_MS) * DAY_MS);
  const iso = (date: Date) => date.toISOString().slice(0, 10);
  return {
    start: iso(new Date(today.getTime() - DAY_MS)),
    end: iso(today),
    granularity: 'daily',
    metric: 'unblended',
    dimension: 'service',
  };
}

/**
 * The faces' probes, through the provider the commands use: costs asks for one day; metrics asks
 * for one hour of one metered resource the spec probes saw. Without one, the metrics permission
 * cannot be tried: the row says "not tried" and names the permissions, and does not fail the
 * check (an account with no machine in the probed region is not misconfigured).
 */
async function faceRows(cloud: Cloud, profile: Profile, env: NodeJS.ProcessEnv, seen: Resource[], signal: AbortSignal, now: Date) {
  const [{ createLocalProvider }, { permissionCatalog }, { probe }] = await Promise.all([
    import('../providers/factory.js'),
    import('../providers/catalog.js'),
    import('../providers/probe.js'),
  ]);
  const catalog = await permissionCatalog(cloud, profile, env);
  const provider = await createLocalProvider(cloud, profile, env, { callTimeoutMs: 15_000, prewarm: false });
  const row = (result: PermissionProbe): CredentialCheckRow => ({
    cloud,
    subject: result.subject,
    ok: result.ok,
    message: probeMessage(result),
    permissions: result.permissions,
  });
  const rows: CredentialCheckRow[] = [];
  try {
    const { costs, metricPlan, metrics } = provider;
    if (costs && (cloud !== 'gcp' || profile.gcp?.billingExportTable)) {
      rows.push(row(await probe('costs', catalog.faces.costs, provider.classify, () => costs(costProbeQuery(now), { signal }))));
    } else if (costs) {
      rows.push({ cloud, subject: 'costs', ok: true, message: 'not tried: gcp.billingExportTable is not set (costs are off for GCP)' });
    }
    const metered = seen.find((resource) => isMeteredKind(resource.kind));
    if (metricPlan && metrics && metered) {
      const ref: ResourceRef = {
        cloud,
        kind: metered.kind,
        id: metered.id,
        name: metered.name,
        account: metered.account,
        region: metered.region,
      };
      const end = new Date(Math.floor(now.getTime() / 3_600_000) * 3_600_000);
      const start = new Date(end.getTime() - 3_600_000);
      const query = { resources: [ref], start: start.toISOString(), end: end.toISOString(), periodSeconds: 300, stat: 'average' as const };
      rows.push(
        row(
          await probe('metrics', catalog.faces.metrics, provider.classify, async () => {
            for (const batch of (await metricPlan(query, { signal })).batches.slice(0, 1)) await metrics({ batch }, { signal });
          }),
        ),
      );
    } else if (metricPlan) {
      rows.push({
        cloud,
        subject: 'metrics',
        ok: true,
        message: `not tried: the probes found no machine to ask about (needs ${catalog.faces.metrics.join(', ')})`,
        permissions: catalog.faces.metrics,
      });
    }
  } finally {
    await provider.close?.();
  }
  return rows;
}

/**
 * Every check of the profile's clouds (all of them, or `clouds`), sorted by cloud; [] when it
 * configures none of them. A cloud that has not answered by `timeoutMs` is one failed row saying
 * so: a check that could not run has not passed.
 */
export async function checkCredentials(
  profile: Profile,
  env: NodeJS.ProcessEnv,
  options: {
    clouds?: Cloud[];
    signal: AbortSignal;
    timeoutMs?: number;
    /** The clock the face probes ask about (the demo's pinned day with GUARDIAN_DEMO_NOW): default, now. */
    now?: Date;
  },
): Promise<CredentialCheckRow[]> {
  const { clouds } = options;
  const now = options.now ?? new Date();
  const timeout = options.timeoutMs === undefined ? undefined : AbortSignal.timeout(options.timeoutMs);
  const signal = timeout ? AbortSignal.any([options.signal, timeout]) : options.signal;
  const wanted = CLOUDS.filter((cloud) => Boolean(profile[cloud]) && (!clouds || clouds.includes(cloud)));
  const results = await Promise.all(
    wanted.map(async (cloud): Promise<CredentialCheckRow[]> => {
      const checked = (async () => {
        const report = await CHECKS[cloud](profile, env, signal);
        return report.reachable && !signal.aborted
          ? [...report.rows, ...(await faceRows(cloud, profile, env, report.seen, signal, now))]
          : report.rows;
      })();
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
