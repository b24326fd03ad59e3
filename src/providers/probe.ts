// `config test`'s probes: a spec's permissions are tried by fetching its first page at the
// smallest page size the API allows, and a face's by one small query — so the checks are the
// specs' own calls, not a hand-kept list, and each names the permissions it stands for.

import type { Resource } from '../model/resource.js';
import type { ClassifiedError, ErrorClass, KindSpec, Scope } from './types.js';

export interface PermissionProbe {
  /** What was tried: a kind (aws.ec2.instance), a face (costs, metrics) or a scope step (ec2:DescribeRegions). */
  subject: string;
  /** The cloud's permissions the probe stands for. */
  permissions: readonly string[];
  ok: boolean;
  /** How the refusal was classified (denied, auth, not-found…). */
  class?: ErrorClass;
  /** The cloud's error code when refused (UnauthorizedOperation, AuthorizationFailed, PERMISSION_DENIED…). */
  code?: string;
  message?: string;
}

/** Run one probe: it passes when the call answers; `allowed` says which refusals still prove the permission. */
export async function probe(
  subject: string,
  permissions: readonly string[],
  classify: (error: unknown) => ClassifiedError,
  run: () => Promise<unknown>,
  allowed: (error: ClassifiedError) => boolean = () => false,
): Promise<PermissionProbe> {
  try {
    await run();
    return { subject, permissions, ok: true };
  } catch (error) {
    const classified = classify(error);
    if (allowed(classified)) return { subject, permissions, ok: true };
    return { subject, permissions, ok: false, class: classified.class, code: classified.code, message: classified.message };
  }
}

/** A spec's probe: its first page, as small as the API serves; the resources it saw feed the face probes. */
export async function probeSpec(
  spec: KindSpec,
  scope: Scope,
  classify: (error: unknown) => ClassifiedError,
  signal: AbortSignal,
  seen: Resource[],
  subject: string = spec.kind,
): Promise<PermissionProbe> {
  return probe(subject, spec.permissions, classify, async () => {
    // A run already stopped (--timeout, Ctrl-C) asks nothing more.
    signal.throwIfAborted();
    const page = await spec.listPage(scope, undefined, { signal, raw: false, probe: true });
    seen.push(...page.resources);
  });
}
