// `guardian config test` for GCP: which credential is used, whether it yields an access token,
// whether each configured project answers compute.projects.get, and whether each kind can be
// listed in it (one probe per spec: its first page of one item) — each problem named precisely.

import type { GcpSettings } from '../../config/profile.js';
import type { Resource } from '../../model/resource.js';
import { probeSpec } from '../probe.js';
import type { Scope } from '../types.js';
import { callCompute, createComputeClients } from './clients.js';
import type { GcpScopeHandle } from './compute.js';
import { classifyGcpError } from './errors.js';
import { gcpKinds } from './kinds.js';

export interface GcpCheck {
  /** 'credential', 'gcp.projects' or the project id. */
  subject: string;
  ok: boolean;
  message: string;
  /** The IAM permissions a spec's probe stands for. */
  permissions?: readonly string[];
}

export interface GcpCredentialReport {
  cloud: 'gcp';
  ok: boolean;
  /** Where the credential came from (file path and type, or the metadata server); never the secret. */
  source?: string;
  /** The service account the key file names, when it names one. */
  principal?: string;
  checks: GcpCheck[];
  /** What the probes' pages held (the face probes ask about one of them). */
  seen: Resource[];
}

function projectProblem(project: string, error: unknown): string {
  const classified = classifyGcpError(error);
  switch (classified.class) {
    case 'denied':
      return `permission denied on projects/${project}: the credential needs compute.projects.get and compute.*.list (roles/compute.viewer) — ${classified.message}`;
    case 'not-found':
      return `project ${project} was not found, or the Compute Engine API is not enabled in it — ${classified.message}`;
    case 'auth':
      return `the credential was refused: ${classified.code}: ${classified.message}`;
    default:
      return `${classified.code}: ${classified.message}`;
  }
}

export async function checkGcpCredentials(
  settings: GcpSettings,
  env: NodeJS.ProcessEnv,
  options: { signal?: AbortSignal; timeoutMs?: number } = {},
): Promise<GcpCredentialReport> {
  const signal = options.signal ?? new AbortController().signal;
  const timeoutMs = options.timeoutMs ?? 30_000;
  let clients: Awaited<ReturnType<typeof createComputeClients>>;
  try {
    clients = await createComputeClients(settings, env);
  } catch (error) {
    return { cloud: 'gcp', ok: false, checks: [{ subject: 'credential', ok: false, message: classifyGcpError(error).message }], seen: [] };
  }
  const { credentials } = clients;
  const report: GcpCredentialReport = {
    cloud: 'gcp',
    ok: false,
    source: credentials.source,
    principal: credentials.principal,
    checks: [],
    seen: [],
  };
  const kinds = gcpKinds({ clients: async () => clients, timeoutMs });
  try {
    try {
      await credentials.auth.getAccessToken();
      report.checks.push({ subject: 'credential', ok: true, message: `access token obtained from ${credentials.source}` });
    } catch (error) {
      const classified = classifyGcpError(error);
      report.checks.push({
        subject: 'credential',
        ok: false,
        message: `no access token from ${credentials.source}: ${classified.message}`,
      });
      return report;
    }
    const projects = [...new Set(settings.projects ?? [])];
    if (projects.length === 0) {
      report.checks.push({ subject: 'gcp.projects', ok: false, message: 'no GCP projects configured: set gcp.projects' });
      return report;
    }
    for (const project of projects) {
      try {
        await callCompute(clients.projects, 'get', { project }, signal, timeoutMs);
        report.checks.push({ subject: project, ok: true, message: `projects/${project} readable`, permissions: ['compute.projects.get'] });
      } catch (error) {
        report.checks.push({ subject: project, ok: false, message: projectProblem(project, error), permissions: ['compute.projects.get'] });
        continue;
      }
      const scope: Scope = {
        cloud: 'gcp',
        type: 'account',
        account: project,
        region: 'global',
        label: `gcp ${project}`,
        handle: { project } satisfies GcpScopeHandle,
      };
      for (const spec of kinds) {
        const probe = await probeSpec(spec, scope, classifyGcpError, signal, report.seen, `${project}: ${spec.kind}`);
        report.checks.push({
          subject: probe.subject,
          ok: probe.ok,
          permissions: spec.permissions,
          message: probe.ok
            ? `allowed: ${spec.permissions.join(', ')}`
            : probe.class === 'denied'
              ? `permission denied: the credential needs ${spec.permissions.join(', ')} on projects/${project} — ${probe.message}`
              : `${probe.code}: ${probe.message}`,
        });
      }
    }
    report.ok = report.checks.every((check) => check.ok);
    return report;
  } finally {
    await Promise.all(
      [clients.instances, clients.disks, clients.addresses, clients.snapshots, clients.firewalls, clients.projects].map((client) =>
        client.close().catch(() => {}),
      ),
    );
  }
}
