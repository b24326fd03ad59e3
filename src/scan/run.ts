// What `guardian scan` does between its flags and its output: read the baseline and suppressions
// (before any long discovery, so a bad file fails fast), get the resources from a Terraform plan, a
// snapshot or a live run, judge them with the rule catalog, and write a new baseline when asked.

import type { RunContext } from '../discovery/run.js';
import type { Severity } from '../model/finding.js';
import type { Cloud, Resource, ResourceKind } from '../model/resource.js';
import type { RuleSelection } from '../rules/engine.js';
import type { Rule } from '../rules/rule.js';
import type { ScanReport } from '../rules/scan.js';

export interface ScanRequest {
  catalog: Rule[];
  selection: RuleSelection;
  /** A saved snapshot, or a Terraform plan (`terraform show -json`); neither: a live discovery. */
  input?: string;
  plan?: string;
  providers?: Cloud[];
  regions?: string[];
  kinds?: ResourceKind[];
  timeoutMs?: number;
  callTimeoutMs?: number;
  failOn?: Severity;
  failOnUnverified: boolean;
  baselineFile?: string;
  writeBaselineFile?: string;
  /** JUnit lists passes too. */
  recordPasses: boolean;
}

export interface ScanOutcome {
  report: ScanReport;
  /** Where the resources came from: the plan, the --input file, or 'live discovery'. */
  source: string;
  /** Why the inventory is incomplete, when it is (failed or unfinished listings). */
  incomplete?: string;
  /** Whether a baseline narrowed the failing findings to new ones. */
  baselined: boolean;
}

export async function runScan(ctx: RunContext, request: ScanRequest): Promise<ScanOutcome> {
  const { readBaseline, buildBaseline, writeBaseline } = await import('../rules/baseline.js');
  const baseline = request.baselineFile ? await readBaseline(request.baselineFile) : undefined;
  const suppressions = await loadSuppressions(ctx);

  const { narrowResources } = await import('../discovery/load.js');
  let resources: Resource[];
  let source: string;
  let incomplete: string | undefined;
  if (request.plan) {
    const { loadPlan } = await import('../plan/map.js');
    const plan = await loadPlan(request.plan);
    resources = narrowResources(plan.resources, request);
    source = request.plan;
    const skipped = Object.entries(plan.skipped);
    if (skipped.length) ctx.io.log.verbose(`plan: no rule reads ${skipped.map(([type, n]) => `${type} (${n})`).join(', ')}`);
  } else {
    const { loadInventory } = await import('../discovery/load.js');
    const inventory = await loadInventory(ctx, request);
    resources = inventory.resources;
    source = request.input ?? 'live discovery';
    if (!inventory.complete) {
      incomplete = `the inventory is incomplete (${inventory.errors.length} listing(s) failed or timed out); findings cover what was found`;
      ctx.io.log.warn(incomplete);
    }
  }

  const { scan } = await import('../rules/scan.js');
  const now = ctx.now();
  const report = scan({
    catalog: request.catalog,
    resources,
    selection: request.selection,
    suppressions,
    baseline,
    failOn: request.failOn,
    failOnUnverified: request.failOnUnverified,
    planFile: request.plan,
    recordPasses: request.recordPasses,
    now,
  });
  for (const { suppression, wouldMatch } of report.expiredSuppressions) {
    ctx.io.log.warn(
      `suppression for ${suppression.rule}${suppression.resource ? ` on ${suppression.resource}` : ''} (${suppression.origin}) expired on ${suppression.expires}; it no longer hides ${wouldMatch} finding(s)`,
    );
  }
  if (request.writeBaselineFile) {
    await writeBaseline(request.writeBaselineFile, buildBaseline(report.findings, now));
    ctx.io.log.info(`baseline: recorded ${report.findings.length} finding(s) in ${request.writeBaselineFile}`);
  }
  return { report, source, incomplete, baselined: baseline !== undefined };
}

/** The profile's suppressions and those of `.guardian-suppressions.yaml` in the working directory. */
export async function loadSuppressions(ctx: Pick<RunContext, 'cwd' | 'openStore' | 'globals'>) {
  const { readSuppressionsFile, profileSuppressions } = await import('../rules/suppressions.js');
  const fromFile = await readSuppressionsFile(ctx.cwd);
  const store = await ctx.openStore();
  const name = store.resolveProfileName(ctx.globals.profile);
  return [...profileSuppressions(name, store.getProfile(name)?.suppressions), ...fromFile];
}

/**
 * The SARIF run's category (`runAutomationDetails.id`): GitHub needs a distinct one per upload for
 * the same commit, so a plan scan and each cloud selection get their own unless one is given.
 */
export function sarifCategory(given: string | undefined, meta: { plan: boolean; providers?: string[] }): string {
  if (given) return given;
  if (meta.plan) return 'guardian/plan';
  return `guardian/${meta.providers?.length ? meta.providers.join('-') : 'all'}`;
}
